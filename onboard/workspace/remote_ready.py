"""Waiting until a new fork's git repository answers, before cloning it.

GitHub creates forks asynchronously: ``POST /repos/{o}/{r}/forks`` answers 202 with the whole
fork object at once, and ``GET`` of that object works at once too, but the git repository behind
it appears later (GitHub documents up to five minutes). A clone started straight after the fork
request fails in under a second with "remote error: no such repository" / "Repository not
found". So the only trustworthy sign that a fork is ready is git itself answering for it:
:func:`probe` runs ``git ls-remote`` against the clone URL, and :func:`wait_until_ready` repeats
it with exponential backoff until it works, the time runs out, or the learner cancels.

The loop takes its clock, its sleep and its probe as arguments so that unit tests can run five
simulated minutes in microseconds; the real probe is tested against the practice forge's git
daemon.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from onboard.workspace.clone import CloneCancelled
from onboard.workspace.gitenv import GIT_ENV, WorkspaceError, load_git

#: GitHub documents that creating a fork can take up to five minutes.
FORK_READY_TIMEOUT_SECONDS = 300.0
#: The first pause between probes; it doubles after every miss, up to :data:`MAX_DELAY_SECONDS`.
FIRST_DELAY_SECONDS = 0.5
MAX_DELAY_SECONDS = 10.0
#: One ``git ls-remote`` that has not answered in this long is a dead connection, not a slow fork.
PROBE_TIMEOUT_SECONDS = 30.0
#: Failures that do not say "no such repository" (no network, a refused connection) are retried
#: this many times in a row before the wait gives up with git's own reason: they are not a fork
#: being created, and waiting five minutes would only hide them.
MAX_OTHER_FAILURES = 3
#: While pausing between probes, report the time waited this often so a screen can count up.
REPORT_EVERY_SECONDS = 1.0

# What hosts answer for a repository that does not exist (yet). Over HTTPS GitHub asks for a
# login rather than admit a repository is missing (it could be private), which with prompts
# disabled becomes "could not read Username"; git daemon says "no such repository" (or "not
# exported" without --informative-errors); a path that is not there yet is "does not appear to be
# a git repository".
_MISSING_MARKERS = (
    "no such repository",
    "repository not found",
    "not found",
    "not exported",
    "does not appear to be a git repository",
    "could not read username",
    "terminal prompts disabled",
    "authentication failed",
)


@dataclass(frozen=True)
class Probe:
    """One ``git ls-remote``: ``ok`` when the repository answered; otherwise whether the host
    said it has no such repository (``missing``, worth waiting for) and git's reason."""

    ok: bool
    missing: bool = False
    reason: str = ""


class RemoteNotReady(WorkspaceError):
    """The repository still did not answer when the time ran out."""

    def __init__(self, url: str, waited: float, reason: str) -> None:
        super().__init__(f"{url} did not answer git after {waited:.0f} seconds: {reason}")
        self.url = url
        self.waited = waited
        self.reason = reason


class WaitCancelled(CloneCancelled):
    """The learner stopped the wait; nothing was changed.

    A kind of :class:`CloneCancelled`: to the learner, and to every caller, it is the same
    Cancel of the same set-up, only pressed before git started copying.
    """


ProbeFunction = Callable[[str, "threading.Event | None"], Probe]


