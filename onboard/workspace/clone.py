"""Cloning a fork: partial by default, with live progress, a real cancel, and a stall timeout.

GitPython's ``Repo.clone_from`` cannot be stopped and has no timeout, so the clone is started
with GitPython's own process machinery (``Git.execute(as_process=True)`` +
``handle_process_output`` + ``RemoteProgress``) while a watchdog thread keeps the handle to kill
the whole git process group on cancel or when git stops receiving data.

git clones into a hidden sibling folder that is renamed into place only when complete. An
interrupted clone (cancel, crash, power cut) therefore never leaves a half-filled project folder
behind, and the next attempt removes the leftover and starts cleanly.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from onboard.core.storage.paths import display_path
from onboard.workspace.gitenv import GIT_ENV, WorkspaceError, load_git
from onboard.workspace.repo import git_reason, same_remote

#: Stop a clone when git has reported nothing for this long: a dead connection, not a slow one.
DEFAULT_STALL_TIMEOUT_SECONDS = 120.0
_KILL_GRACE_SECONDS = 3.0

# Share of the whole clone each phase covers, for one bar that only moves forward.
_PHASES: dict[str, tuple[float, float]] = {
    "Counting objects": (0.0, 0.05),
    "Compressing objects": (0.05, 0.1),
    "Receiving objects": (0.1, 0.85),
    "Resolving deltas": (0.85, 0.95),
    "Checking out files": (0.95, 1.0),
}


@dataclass(frozen=True)
class CloneProgress:
    """How far a clone has got: ``fraction`` in 0..1 (None while unknown) and git's phase."""

    phase: str
    fraction: float | None
    message: str = ""


ProgressCallback = Callable[[CloneProgress], None]


class CloneCancelled(WorkspaceError):
    """The user stopped the clone; nothing was left behind."""


class FolderInUse(WorkspaceError):
    """The destination holds something else. ``remotes`` is None when it is not a git clone,
    so callers can offer "use this existing clone" when its remotes name the same project."""

    def __init__(self, message: str, path: Path, remotes: dict[str, str] | None) -> None:
        super().__init__(message)
        self.path = path
        self.remotes = remotes


def staging_path(dest: Path) -> Path:
    """Where git writes until the clone is complete (next to ``dest``, so the rename is atomic)."""
    return dest.parent / f".{dest.name}.onboard-cloning"


def clone(
    url: str,
    dest: Path,
    *,
    progress: ProgressCallback | None = None,
    partial: bool = True,
    cancel: threading.Event | None = None,
    stall_timeout: float | None = DEFAULT_STALL_TIMEOUT_SECONDS,
) -> None:
    """Clone ``url`` into ``dest``; reuse ``dest`` if it already is that clone.

    ``partial`` asks for a blob-less partial clone: all history, but file contents are fetched
    on demand. Servers that do not allow it silently give a full clone. Setting ``cancel``
    stops git at once and removes the partial copy, raising :class:`CloneCancelled`.
    """
    git = load_git()
    if _already_cloned(dest, url):
        return
    try:
        git.Git.check_unsafe_protocols(url)
    except git.exc.UnsafeProtocolError as error:
        raise WorkspaceError(
            f"Refusing to clone {url!r}: it is not a plain repository URL."
        ) from error
    staging = staging_path(dest)
    shutil.rmtree(staging, ignore_errors=True)  # a leftover of an interrupted clone
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        _check_writable(dest.parent)
    except OSError as error:
        raise WorkspaceError(_cannot_write(dest.parent, error)) from error
    options = ["--filter=blob:none"] if partial else []
    # Always pass a RemoteProgress: it is also what collects git's error lines while cloning.
    reporter = _progress_reporter(git, progress)
    command = ["git", "clone", "--progress", "-v", *options, "--", url, str(staging)]
    try:
        outcome = _run_watched(git, command, reporter, cancel, stall_timeout)
        if outcome == "cancelled":
            raise CloneCancelled("Clone cancelled. Nothing was left behind; you can start again.")
        if outcome == "stalled":
            raise WorkspaceError(
                f"git received nothing from {url} for {stall_timeout:.0f} seconds, so the clone "
                "was stopped. Check your internet connection and try again."
            )
        if outcome != 0:
            failure = git.GitCommandError(command, outcome)
            reason = git_reason(failure, [*reporter.error_lines, *reporter.other_lines])
            raise WorkspaceError(f"git could not clone {url}: {reason}")
        try:
            if dest.is_dir():
                dest.rmdir()  # _already_cloned checked that it is empty
            staging.rename(dest)
        except OSError as error:
            raise WorkspaceError(_cannot_write(dest.parent, error)) from error
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    if progress:
        progress(CloneProgress("Done", 1.0))


