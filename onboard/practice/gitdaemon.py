"""Real git hosting for the practice forge: ``git daemon`` plus the git helpers the forge needs.

Learners clone, fetch and push with the real ``git`` over a real ``git://`` socket, so every step
they rehearse behaves like the real thing. A daemon listening with push enabled must never
outlive the forge that started it, so:

- it is started through :mod:`onboard.workspace.children`: its own process group (stopping the
  forge also ends the per-connection children it forks), a parent-death signal on Linux, and a
  stop at exit or on SIGTERM/SIGHUP;
- ``git-daemon`` runs itself, not through the ``git daemon`` wrapper, so the process onboard
  started, signals and records is the one that listens;
- its pid goes into ``git-daemon.pid`` next to the served folder, so a daemon still listening
  after a crash that nothing else could catch is found, checked and stopped by the next start.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import IO

from onboard.workspace import children

#: Hooks installed in repositories the learner does not own: pushing there fails the way
#: GitHub's 403 does, with a hint that says what to do instead.
READ_ONLY_HOOK = """#!/bin/sh
echo "Permission to this practice repository is denied: you can't push here." >&2
echo "This is what GitHub does too. Fork the project first, then push to your fork." >&2
exit 1
"""


class GitError(RuntimeError):
    """A git command failed; ``stderr`` holds git's own explanation."""

    def __init__(self, args: Sequence[str], returncode: int, stderr: str) -> None:
        super().__init__(f"git {' '.join(args)} failed ({returncode}): {stderr.strip()}")
        self.returncode = returncode
        self.stderr = stderr


