"""``onboard practice serve`` stops its git daemon however it is stopped.

Real processes: the command runs as ``python -m onboard`` against the test's isolated home, and
the git daemon it starts is looked for afterwards on its port and in the process table.
"""

from __future__ import annotations

import fcntl
import os
import pty
import re
import signal
import struct
import subprocess
import sys
import termios
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.held_git import daemons_serving, listening, wait_until

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")


@dataclass
class Serving:
    process: subprocess.Popen[bytes]
    data: Path
    output: Path
    git_port: int

    def printed(self) -> str:
        return self.output.read_text(encoding="utf-8", errors="replace")

    def daemon_gone(self) -> bool:
        return not daemons_serving(self.data) and not listening(self.git_port)


def start_serving(data: Path, logs: Path, preexec_fn: Callable[[], None] | None = None) -> Serving:
    logs.mkdir(parents=True, exist_ok=True)
    output = logs / f"serve-{time.monotonic_ns()}.out"
    with output.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "onboard", "practice", "serve", "--data", str(data)],
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            preexec_fn=preexec_fn,
        )
    found: list[int] = []

    def announced() -> bool:
        if process.poll() is not None:
            raise AssertionError(f"serve exited with {process.returncode}: {output.read_text()}")
        match = re.search(r"git URL:\s+git://127\.0\.0\.1:(\d+)/", output.read_text())
        if match:
            found.append(int(match[1]))
        return bool(found)

    wait_until(announced, "the forge to say it is running", seconds=60)
    serving = Serving(process, data, output, found[0])
    assert listening(serving.git_port) and daemons_serving(data)
    return serving


@pytest.fixture
def data(tmp_path: Path, isolated_home: Path) -> Path:
    return tmp_path / "forge-data"


@pytest.fixture
def stopped_at_the_end() -> Iterator[list[Serving]]:
    """Whatever a test started is ended even when it fails half way."""
    started: list[Serving] = []
    yield started
    for serving in started:
        if serving.process.poll() is None:
            serving.process.kill()
            serving.process.wait()
        for pid in daemons_serving(serving.data):
            os.kill(pid, signal.SIGKILL)


@pytest.mark.parametrize(
    ("sig", "status"),
    [(signal.SIGTERM, 128 + signal.SIGTERM), (signal.SIGHUP, 128 + signal.SIGHUP)],
    ids=["SIGTERM", "SIGHUP"],
)
def test_sigterm_and_sighup_stop_the_git_daemon(
    sig: signal.Signals,
    status: int,
    data: Path,
    tmp_path: Path,
    stopped_at_the_end: list[Serving],
) -> None:
    serving = start_serving(data, tmp_path / "logs")
    stopped_at_the_end.append(serving)

    serving.process.send_signal(sig)

    assert serving.process.wait(timeout=15) == status, serving.printed()
    wait_until(serving.daemon_gone, "the git daemon to stop")
    assert not (data / "git-daemon.pid").exists()


def test_ctrl_c_stops_it_even_when_sigint_was_inherited_as_ignored(
    data: Path, tmp_path: Path, stopped_at_the_end: list[Serving]
) -> None:
    # What a non-interactive shell does to `onboard practice serve &`.
    serving = start_serving(
        data, tmp_path / "logs", preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN)
    )
    stopped_at_the_end.append(serving)

    serving.process.send_signal(signal.SIGINT)

    assert serving.process.wait(timeout=15) == 0, serving.printed()
    wait_until(serving.daemon_gone, "the git daemon to stop")


def test_nohup_keeps_it_serving_when_the_terminal_closes(
    data: Path, tmp_path: Path, stopped_at_the_end: list[Serving]
) -> None:
    serving = start_serving(
        data, tmp_path / "logs", preexec_fn=lambda: signal.signal(signal.SIGHUP, signal.SIG_IGN)
    )
    stopped_at_the_end.append(serving)

    serving.process.send_signal(signal.SIGHUP)
    time.sleep(0.3)  # a handled signal would have stopped it by now

    assert serving.process.poll() is None
    assert listening(serving.git_port)
    serving.process.send_signal(signal.SIGTERM)
    assert serving.process.wait(timeout=15) == 128 + signal.SIGTERM
    wait_until(serving.daemon_gone, "the git daemon to stop")


def test_a_killed_forge_takes_its_git_daemon_along_and_the_next_start_reuses_the_port(
    data: Path, tmp_path: Path, stopped_at_the_end: list[Serving]
) -> None:
    first = start_serving(data, tmp_path / "logs")
    stopped_at_the_end.append(first)

    first.process.kill()  # nothing of onboard's own runs: only the kernel can tell the daemon
    first.process.wait(timeout=15)

    wait_until(first.daemon_gone, "the orphaned git daemon to stop")
    second = start_serving(data, tmp_path / "logs")
    stopped_at_the_end.append(second)
    assert second.git_port == first.git_port  # clones made before the crash keep working
    second.process.send_signal(signal.SIGTERM)
    second.process.wait(timeout=15)
    wait_until(second.daemon_gone, "the git daemon to stop")


def start_app_in_a_terminal(data: Path) -> tuple[subprocess.Popen[bytes], int, bytearray]:
    """``onboard practice`` in a pseudo-terminal that is its controlling terminal, as in a
    terminal window; returns the process, the terminal's side of it and what it drew."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))

    def controlling_terminal() -> None:
        fcntl.ioctl(0, termios.TIOCSCTTY, 0)

    process = subprocess.Popen(
        [sys.executable, "-m", "onboard", "practice", "--data", str(data)],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env={**os.environ, "TERM": "xterm-256color"},
        start_new_session=True,
        preexec_fn=controlling_terminal,
    )
    os.close(slave)
    drawn = bytearray()

    def read_the_screen() -> None:  # a terminal always reads, or the app blocks writing
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:
                return
            if not chunk:
                return
            drawn.extend(chunk)

    threading.Thread(target=read_the_screen, daemon=True).start()
    return process, master, drawn


@pytest.mark.parametrize(
    ("how", "status"),
    [("SIGTERM", 128 + signal.SIGTERM), ("terminal closed", 128 + signal.SIGHUP)],
)
def test_the_app_stops_its_forge_when_killed_or_its_terminal_closes(
    how: str, status: int, data: Path
) -> None:
    process, master, drawn = start_app_in_a_terminal(data)
    try:
        wait_until(
            lambda: process.poll() is None and bool(daemons_serving(data)) and len(drawn) > 2000,
            "the app to draw its first screen on a running forge",
            seconds=60,
        )
        if how == "SIGTERM":
            process.send_signal(signal.SIGTERM)
        else:
            os.close(master)  # the kernel hangs up: SIGHUP to the app
            master = -1

        assert process.wait(timeout=20) == status
        wait_until(lambda: not daemons_serving(data), "the git daemon to stop")
    finally:
        if master >= 0:
            os.close(master)
        if process.poll() is None:
            process.kill()
            process.wait()
        for pid in daemons_serving(data):
            os.kill(pid, signal.SIGKILL)