def _check_writable(folder: Path) -> None:
    """Raise ``OSError`` unless files can be made in ``folder``: say so before git starts.

    git itself would fail later with a line a newcomer cannot read ("could not create leading
    directories"), after the fork and with the progress bar already moving.
    """
    probe = folder / f".onboard-write-check-{os.getpid()}"
    probe.mkdir()
    probe.rmdir()


def _cannot_write(folder: Path, error: OSError) -> str:
    why = error.strerror or str(error)
    return (
        f"onboard cannot write in {display_path(folder)} ({why}). Choose another folder for "
        "the clone, or make this one writable for your user, then try again."
    )


def _already_cloned(dest: Path, url: str) -> bool:
    """True when ``dest`` already is a clone of ``url``; raise when it holds anything else."""
    if dest.exists() and not dest.is_dir():
        raise FolderInUse(
            f"{dest} is a file, not a folder. Move it away or choose another folder.", dest, None
        )
    if not dest.exists() or not any(dest.iterdir()):
        return False
    remotes = _remotes(dest)
    if remotes is None:
        raise FolderInUse(
            f"{dest} already exists and is not a git clone. Move it away or choose another "
            "folder (set ONBOARD_WORKSPACE).",
            dest,
            None,
        )
    origin = remotes.get("origin")
    if origin is not None and same_remote(origin, url):
        return True
    described = f"a clone of {origin}" if origin else "a git clone without an 'origin' remote"
    raise FolderInUse(f"{dest} is already {described}, not of {url}.", dest, remotes)


def _remotes(path: Path) -> dict[str, str] | None:
    git = load_git()
    try:
        repo = git.Repo(path)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        return None
    return {remote.name: remote.url for remote in repo.remotes}


def _run_watched(
    git: Any,
    command: list[str],
    reporter: Any,
    cancel: threading.Event | None,
    stall_timeout: float | None,
) -> int | str:
    """Run git, feeding its progress to ``reporter``; return its exit status, or why it was
    stopped (``"cancelled"`` / ``"stalled"``)."""
    process = git.Git().execute(
        command,
        as_process=True,
        universal_newlines=True,
        env=GIT_ENV,
        start_new_session=sys.platform != "win32",  # one process group to stop, children too
    )
    popen = process.proc
    handle_line = reporter.new_message_handler()
    last_output = [time.monotonic()]
    stopped: list[str] = []
    finished = threading.Event()

    def on_line(line: str) -> None:
        last_output[0] = time.monotonic()
        if not stopped:  # after a cancel, the rest of git's buffered output is not news
            handle_line(line)

    def watchdog() -> None:
        while not finished.wait(0.1):
            if cancel is not None and cancel.is_set():
                stopped.append("cancelled")
            elif stall_timeout is not None and time.monotonic() - last_output[0] > stall_timeout:
                stopped.append("stalled")
            else:
                continue
            _stop(popen)
            return

    guard = threading.Thread(target=watchdog, name="clone-watchdog", daemon=True)
    guard.start()
    try:
        git.cmd.handle_process_output(process, None, on_line, None, decode_streams=False)
        status = popen.wait()
    finally:
        finished.set()
        guard.join()
    return stopped[0] if stopped else status


def _stop(popen: Any) -> None:
    """Terminate git and everything it started (index-pack, remote helpers), then make sure."""
    if popen.poll() is not None:
        return
    if sys.platform == "win32":
        popen.kill()
        return
    try:
        os.killpg(popen.pid, signal.SIGTERM)
        popen.wait(timeout=_KILL_GRACE_SECONDS)
    except ProcessLookupError:
        return
    except subprocess.TimeoutExpired:  # still running after the grace period
        try:
            os.killpg(popen.pid, signal.SIGKILL)
        except ProcessLookupError:
            return


def _progress_reporter(git: Any, callback: ProgressCallback | None) -> Any:
    """A ``git.RemoteProgress`` that turns git's phases into one forward-moving fraction."""
    names = {
        git.RemoteProgress.COUNTING: "Counting objects",
        git.RemoteProgress.COMPRESSING: "Compressing objects",
        git.RemoteProgress.RECEIVING: "Receiving objects",
        git.RemoteProgress.RESOLVING: "Resolving deltas",
        git.RemoteProgress.CHECKING_OUT: "Checking out files",
    }

    class Reporter(git.RemoteProgress):  # type: ignore[misc, name-defined]
        best = 0.0

        def update(
            self, op_code: int, cur_count: float, max_count: float | None = None, message: str = ""
        ) -> None:
            phase = names.get(op_code & self.OP_MASK)
            if phase is None or callback is None:
                return
            start, end = _PHASES[phase]
            part = (float(cur_count) / float(max_count)) if max_count else 0.0
            self.best = max(self.best, start + (end - start) * min(part, 1.0))
            callback(CloneProgress(phase, self.best, message or ""))

    return Reporter()
