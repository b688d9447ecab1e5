"""Real git hosting for the practice forge: ``git daemon`` plus the git helpers the forge needs.

Learners clone, fetch and push with the real ``git`` over a real ``git://`` socket, so every step
they rehearse behaves like the real thing. The daemon runs in its own process group so that
stopping the forge also ends the per-connection children it forks: no orphans survive a test.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import IO

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
        candidates = []
        if self.preferred_port and port_is_free(self.host, self.preferred_port):
            candidates.append(self.preferred_port)
        candidates.extend(free_port(self.host) for _ in range(3))
        last_error = ""
        for port in candidates:
            ok, last_error = self._try_start(port, timeout)
            if ok:
                self.port = port
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

    def _spawn(self, port: int, log: IO[bytes]) -> subprocess.Popen[bytes]:
        return subprocess.Popen(
            [
                "git",
                "daemon",
                f"--listen={self.host}",
                f"--port={port}",
                f"--base-path={self.base_path}",
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
            start_new_session=True,
        )

    def stop(self, *, timeout: float = 5) -> None:
        """Terminate the daemon and its connection children; kill if they linger. Idempotent."""
        proc, self._proc = self._proc, None
        if proc is not None:
            self._terminate(proc, timeout)

    @staticmethod
    def _terminate(proc: subprocess.Popen[bytes], timeout: float = 5) -> None:
        # The daemon leads its own session, so its process group is exactly the daemon plus
        # the children it forked for open connections.
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=timeout)
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, signal.SIGKILL)  # stragglers in the group, if any
