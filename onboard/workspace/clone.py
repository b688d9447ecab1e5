"""Cloning a fork: partial by default, with live progress, a real cancel, and a stall timeout.

GitPython's ``Repo.clone_from`` cannot be stopped and has no timeout, so the clone is started
with GitPython's own process machinery (``Git.execute(as_process=True)`` +
``handle_process_output`` + ``RemoteProgress``) while a watchdog thread keeps the handle to kill
the whole git process group on cancel or when git stops receiving data.

git clones into a hidden sibling folder that is renamed into place only when complete. An
interrupted clone (cancel, crash, power cut) therefore never leaves a half-filled project folder
behind, and the next attempt removes the leftover and starts cleanly.

That hidden staging area (:func:`staging_path`) holds one folder per clone, each with a lock file
its clone holds while git writes. Two clones of the same project can be under way at once (the
learner pressed Esc and chose the project again before the first git had stopped; two browser
tabs of a workshop): each only ever removes its own folder, so neither can delete or finish into
the other's. A folder whose lock nobody holds was left by a process that is gone (the kernel
releases the lock of a killed process), so it is removed before the next clone, and at start
(:func:`remove_abandoned_clones`). git runs through :mod:`.children`, so it ends with onboard.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import shutil
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from onboard.core.storage.paths import display_path
from onboard.workspace import children
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
    """The hidden folder where clones of ``dest`` are written until complete: next to ``dest``,
    so that moving a finished clone into place is an atomic rename."""
    return dest.parent / f".{dest.name}.onboard-cloning"


_STAGING_SUFFIX = ".onboard-cloning"
_LOCK_SUFFIX = ".lock"


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
    remove_abandoned(staging_path(dest))
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        _check_writable(dest.parent)
    except OSError as error:
        raise WorkspaceError(_cannot_write(dest.parent, error)) from error
    options = ["--filter=blob:none"] if partial else []
    # Always pass a RemoteProgress: it is also what collects git's error lines while cloning.
    reporter = _progress_reporter(git, progress)
    with _claim(staging_path(dest)) as staging:
        command = ["git", "clone", "--progress", "-v", *options, "--", url, str(staging)]
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
        _move_into_place(staging, dest, url)
    if progress:
        progress(CloneProgress("Done", 1.0))


def _move_into_place(staging: Path, dest: Path, url: str) -> None:
    """Rename the finished clone to ``dest``; fine if a clone of ``url`` got there first."""
    try:
        if dest.is_dir():
            dest.rmdir()  # empty, as _already_cloned checked; not empty: someone was quicker
        staging.rename(dest)
    except OSError as error:
        if _already_cloned(dest, url):  # another clone of this project finished first
            return
        raise WorkspaceError(_cannot_write(dest.parent, error)) from error


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


# -- the staging area: one locked folder per clone ------------------------------------------


@contextlib.contextmanager
def _claim(root: Path) -> Iterator[Path]:
    """A fresh folder name inside ``root`` for one clone, locked until the block ends; then the
    folder (whatever git left in it), its lock and, if nothing else is in it, ``root`` go."""
    folder, handle = _new_locked_name(root)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        with contextlib.suppress(OSError):
            _lock_path(folder).unlink()
        os.close(handle)
        with contextlib.suppress(OSError):
            root.rmdir()  # only when empty: another clone may be using it


def _new_locked_name(root: Path) -> tuple[Path, int]:
    for _attempt in range(20):
        root.mkdir(parents=True, exist_ok=True)
        folder = root / f"{os.getpid()}-{secrets.token_hex(4)}"
        lock = _lock_path(folder)
        try:
            handle = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_RDWR, 0o600)
        except FileNotFoundError:  # a clean-up removed the empty root meanwhile: again
            continue
        if _try_lock(handle) is not False and _same_file(handle, lock):
            return folder, handle
        # A clean-up took the brand-new lock for an abandoned one and removed it: again.
        os.close(handle)
    raise WorkspaceError(f"Could not prepare a folder to clone into inside {root.parent}.")


def remove_abandoned(root: Path) -> None:
    """Remove what interrupted clones left in the staging folder ``root``; keep live clones.

    A clone's folder is abandoned when nobody holds its lock (or it has none: a lock is created
    before its folder and removed after it); anything else in ``root`` is a leftover too, such
    as a whole clone staged by an older onboard.
    """
    try:
        entries = list(root.iterdir())
    except OSError:
        return
    for entry in entries:
        if entry.name.endswith(_LOCK_SUFFIX):
            _remove_if_abandoned(entry)
        elif not _lock_path(entry).exists():  # looked at now, not when listed: see _claim
            _remove(entry)
    with contextlib.suppress(OSError):
        root.rmdir()


def remove_abandoned_clones(workspace_root: Path) -> None:
    """At start: the leftovers of interrupted clones anywhere in ``ROOT/OWNER/``."""
    try:
        owners = [entry for entry in workspace_root.iterdir() if entry.is_dir()]
    except OSError:
        return
    for owner in owners:
        with contextlib.suppress(OSError):
            for entry in owner.iterdir():
                if entry.name.startswith(".") and entry.name.endswith(_STAGING_SUFFIX):
                    remove_abandoned(entry)


def _remove_if_abandoned(lock: Path) -> None:
    try:
        handle = os.open(lock, os.O_RDWR)
    except OSError:
        return
    name = lock.name.removesuffix(_LOCK_SUFFIX)
    try:
        taken = _try_lock(handle)
        if taken is None:
            taken = _owner_gone(name)
        if not taken or not _same_file(handle, lock):
            return  # a clone is writing there right now
        _remove(lock.with_name(name))
        with contextlib.suppress(OSError):
            lock.unlink()
    finally:
        os.close(handle)


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        with contextlib.suppress(OSError):
            path.unlink()


def _lock_path(folder: Path) -> Path:
    return folder.with_name(folder.name + _LOCK_SUFFIX)


def _same_file(handle: int, path: Path) -> bool:
    try:
        return os.path.samestat(os.fstat(handle), path.stat())
    except OSError:
        return False


def _try_lock(handle: int) -> bool | None:
    """Take the lock on an open file without waiting: True when taken, False when someone holds
    it, None when this file system has no locks. A lock is released when its file is closed,
    or when the process holding it ends, however it ends."""
    try:
        if sys.platform == "win32":
            import msvcrt

            msvcrt.locking(handle, msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except (BlockingIOError, PermissionError):
        return False
    except OSError as error:
        if error.errno in (errno.EAGAIN, errno.EACCES, errno.EDEADLK):
            return False
        return None  # ENOLCK, ENOTSUP...: a network file system without locks
    return True


def _owner_gone(folder_name: str) -> bool:
    """Without locks: whether the process named in a staging folder's name (``PID-…``) ended."""
    pid = folder_name.partition("-")[0]
    if not pid.isdigit():
        return True
    if sys.platform == "win32":  # os.kill(pid, 0) would end the process there
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except OSError:  # someone else's process: alive
        return False
    return False


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
    # A process group of its own (to stop git and its helpers together) that ends with onboard.
    process = children.launch(
        lambda: git.Git().execute(
            command,
            as_process=True,
            universal_newlines=True,
            env=GIT_ENV,
            **children.popen_options(),
        ),
        lambda started: started.proc,
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
        children.forget(popen)
    return stopped[0] if stopped else status


def _stop(popen: Any) -> None:
    """Terminate git and everything it started (index-pack, remote helpers), then make sure."""
    children.stop(popen, grace=_KILL_GRACE_SECONDS)


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
