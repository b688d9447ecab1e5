"""The processes onboard starts, and the promise that none of them outlives onboard.

A newcomer closes the terminal, presses Ctrl+Q in the middle of a clone, or onboard crashes:
whatever happens, no ``git daemon`` may stay behind listening with push enabled, and no git may
keep writing a hidden folder nobody will ever look at. Every long-running child (the practice
forge's git daemon, clones, a project's setup steps) is started through :func:`start` or
:func:`launch`, which gives it three ways to end with us:

- its own session (process group), so that stopping it reaches everything it started
  (``npm`` starts ``node`` starts ``sh``) and so that a terminal's Ctrl+C or SIGHUP reaches
  onboard, which decides, rather than killing half of the tree behind onboard's back;
- on Linux, ``PR_SET_PDEATHSIG``: the kernel sends the child SIGTERM when onboard dies, even by
  SIGKILL, when nothing of onboard's own can run any more. SIGTERM and not SIGKILL: ``git clone``
  then deletes its half-written folder itself, and the ``git`` wrapper of ``git daemon`` passes
  it on to the ``git-daemon`` it runs, which SIGKILL would orphan;
- a registry of what is still running, which :func:`stop_all` ends (SIGTERM, then SIGKILL after
  a short grace) at interpreter exit, and on SIGTERM and SIGHUP once a command called
  :func:`exit_on_signals`.

The kernel sends the parent-death signal when the *thread* that forked the child ends, not the
process. onboard starts children from Textual's worker threads, and the practice forge may be
started from one that ends long before the forge does, so every child is forked from one keeper
thread that lives as long as onboard.

No Textual here: the command line and the app both use it.
"""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import os
import queue
import signal
import subprocess
import sys
import threading
import time
import weakref
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")

#: How long a child may take to end after SIGTERM before it gets SIGKILL.
GRACE_SECONDS = 3.0
_POLL_SECONDS = 0.02
_KILL = getattr(signal, "SIGKILL", signal.SIGTERM)  # Windows has no SIGKILL: terminate is all
_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def _load_prctl() -> Any:
    """libc's ``prctl`` on Linux, looked up once (never in a freshly forked child); else None."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None
    prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong]
    prctl.restype = ctypes.c_int
    return prctl


_PRCTL = _load_prctl()


def dies_with_onboard() -> bool:
    """Whether children get a parent-death signal here (Linux): they end even if onboard is
    killed with SIGKILL. Elsewhere only :func:`stop_all` and the next start's clean-up remain."""
    return _PRCTL is not None


def popen_options(
    *, new_session: bool = True, death_signal: int = signal.SIGTERM
) -> dict[str, Any]:
    """Keyword arguments for ``subprocess.Popen`` (or GitPython's ``Git.execute``) that make the
    child lead its own session (``new_session``) and, on Linux, receive ``death_signal`` when
    onboard dies. Synchronous runs can pass them to ``subprocess.run`` directly; a child that
    may outlive the calling thread must be started through :func:`start` or :func:`launch`."""
    if sys.platform == "win32":
        return {"creationflags": subprocess.CREATE_NEW_PROCESS_GROUP} if new_session else {}
    options: dict[str, Any] = {"start_new_session": True} if new_session else {}
    prctl = _PRCTL
    if prctl is not None:
        parent = os.getpid()

        def die_with_parent() -> None:  # runs in the child, between fork and exec
            prctl(_PR_SET_PDEATHSIG, int(death_signal), 0, 0, 0)
            if os.getppid() != parent:  # onboard died before prctl: no signal will ever come
                os.kill(os.getpid(), int(death_signal))

        options["preexec_fn"] = die_with_parent
    return options


