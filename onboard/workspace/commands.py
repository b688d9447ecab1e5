"""Run one of a project's own setup or test commands: argv only, live output, stoppable.

These commands come from guide packs or from onboard's own suggestions and run a stranger's code
(``npm ci`` runs install scripts), so the rules are strict:

- never a shell: ``argv`` goes to the operating system as is, and a single string with spaces is
  refused because it would only work through a shell;
- no way to hang: stdin is closed and git may not ask for a password;
- never onboard's own Python: :func:`project_env` takes onboard's virtual environment (and any
  inherited one) off the PATH and, for a Python project, makes the clone's ``.venv`` the active
  one, as ``source .venv/bin/activate`` would;
- the newcomer's GitHub token is removed from the environment, so project scripts never see it;
- cancel and timeout stop the whole process group (``npm`` starts ``node`` starts ``sh``...),
  politely first (SIGTERM), then for good (SIGKILL) after a grace period;
- a step never outlives onboard: it is started through :mod:`onboard.workspace.children`, so
  quitting, SIGTERM, SIGHUP or onboard being killed stop it too.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from onboard.core.models import SetupStep
from onboard.core.storage.paths import display_path
from onboard.workspace import children

#: Never passed on to project scripts: they are the newcomer's credentials and API choice.
SECRET_ENV = ("GH_TOKEN", "GITHUB_TOKEN", "GITHUB_API_URL", "GH_ENTERPRISE_TOKEN")
#: Added for every command: no credential prompt can hang the run; Python tools print live.
COMMAND_ENV = {"GIT_TERMINAL_PROMPT": "0", "GCM_INTERACTIVE": "never", "PYTHONUNBUFFERED": "1"}
GRACE_SECONDS = 3.0
#: After the command exits, how long programs it left behind may keep the output open.
DRAIN_SECONDS = 2.0
#: A "line" without a line break (a progress bar gone wrong) is cut here.
MAX_LINE_BYTES = 64 * 1024
_POLL_SECONDS = 0.05
_LINE_BREAK = re.compile(rb"\r\n|\r|\n")

OutputSink = Callable[[str], None]


@dataclass(frozen=True)
class StepResult:
    """How a command ended. ``exit_code`` is None when it never started or had to be stopped."""

    exit_code: int | None
    cancelled: bool = False
    timed_out: bool = False
    duration: float = 0.0
    #: Why it did not succeed, in words a newcomer understands; None on success.
    reason: str | None = None

    @property
    def ok(self) -> bool:
        return self.exit_code == 0 and not self.cancelled and not self.timed_out


def command_env(base: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment a project command gets: ``base`` (default: ours) minus the secrets."""
    env = {k: v for k, v in (os.environ if base is None else base).items() if k not in SECRET_ENV}
    env.update(COMMAND_ENV)
    return env


#: Variables that tie a process to one Python installation: onboard's, or an activated venv's.
INTERPRETER_ENV = ("VIRTUAL_ENV", "VIRTUAL_ENV_PROMPT", "PYTHONHOME", "__PYVENV_LAUNCHER__")


def own_environments(base: Mapping[str, str] | None = None) -> tuple[Path, ...]:
    """Virtual environments a project command must not see: onboard's own, and an active one.

    onboard runs from its own venv (``sys.prefix`` differs from ``sys.base_prefix`` then); a
    terminal may also have one activated (``VIRTUAL_ENV``). Either on the PATH would make a
    step's ``pip`` install the project into it.
    """
    environ = os.environ if base is None else base
    found: list[Path] = []
    if sys.prefix != sys.base_prefix:
        found.append(Path(sys.prefix))
    if environ.get("VIRTUAL_ENV"):
        found.append(Path(environ["VIRTUAL_ENV"]))
    return tuple(found)


def scripts_dir(venv: Path) -> Path:
    """Where a virtual environment keeps its programs: ``bin``, or ``Scripts`` on Windows."""
    return venv / ("Scripts" if sys.platform == "win32" else "bin")