def probe(
    url: str,
    cancel: threading.Event | None = None,
    *,
    timeout: float = PROBE_TIMEOUT_SECONDS,
) -> Probe:
    """Ask git whether ``url`` is a repository it can fetch from, without fetching anything.

    ``git ls-remote URL HEAD`` is the cheapest question that goes through the same transport and
    credentials as the clone will. It runs in its own process group, with prompts off, so a
    cancel (or a dead connection) ends it and everything it started.
    """
    git = load_git()
    if url.startswith("-"):
        raise WorkspaceError(f"Refusing to ask git about {url!r}: it is not a repository URL.")
    try:
        git.Git.check_unsafe_protocols(url)
    except git.exc.UnsafeProtocolError as error:
        raise WorkspaceError(
            f"Refusing to ask git about {url!r}: it is not a plain repository URL."
        ) from error
    # English messages, whatever the learner's locale: the markers above are matched in them.
    env = {**os.environ, **GIT_ENV, "LC_ALL": "C", "LANGUAGE": ""}
    # stdout is thrown away (only the exit status matters) and stderr goes to a file, so git can
    # never block on a full pipe however much it says.
    with tempfile.TemporaryFile() as errors:
        try:
            process = subprocess.Popen(
                ["git", "ls-remote", url, "HEAD"],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=errors,
                env=env,
                start_new_session=sys.platform != "win32",
            )
        except OSError as error:
            raise WorkspaceError(f"onboard could not run git: {error}") from error
        deadline = time.monotonic() + timeout
        status: int | None = None
        while status is None:
            try:
                status = process.wait(timeout=0.05)
            except subprocess.TimeoutExpired:
                if cancel is not None and cancel.is_set():
                    _stop(process)
                    return Probe(False, reason="cancelled")
                if time.monotonic() > deadline:
                    _stop(process)
                    return Probe(False, reason=f"no answer within {timeout:.0f} seconds")
        if status == 0:
            return Probe(True)
        errors.seek(0)
        text = errors.read().decode("utf-8", "replace")
    reason = _reason(text, status)
    return Probe(False, missing=any(m in text.lower() for m in _MISSING_MARKERS), reason=reason)


def wait_until_ready(
    url: str,
    *,
    cancel: threading.Event | None = None,
    on_wait: Callable[[float], None] | None = None,
    timeout: float = FORK_READY_TIMEOUT_SECONDS,
    first_delay: float = FIRST_DELAY_SECONDS,
    max_delay: float = MAX_DELAY_SECONDS,
    check: ProbeFunction = probe,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], object] | None = None,
) -> float:
    """Probe ``url`` until git answers; return the seconds waited (0 when it answered at once).

    Between probes the pause starts at ``first_delay`` and doubles up to ``max_delay``; the last
    probe is made when ``timeout`` is reached. ``on_wait`` hears the seconds waited after every
    miss and about once a second while pausing. Raises :class:`WaitCancelled` soon after
    ``cancel`` is set, :class:`RemoteNotReady` when the time runs out, and
    :class:`WorkspaceError` with git's reason when git fails for another reason several times in
    a row (no network is not a fork being created).
    """
    pause = sleep if sleep is not None else (cancel.wait if cancel is not None else time.sleep)
    started = clock()
    deadline = started + timeout
    delay = first_delay
    other_failures = 0

    def stop_if_cancelled() -> None:
        if cancel is not None and cancel.is_set():
            raise WaitCancelled("Stopped waiting for your fork.")

    while True:
        stop_if_cancelled()
        result = check(url, cancel)
        if result.ok:
            return clock() - started
        stop_if_cancelled()
        other_failures = 0 if result.missing else other_failures + 1
        if other_failures >= MAX_OTHER_FAILURES:
            raise WorkspaceError(f"git could not reach {url}: {result.reason}")
        now = clock()
        if now >= deadline:
            raise RemoteNotReady(url, now - started, result.reason)
        if on_wait is not None:
            on_wait(now - started)
        until = min(now + delay, deadline)
        while (left := until - clock()) > 0:
            pause(min(left, REPORT_EVERY_SECONDS))
            stop_if_cancelled()
            if on_wait is not None and clock() < until:
                on_wait(clock() - started)
        delay = min(delay * 2, max_delay)


def _reason(stderr: str, status: int) -> str:
    """git's explanation in one line: its ``fatal:``/``error:`` lines, else its last line."""
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    important = [line for line in lines if line.lower().startswith(("fatal:", "error:"))]
    chosen = important or lines[-1:] or [f"git exited with status {status}"]
    return " ".join(dict.fromkeys(chosen))


def _stop(process: subprocess.Popen[bytes]) -> None:
    """End git and whatever it started (a remote helper, ssh), then reap it."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        if sys.platform == "win32":
            process.kill()
        else:
            os.killpg(process.pid, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=5)