class _Keeper:
    """The one thread every child is forked from, alive as long as onboard (see module doc)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._jobs: queue.SimpleQueue[tuple[Callable[[], Any], Future[Any]]] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None

    def call(self, job: Callable[[], T]) -> T:
        if not dies_with_onboard() or threading.current_thread() is self._thread:
            return job()
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(
                    target=self._serve, name="onboard-children", daemon=True
                )
                self._thread.start()
        done: Future[T] = Future()
        self._jobs.put((job, done))
        return done.result()

    def _serve(self) -> None:
        while True:
            job, done = self._jobs.get()
            try:
                done.set_result(job())
            except BaseException as error:  # handed to the caller, who raises it
                done.set_exception(error)


_keeper = _Keeper()
_running_lock = threading.RLock()  # re-entrant: a signal handler may run while it is held
_running: dict[int, tuple[subprocess.Popen[Any], bool]] = {}
#: Children already stopped and reaped, group and all: stopping them again (the forge's own
#: stop after a signal's stop_all) must not signal a pid that may since belong to someone else.
_ended: weakref.WeakSet[subprocess.Popen[Any]] = weakref.WeakSet()


def launch(
    start_child: Callable[[], T],
    popen: Callable[[T], subprocess.Popen[Any]] | None = None,
    *,
    group: bool = True,
) -> T:
    """Run ``start_child`` (which starts one child with :func:`popen_options`) on the keeper
    thread and remember the child until it is stopped. ``popen`` finds the ``Popen`` in what
    ``start_child`` returns (GitPython wraps it); ``group``: the child leads its own session."""

    def start_and_track() -> T:
        # Tracked by the keeper itself: a caller interrupted by a signal while it waits still
        # leaves a child that stop_all knows about.
        started = start_child()
        track(started if popen is None else popen(started), group=group)  # type: ignore[arg-type]
        return started

    return _keeper.call(start_and_track)


def start(
    argv: Sequence[str],
    *,
    new_session: bool = True,
    death_signal: int = signal.SIGTERM,
    **popen_kwargs: Any,
) -> subprocess.Popen[Any]:
    """``subprocess.Popen(argv, **popen_kwargs)`` that ends with onboard (see module doc)."""
    options = popen_options(new_session=new_session, death_signal=death_signal)
    return launch(lambda: subprocess.Popen(argv, **options, **popen_kwargs), group=new_session)


def track(process: subprocess.Popen[Any], *, group: bool) -> None:
    """Remember ``process`` for :func:`stop_all`; ``group``: it leads its own process group."""
    with _running_lock:
        for pid, (known, _group) in list(_running.items()):
            if known.returncode is not None:  # reaped by its owner: nothing left to stop
                del _running[pid]
        _running[process.pid] = (process, group)


def forget(process: subprocess.Popen[Any]) -> None:
    with _running_lock:
        known = _running.get(process.pid)
        if known is not None and known[0] is process:
            del _running[process.pid]


def running() -> list[subprocess.Popen[Any]]:
    """The children started through this module that have not ended (or not been reaped)."""
    with _running_lock:
        known = list(_running.values())
    return [process for process, _group in known if process.poll() is None]


def stop(process: subprocess.Popen[Any], *, grace: float | None = None) -> None:
    """End ``process`` and, when it leads a group, everything still in that group: SIGTERM,
    then SIGKILL for whatever is left after ``grace`` seconds. Returns once the child is reaped;
    a child that already ended is only reaped (and its group's stragglers stopped)."""
    with _running_lock:
        known = _running.get(process.pid)
        if process in _ended:
            return
    group = known[1] if known is not None and known[0] is process else _leads_group(process)
    _stop_together([(process, group)], GRACE_SECONDS if grace is None else grace)
    forget(process)


def stop_all(grace: float | None = None) -> None:
    """End every child still running, all at once (one grace period for all of them)."""
    with _running_lock:
        known = list(_running.values())
        _running.clear()
    _stop_together(known, GRACE_SECONDS if grace is None else grace)


def _stop_together(children: Sequence[tuple[subprocess.Popen[Any], bool]], grace: float) -> None:
    pending = list(children)
    for process, group in pending:
        _signal(process, group, signal.SIGTERM)
    deadline = time.monotonic() + grace
    pause = 0.001  # most children end within a few milliseconds of SIGTERM: look soon
    while pending and time.monotonic() < deadline:
        pending = [(process, group) for process, group in pending if _alive(process, group)]
        if pending:
            time.sleep(pause)
            pause = min(pause * 2, _POLL_SECONDS)
    for process, group in pending:
        _signal(process, group, _KILL)
    for process, _group in pending:
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=grace)
    with _running_lock:
        for process, _group in children:
            if process.returncode is not None:
                _ended.add(process)