def same_dir(entry: str | Path, folder: Path) -> bool:
    """Whether a PATH entry names ``folder`` (however it is spelled)."""
    try:
        return Path(entry).resolve() == folder.resolve()
    except (OSError, ValueError, RuntimeError):
        return False


def project_env(venv: Path | None, base: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment for a project's step: ``base`` (default: ours) without onboard's Python.

    onboard's own venv and any inherited ``VIRTUAL_ENV`` leave the PATH and the environment.
    With ``venv`` (the clone's ``.venv``), it becomes the active environment: ``VIRTUAL_ENV``
    points at it, its scripts folder comes first on the PATH (before it exists, too: the step
    that makes it comes first), and ``PIP_USER=0`` overrides a ``user = true`` in pip's config,
    which pip refuses inside a venv. :func:`run_step` still removes the secrets.
    """
    env = dict(os.environ if base is None else base)
    hidden = own_environments(env)
    for key in INTERPRETER_ENV:
        env.pop(key, None)
    entries = [
        entry
        for entry in env.get("PATH", os.defpath).split(os.pathsep)
        if entry and not any(same_dir(entry, scripts_dir(folder)) for folder in hidden)
    ]
    if venv is not None:
        env["VIRTUAL_ENV"] = str(venv)
        env["PIP_USER"] = "0"
        entries.insert(0, str(scripts_dir(venv)))
    env["PATH"] = os.pathsep.join(entries)
    return env


def shell_string_reason(argv: tuple[str, ...]) -> str | None:
    """Why ``argv`` cannot be run without a shell, or None when it is a proper argv list."""
    if not argv or not argv[0]:
        return "this step has no command to run"
    if len(argv) == 1 and any(ch.isspace() for ch in argv[0]):
        return (
            f"{argv[0]!r} looks like a shell command; onboard only runs commands given as a "
            'list of words, such as ["npm", "ci"]'
        )
    if any("\0" in arg for arg in argv):
        return "this step contains a NUL character, which no command can receive"
    return None


def resolve_executable(argv0: str, cwd: Path, env: Mapping[str, str]) -> tuple[str | None, str]:
    """``(path, "")`` for the program to start, or ``(None, reason)`` when there is none.

    A relative path with a folder in it (``.venv/bin/python``) means a file inside the project;
    a bare name (``npm``) is looked up on PATH, as a shell would.
    """
    if "/" in argv0 or os.sep in argv0:
        candidate = Path(argv0) if Path(argv0).is_absolute() else cwd / argv0
        if candidate.is_file():
            return str(candidate), ""
        return None, (
            f"{argv0} does not exist in {display_path(cwd)} (an earlier step should create it)"
        )
    found = shutil.which(argv0, path=env.get("PATH", os.defpath))
    if found is None:
        return None, f"{argv0} is not installed (or not on your PATH): see onboard doctor"
    return found, ""


def run_step(
    step: SetupStep,
    cwd: Path,
    *,
    on_output: OutputSink,
    cancel: threading.Event,
    timeout: float | None,
    env: Mapping[str, str] | None = None,
    grace: float = GRACE_SECONDS,
) -> StepResult:
    """Run ``step`` in ``cwd``, calling ``on_output`` with each line as it arrives.

    Blocks until the command and everything it started have finished or been stopped; call it
    from a worker thread. ``on_output`` is called from a reader thread, never after this returns.
    """
    started = time.monotonic()

    def refused(reason: str) -> StepResult:
        return StepResult(None, duration=time.monotonic() - started, reason=reason)

    argv = tuple(step.argv)
    problem = shell_string_reason(argv)
    if problem:
        return refused(problem)
    if not cwd.is_dir():
        return refused(f"the folder {display_path(cwd)} does not exist")
    full_env = command_env(env)
    executable, problem = resolve_executable(argv[0], cwd, full_env)
    if executable is None:
        return refused(problem)
    if cancel.is_set():
        return StepResult(None, cancelled=True, reason="cancelled before it started")
    try:
        process = children.start(
            [executable, *argv[1:]],
            shell=False,
            cwd=cwd,
            env=full_env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
    except PermissionError:
        return refused(f"{argv[0]} cannot be run: it is not an executable program")
    except OSError as error:
        return refused(f"{argv[0]} could not be started: {error.strerror or error}")

    assert process.stdout is not None
    reader = _Reader(process.stdout, on_output)
    reader.start()
    deadline = None if timeout is None else started + timeout
    cancelled = timed_out = False
    while process.poll() is None:
        wait = _POLL_SECONDS
        if deadline is not None:
            wait = min(wait, max(deadline - time.monotonic(), 0.0))
        if cancel.wait(wait):
            cancelled = True
            break
        if deadline is not None and time.monotonic() >= deadline:
            timed_out = True
            break
    if cancelled or timed_out:
        _stop_group(process, grace)
    elif not reader.finished.wait(DRAIN_SECONDS):
        _stop_group(process, grace)  # the command exited but left programs holding our output
    reader.finished.wait(grace + DRAIN_SECONDS)
    reader.silence()
    code = process.wait()
    children.forget(process)
    duration = time.monotonic() - started
    if cancelled:
        return StepResult(None, cancelled=True, duration=duration, reason="cancelled")
    if timed_out:
        return StepResult(
            None,
            timed_out=True,
            duration=duration,
            reason=f"took longer than {_seconds(timeout or 0)} and was stopped",
        )
    if code == 0:
        return StepResult(0, duration=duration)
    return StepResult(code, duration=duration, reason=_exit_reason(code))


def _stop_group(process: subprocess.Popen[bytes], grace: float) -> None:
    """SIGTERM the whole group, then SIGKILL whatever is still there after ``grace`` seconds."""
    children.stop(process, grace=grace)


def _exit_reason(code: int) -> str:
    if code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        return f"stopped by {name}"
    return f"exit status {code}"


def _seconds(value: float) -> str:
    if value >= 120:
        return f"{value / 60:.0f} minutes"
    return f"{value:g} s"


class _Reader(threading.Thread):
    """Reads the command's output in chunks and hands over whole lines as they complete.

    Chunks, not ``readline``: a progress bar that only ever writes ``\\r`` would otherwise stay
    invisible until the command ends. ``\\r`` counts as a line break for the same reason.
    """

    def __init__(self, stream: IO[bytes], on_output: OutputSink) -> None:
        super().__init__(name="onboard-command-output", daemon=True)
        self._stream = stream
        self._on_output = on_output
        self._lock = threading.Lock()
        self._silenced = False
        self.finished = threading.Event()

    def silence(self) -> None:
        """Stop delivering lines (output of leftovers that outlive :func:`run_step`)."""
        with self._lock:
            self._silenced = True

    def run(self) -> None:
        pending = b""
        read = getattr(self._stream, "read1", self._stream.read)
        try:
            while chunk := read(65536):
                pending += chunk
                pending = self._emit_complete(pending)
            if pending:
                self._emit(pending)
        except (OSError, ValueError):
            pass  # the pipe was closed under us; nothing more to show
        finally:
            self.finished.set()
            self._stream.close()

    def _emit_complete(self, pending: bytes) -> bytes:
        parts = _LINE_BREAK.split(pending)
        rest = parts.pop()
        if pending.endswith(b"\r"):  # maybe half of \r\n: wait for the next byte
            rest = parts.pop() + b"\r" if parts else rest
        for part in parts:
            self._emit(part)
        while len(rest) > MAX_LINE_BYTES:
            self._emit(rest[:MAX_LINE_BYTES])
            rest = rest[MAX_LINE_BYTES:]
        return rest

    def _emit(self, raw: bytes) -> None:
        line = raw.decode("utf-8", errors="replace")
        with self._lock:
            if not self._silenced:
                self._on_output(line)
