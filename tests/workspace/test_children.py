"""Every child onboard starts ends with it: stopped with what it started, at exit, on SIGTERM and
SIGHUP, and by the kernel when onboard is killed. Real processes, looked at through /proc."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from onboard.workspace import children
from tests.held_git import running, wait_until

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")

#: A shell and its sleeps that all ignore SIGTERM: only SIGKILL ends them.
STUBBORN = ["sh", "-c", "trap '' TERM; while :; do sleep 0.1; done"]


def group_members(group: int) -> list[int]:
    """Running processes (not zombies) in process group ``group``."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rpartition(")")[2].split()
        except OSError:
            continue
        if fields[2] == str(group) and fields[0] not in ("Z", "X"):
            found.append(int(entry.name))
    return found


def kill_group(group: int) -> None:
    """What a failed test would leave behind: it ignores SIGTERM."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(group, signal.SIGKILL)


@pytest.fixture
def started() -> Iterator[list[subprocess.Popen[str]]]:
    """Scripts a test starts, killed if the test fails half way."""
    scripts: list[subprocess.Popen[str]] = []
    yield scripts
    for script in scripts:
        if script.poll() is None:
            script.kill()
            script.wait()


def script(
    body: str, scripts: list[subprocess.Popen[str]], preexec_fn: Callable[[], None] | None = None
) -> subprocess.Popen[str]:
    """``python -c`` running ``body`` with the children module imported."""
    code = "import os, signal, sys, threading, time\nfrom onboard.workspace import children\n"
    process = subprocess.Popen(
        [sys.executable, "-c", code + textwrap.dedent(body)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=preexec_fn,
    )
    scripts.append(process)
    return process


def first_line(process: subprocess.Popen[str]) -> str:
    assert process.stdout is not None
    line = process.stdout.readline()
    if not line:
        process.wait(timeout=10)
        assert process.stderr is not None
        raise AssertionError(f"the script printed nothing: {process.stderr.read()}")
    return line.strip()


def test_stop_ends_the_child_and_everything_it_started() -> None:
    child = children.start(["sh", "-c", "sleep 60 & sleep 60 & wait"])
    wait_until(lambda: len(group_members(child.pid)) == 3, "the shell and its two sleeps")

    children.stop(child, grace=2)

    assert child.returncode is not None
    assert group_members(child.pid) == []
    assert child not in children.running()


def test_what_ignores_sigterm_is_killed_after_the_grace_period() -> None:
    child = children.start(STUBBORN)
    wait_until(lambda: len(group_members(child.pid)) >= 2, "the shell and a sleep")
    began = time.monotonic()

    children.stop(child, grace=0.3)

    assert 0.3 <= time.monotonic() - began < 3
    assert child.returncode == -signal.SIGKILL
    # SIGKILL is final, but a sleep the shell had just forked takes a moment to be torn down.
    wait_until(lambda: group_members(child.pid) == [], "the group's last sleep to end", 2)


@pytest.mark.skipif(not children.dies_with_onboard(), reason="parent-death signals are Linux's")
def test_a_child_outlives_the_thread_that_started_it() -> None:
    # The kernel's parent-death signal follows the thread that forked: a worker thread that
    # starts the practice forge and ends must not take the forge's git daemon with it.
    found: list[subprocess.Popen[bytes]] = []
    worker = threading.Thread(target=lambda: found.append(children.start(["sleep", "60"])))
    worker.start()
    worker.join()
    time.sleep(0.3)
    try:
        assert found[0].poll() is None, f"ended with {found[0].returncode}"
    finally:
        children.stop(found[0], grace=1)


@pytest.mark.skipif(not children.dies_with_onboard(), reason="parent-death signals are Linux's")
def test_children_end_when_onboard_is_killed(started: list[subprocess.Popen[str]]) -> None:
    onboard = script(
        """
        from_main = children.start(["sleep", "60"])
        found = []
        worker = threading.Thread(target=lambda: found.append(children.start(["sleep", "60"])))
        worker.start()
        worker.join()
        print(from_main.pid, found[0].pid, flush=True)
        time.sleep(60)
        """,
        started,
    )
    pids = [int(pid) for pid in first_line(onboard).split()]
    assert all(running(pid) for pid in pids)

    onboard.kill()  # SIGKILL: nothing of onboard's own runs any more
    onboard.wait(timeout=10)

    wait_until(lambda: not any(running(pid) for pid in pids), "the children to end", 5)


@pytest.mark.parametrize(
    ("ending", "status"),
    [("sys.exit(0)", 0), ("raise RuntimeError('a bug')", 1)],
    ids=["exit", "crash"],
)
def test_children_are_stopped_at_exit_and_after_a_crash(
    ending: str, status: int, started: list[subprocess.Popen[str]]
) -> None:
    # It ignores SIGTERM, the parent-death signal included: only the exit's SIGKILL ends it.
    onboard = script(
        f"""
        children.GRACE_SECONDS = 0.3
        child = children.start({STUBBORN!r})
        print(child.pid, flush=True)
        {ending}
        """,
        started,
    )
    group = int(first_line(onboard))
    try:
        assert onboard.wait(timeout=10) == status
        assert group_members(group) == []
    finally:
        kill_group(group)


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP], ids=["SIGTERM", "SIGHUP"])
def test_sigterm_and_sighup_stop_the_children_and_unwind(
    sig: signal.Signals, started: list[subprocess.Popen[str]]
) -> None:
    onboard = script(
        f"""
        handled = children.exit_on_signals()
        child = children.start({STUBBORN!r})
        try:
            print(child.pid, *handled, flush=True)
            time.sleep(30)
        finally:
            print("finally ran", flush=True)
        """,
        started,
    )
    group, *handled = (int(word) for word in first_line(onboard).split())
    try:
        assert handled == [signal.SIGTERM, signal.SIGHUP]
        wait_until(lambda: len(group_members(group)) >= 2, "the shell and a sleep")

        onboard.send_signal(sig)

        out, _err = onboard.communicate(timeout=10)
        assert onboard.returncode == 128 + sig
        assert "finally ran" in out
        assert group_members(group) == []
    finally:
        kill_group(group)


def test_a_signal_inherited_as_ignored_stays_ignored(started: list[subprocess.Popen[str]]) -> None:
    # nohup: the command must survive its terminal closing.
    onboard = script(
        """
        print(*children.exit_on_signals(), flush=True)
        time.sleep(30)
        """,
        started,
        preexec_fn=lambda: signal.signal(signal.SIGHUP, signal.SIG_IGN),
    )
    assert first_line(onboard) == str(int(signal.SIGTERM))

    onboard.send_signal(signal.SIGHUP)
    time.sleep(0.2)
    assert onboard.poll() is None
    onboard.send_signal(signal.SIGTERM)
    assert onboard.wait(timeout=10) == 128 + signal.SIGTERM


def test_ctrl_c_works_again_when_sigint_was_inherited_as_ignored(
    started: list[subprocess.Popen[str]],
) -> None:
    onboard = script(
        """
        restored = children.restore_interrupt()
        try:
            print(restored, flush=True)
            time.sleep(30)
        except KeyboardInterrupt:
            sys.exit(3)
        """,
        started,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN),
    )
    assert first_line(onboard) == "True"

    onboard.send_signal(signal.SIGINT)

    assert onboard.wait(timeout=10) == 3


def test_a_program_that_does_not_wind_down_is_ended_anyway(
    started: list[subprocess.Popen[str]],
) -> None:
    # The app is asked to quit; if it cannot (a closed terminal blocks its last writes), the
    # process ends on its own: its children were stopped first.
    onboard = script(
        """
        children.exit_on_signals(lambda signum: print("asked to quit", flush=True), force_after=0.5)
        child = children.start(["sleep", "60"])
        print(child.pid, flush=True)
        while True:
            time.sleep(0.05)
        """,
        started,
    )
    child = int(first_line(onboard))
    began = time.monotonic()

    onboard.send_signal(signal.SIGTERM)

    out, _err = onboard.communicate(timeout=10)
    assert onboard.returncode == 128 + signal.SIGTERM
    assert "asked to quit" in out
    assert 0.5 <= time.monotonic() - began < 5
    assert not running(child)


@pytest.mark.skipif(not children.dies_with_onboard(), reason="parent-death signals are Linux's")
def test_a_setup_step_ends_when_onboard_is_killed(
    tmp_path: Path, started: list[subprocess.Popen[str]]
) -> None:
    # A project's `npm ci` started by the app's worker thread, and onboard killed meanwhile.
    onboard = script(
        f"""
        from pathlib import Path
        from onboard.core.models import SetupStep
        from onboard.workspace.commands import run_step

        step = SetupStep(("sh", "-c", "echo started; exec sleep 60"), "a long install")
        threading.Thread(
            target=run_step,
            args=(step, Path({str(tmp_path)!r})),
            kwargs=dict(
                on_output=lambda line: print(line, flush=True),
                cancel=threading.Event(),
                timeout=None,
            ),
        ).start()
        """,
        started,
    )
    assert first_line(onboard) == "started"
    steps = children_of(onboard.pid)
    assert steps

    onboard.kill()
    onboard.wait(timeout=10)

    wait_until(lambda: not any(running(pid) for pid in steps), "the step to end", 5)


def children_of(parent: int) -> list[int]:
    """The running processes whose parent is ``parent``."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rpartition(")")[2].split()
        except OSError:
            continue
        if fields[1] == str(parent) and fields[0] not in ("Z", "X"):
            found.append(int(entry.name))
    return found