def _leads_group(process: subprocess.Popen[Any]) -> bool:
    if sys.platform == "win32":
        return False
    try:
        return os.getpgid(process.pid) == process.pid
    except OSError:  # already reaped: its group, if any, cannot be told from a reused pid
        return False


def _signal(process: subprocess.Popen[Any], group: bool, sig: int) -> None:
    if sys.platform == "win32":
        with contextlib.suppress(OSError):
            process.terminate() if sig == signal.SIGTERM else process.kill()
        return
    if group:
        # The leader's pid is the group's id for as long as anyone is left in the group.
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, sig)
    elif process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            process.send_signal(sig)


def _alive(process: subprocess.Popen[Any], group: bool) -> bool:
    """Still running: the child itself, or (for a group) anyone left in its group."""
    leader_running = process.poll() is None  # reaps the leader, so only the living count
    if not group or sys.platform == "win32":
        return leader_running
    return leader_running or group_running(process.pid)


def group_running(group: int) -> bool:
    """Whether anyone in process group ``group`` still runs.

    A zombie does not count: a member whose parent died waits for init to reap it, and an init
    that reaps only now and then (a container's) would otherwise hold every stop for the
    whole grace period.
    """
    try:
        os.killpg(group, 0)
    except (ProcessLookupError, PermissionError):
        return False
    try:
        entries = os.scandir("/proc")
    except OSError:  # no /proc (macOS): the kernel's answer is all there is
        return True
    with entries:
        for entry in entries:
            if not entry.name.isdigit():
                continue
            try:
                stat = Path(entry.path, "stat").read_text(encoding="utf-8", errors="replace")
            except OSError:
                continue  # ended meanwhile
            fields = stat.rpartition(")")[2].split()
            if len(fields) > 2 and fields[2] == str(group) and fields[0] not in ("Z", "X"):
                return True
    return False


atexit.register(stop_all)


def exit_on_signals(
    request_exit: Callable[[int], None] | None = None, *, force_after: float = 10.0
) -> tuple[int, ...]:
    """Make SIGTERM and SIGHUP end onboard cleanly; returns the signals now handled.

    Python's default for both is to die on the spot: no ``finally``, no ``atexit``, so children
    in sessions of their own (the git daemon) stayed behind. Now every child is stopped at once,
    then ``request_exit(signum)`` asks the program to wind down (the app quits), or, without it,
    ``SystemExit(128 + signum)`` unwinds the main thread through its ``finally`` blocks. If the
    program has not ended ``force_after`` seconds later (a terminal that is gone can block the
    app's last writes), it is ended without further ceremony: its children are gone already.

    A signal inherited as ignored stays ignored: ``nohup onboard practice serve`` must survive
    the terminal closing. Call from the main thread (Python only handles signals there).
    """

    def handler(signum: int, frame: object) -> None:
        stop_all(grace=1.0)
        timer = threading.Timer(force_after, os._exit, (128 + signum,))
        timer.daemon = True
        timer.start()
        if request_exit is None:
            raise SystemExit(128 + signum)
        request_exit(signum)

    handled = []
    for name in ("SIGTERM", "SIGHUP"):
        sig = getattr(signal, name, None)
        if sig is not None and signal.getsignal(sig) is not signal.SIG_IGN:
            signal.signal(sig, handler)
            handled.append(int(sig))
    return tuple(handled)


def restore_interrupt() -> bool:
    """Let Ctrl+C (SIGINT) stop a serving command even when it was inherited as ignored.

    A non-interactive shell starts background jobs (``onboard practice serve &``) with SIGINT
    ignored, and Python then never raises ``KeyboardInterrupt``: ``kill -INT`` stopped nothing.
    The serving commands say "Press Ctrl+C to stop", so they restore Python's handler.
    Returns whether it had been ignored.
    """
    if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)
        return True
    return False