def git_env(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """Environment for every git we run: never prompt, never read the user's config."""
    env = dict(os.environ)
    env.update(
        {
            "GIT_TERMINAL_PROMPT": "0",
            "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_CONFIG_GLOBAL": os.devnull,
            "LC_ALL": "C",
        }
    )
    if extra:
        env.update(extra)
    return env


def run_git(
    args: Sequence[str],
    *,
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
    check: bool = True,
    timeout: float = 60,
) -> subprocess.CompletedProcess[bytes]:
    """Run ``git args`` and capture its output as bytes (blobs may be binary).

    A ``cwd`` that does not exist (a fork whose repository is still being created) fails the way
    git fails outside a repository, status 128, rather than with Python's FileNotFoundError.
    """
    if cwd is not None and not cwd.is_dir():
        stderr = f"fatal: not a git repository: '{cwd}'\n".encode()
        if check:
            raise GitError(args, 128, stderr.decode())
        return subprocess.CompletedProcess(["git", *args], 128, b"", stderr)
    proc = subprocess.run(
        ["git", *args],
        cwd=cwd,
        env=git_env(env),
        capture_output=True,
        timeout=timeout,
        check=False,
    )
    if check and proc.returncode != 0:
        raise GitError(args, proc.returncode, proc.stderr.decode("utf-8", "replace"))
    return proc


def configure_bare(path: Path, *, read_only: bool = False) -> None:
    """Serve-side settings every hosted repository needs (partial clone, any-SHA fetches)."""
    run_git(["config", "uploadpack.allowFilter", "true"], cwd=path)
    run_git(["config", "uploadpack.allowAnySHA1InWant", "true"], cwd=path)
    run_git(["config", "receive.denyNonFastForwards", "false"], cwd=path)
    # Like GitHub's 403, refuse the push connection itself (so `git push --dry-run` fails too);
    # the hook below still explains the refusal if the connection is ever allowed.
    run_git(["config", "daemon.receivepack", "false" if read_only else "true"], cwd=path)
    hook = path / "hooks" / "pre-receive"
    if read_only:
        hook.parent.mkdir(parents=True, exist_ok=True)
        hook.write_text(READ_ONLY_HOOK, encoding="utf-8")
        hook.chmod(0o755)
    else:
        with contextlib.suppress(FileNotFoundError):
            hook.unlink()


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def port_is_free(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
        return True


def _accepts(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.2):
            return True
    except OSError:
        return False


class GitDaemon:
    """One ``git daemon`` serving ``base_path`` on ``host:port`` (read and push)."""

    def __init__(self, base_path: Path, *, host: str = "127.0.0.1", port: int = 0) -> None:
        self.base_path = base_path
        self.host = host
        self.preferred_port = port
        self.port = 0
        self._proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"git://{self.host}:{self.port}/"

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def start(self, *, timeout: float = 10) -> None:
        """Start the daemon and return once it accepts connections.

        The preferred port is tried first; if someone else grabbed it (or it was 0) we retry on
        fresh free ports, because between picking a port and git binding it there is a race.
        """
        if self.running:
            return
        self.base_path.mkdir(parents=True, exist_ok=True)
        self.stop_leftover()
        candidates = []
        if self.preferred_port and port_is_free(self.host, self.preferred_port):
            candidates.append(self.preferred_port)
        candidates.extend(free_port(self.host) for _ in range(3))
        last_error = ""
        for port in candidates:
            ok, last_error = self._try_start(port, timeout)
            if ok:
                self.port = port
                self._write_pid_file()
                return
        raise RuntimeError(f"git daemon did not start: {last_error.strip()}")

    @property
    def log_path(self) -> Path:
        """Where the daemon's stderr goes: a file, so a chatty daemon can never block on a pipe."""
        return self.base_path.parent / "git-daemon.log"

    def _try_start(self, port: int, timeout: float) -> tuple[bool, str]:
        with self.log_path.open("ab") as log:
            proc = self._spawn(port, log)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                tail = self.log_path.read_bytes()[-2000:].decode("utf-8", "replace")
                return False, tail
            if _accepts(self.host, port):
                self._proc = proc
                return True, ""
            time.sleep(0.01)
        self._terminate(proc)
        return False, "timed out waiting for git daemon to listen"

    @property
    def pid_path(self) -> Path:
        """Which daemon serves ``base_path``, and which process started it (see module doc)."""
        return self.base_path.parent / "git-daemon.pid"

    def _spawn(self, port: int, log: IO[bytes]) -> subprocess.Popen[bytes]:
        return children.start(
            [
                *daemon_program(),
                f"--listen={self.host}",
                f"--port={port}",
                f"--base-path={self.base_path.resolve()}",  # as stop_leftover looks for it
                "--export-all",
                "--enable=receive-pack",
                "--allow-override=receive-pack",
                "--reuseaddr",
                "--informative-errors",
            ],
            env=git_env(),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=log,
        )

    def stop(self, *, timeout: float = 5) -> None:
        """Terminate the daemon and its connection children; kill if they linger. Idempotent."""
        proc, self._proc = self._proc, None
        if proc is not None:
            self._terminate(proc, timeout)
            self._remove_pid_file(proc.pid)

    @staticmethod
    def _terminate(proc: subprocess.Popen[bytes], timeout: float = 5) -> None:
        # The daemon leads its own session, so its process group is exactly the daemon plus
        # the children it forked for open connections.
        children.stop(proc, grace=timeout)

    # ------------------------------------------------------------------ a crash's leftover

    def _write_pid_file(self) -> None:
        assert self._proc is not None
        record = {"pid": self._proc.pid, "owner": os.getpid(), "port": self.port}
        # Renamed into place, never half written; not flushed to disk: after a power cut no
        # daemon is left to find, and fsync would cost every start a few milliseconds.
        partial = self.pid_path.with_name(f".{self.pid_path.name}.{os.getpid()}")
        partial.write_text(json.dumps(record) + "\n", encoding="utf-8")
        partial.replace(self.pid_path)

    def _remove_pid_file(self, pid: int) -> None:
        if self._read_pid_file().get("pid") == pid:
            with contextlib.suppress(OSError):
                self.pid_path.unlink()

    def _read_pid_file(self) -> dict[str, int]:
        try:
            raw = json.loads(self.pid_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        if not isinstance(raw, dict):
            return {}
        return {k: v for k, v in raw.items() if isinstance(v, int) and not isinstance(v, bool)}

    def stop_leftover(self, *, grace: float = 3.0) -> bool:
        """Stop a daemon an earlier run left serving ``base_path``; True when there was one.

        Only when the process that started it is gone (a forge another onboard runs right now
        is left alone), and only when the recorded pid really is a git daemon serving this very
        folder: pids are reused, and a stale file must never get an unrelated process killed.
        """
        record = self._read_pid_file()
        pid, owner = record.get("pid", 0), record.get("owner", 0)
        if pid <= 0:
            return False
        if owner > 0 and owner != pid and process_running(owner):
            return False
        found = pid != os.getpid() and self._serves_here(pid)
        if found:
            _end_process_tree(pid, grace)
        with contextlib.suppress(OSError):
            self.pid_path.unlink()
        return found

    def _serves_here(self, pid: int) -> bool:
        argv = command_line(pid)
        if not argv:
            return False
        program = Path(argv[0]).name.removesuffix(".exe")
        is_daemon = program == "git-daemon" or (program == "git" and argv[1:2] == ["daemon"])
        return is_daemon and f"--base-path={self.base_path.resolve()}" in argv


@functools.cache
def daemon_program() -> list[str]:
    """``git-daemon`` from git's exec path, or ``git daemon`` when it cannot be found there.

    ``git daemon`` is a wrapper that runs ``git-daemon`` as a child and waits: the pid onboard
    knows would not be the one listening, and killing the wrapper alone orphans the listener.
    Looked up once: git's installation does not move while onboard runs.
    """
    try:
        exec_path = run_git(["--exec-path"], timeout=10).stdout.decode().strip()
    except (GitError, OSError, subprocess.SubprocessError):
        return ["git", "daemon"]
    program = Path(exec_path) / ("git-daemon.exe" if sys.platform == "win32" else "git-daemon")
    return [str(program)] if program.is_file() else ["git", "daemon"]


def command_line(pid: int) -> list[str]:
    """The argv of process ``pid`` (empty when it is gone or cannot be read)."""
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except FileNotFoundError:
        if Path("/proc/self/cmdline").exists():
            return []  # Linux: the process is gone
        return _command_line_from_ps(pid)
    except OSError:
        return []
    return [part.decode("utf-8", "surrogateescape") for part in raw.split(b"\0") if part]


def _command_line_from_ps(pid: int) -> list[str]:
    """Where there is no /proc (macOS): ``ps`` gives the command line, split at spaces."""
    try:
        result = subprocess.run(
            ["ps", "-o", "command=", "-p", str(pid)],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return []
    return result.stdout.split() if result.returncode == 0 else []


def process_running(pid: int) -> bool:
    """Whether ``pid`` is a live process (a zombie waiting for its parent is not).

    On Windows ``os.kill(pid, 0)`` would end the process: every pid counts as alive there.
    """
    if sys.platform == "win32":
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive, and not ours to judge
        return True
    except OSError:
        return False
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return True
    return stat.rpartition(")")[2].split()[:1] not in (["Z"], ["X"])


def _end_process_tree(pid: int, grace: float) -> None:
    """SIGTERM ``pid`` (its whole group when it leads one), SIGKILL after ``grace`` seconds.

    Not a child of ours, so it cannot be waited for: it is watched until it is gone.
    """
    if sys.platform == "win32":
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGTERM)  # TerminateProcess: there is nothing gentler
        return
    try:
        group = os.getpgid(pid) == pid
    except OSError:
        return
    for sig in (signal.SIGTERM, signal.SIGKILL):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(pid, sig) if group else os.kill(pid, sig)
        deadline = time.monotonic() + grace
        while time.monotonic() < deadline:
            if not process_running(pid):
                return
            time.sleep(0.02)
