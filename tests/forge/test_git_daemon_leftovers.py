"""A git daemon an earlier practice run left listening is found and stopped by the next start.

On Linux the kernel ends the daemon with onboard; where it cannot (macOS), or when the daemon
came from an onboard that did not record it, ``git-daemon.pid`` is what remains. The leftovers
here are real ``git-daemon`` processes, started as a crashed run would have left them.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from onboard.practice import PracticeForge
from onboard.practice.gitdaemon import daemon_program

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX process groups")


def port_of(git_url: str) -> int:
    return int(git_url.rstrip("/").rsplit(":", 1)[1])


def listening(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


def a_dead_pid() -> int:
    """The pid of a process that has ended: the onboard that crashed."""
    ended = subprocess.Popen(["true"])
    ended.wait()
    return ended.pid


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """A forge's data folder after one clean run: seeded, with its ports recorded."""
    folder = tmp_path / "forge"
    PracticeForge(folder).start().stop()
    return folder


@pytest.fixture
def processes() -> Iterator[list[subprocess.Popen[bytes]]]:
    started: list[subprocess.Popen[bytes]] = []
    yield started
    for process in started:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def leave_a_daemon(
    data: Path, processes: list[subprocess.Popen[bytes]], *, owner: int
) -> tuple[subprocess.Popen[bytes], int]:
    """A daemon serving ``data/git`` on the recorded port, as a crashed run of ``owner`` left
    it: in a session of its own, no parent-death signal, recorded in ``git-daemon.pid``."""
    port = json.loads((data / "ports.json").read_text())["git"]
    daemon = subprocess.Popen(
        [
            *daemon_program(),
            "--listen=127.0.0.1",
            f"--port={port}",
            f"--base-path={data / 'git'}",
            "--export-all",
            "--enable=receive-pack",
            "--reuseaddr",
        ],
        stdin=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    processes.append(daemon)
    deadline = time.monotonic() + 10
    while not listening(port):
        assert time.monotonic() < deadline, "the leftover daemon did not start"
        time.sleep(0.02)
    record = {"pid": daemon.pid, "owner": owner, "port": port}
    (data / "git-daemon.pid").write_text(json.dumps(record))
    return daemon, port


def test_a_daemon_left_by_a_crash_is_stopped_and_its_port_reused(
    data: Path, processes: list[subprocess.Popen[bytes]]
) -> None:
    leftover, port = leave_a_daemon(data, processes, owner=a_dead_pid())

    with PracticeForge(data) as forge:
        assert leftover.wait(timeout=10) is not None
        assert port_of(forge.git_url) == port  # clones made before the crash keep working
        recorded = json.loads((data / "git-daemon.pid").read_text())
        assert recorded["owner"] == os.getpid() and recorded["pid"] != leftover.pid
    assert not (data / "git-daemon.pid").exists()  # a clean stop leaves no record


def test_a_daemon_whose_onboard_still_runs_is_left_alone(
    data: Path, processes: list[subprocess.Popen[bytes]]
) -> None:
    # Another onboard is serving this very forge right now: not a leftover.
    other, port = leave_a_daemon(data, processes, owner=os.getppid())

    with PracticeForge(data) as forge:
        assert other.poll() is None and listening(port)
        assert port_of(forge.git_url) != port


def test_a_stale_record_never_gets_another_program_killed(
    data: Path, processes: list[subprocess.Popen[bytes]]
) -> None:
    # The pid was reused by a program that is no git daemon of this forge.
    unrelated = subprocess.Popen(["sleep", "30"], start_new_session=True)
    processes.append(unrelated)
    record = {"pid": unrelated.pid, "owner": a_dead_pid(), "port": 9}
    (data / "git-daemon.pid").write_text(json.dumps(record))

    with PracticeForge(data):
        time.sleep(0.1)
        assert unrelated.poll() is None


def test_a_daemon_of_another_forge_is_not_this_forges_leftover(
    data: Path, tmp_path: Path, processes: list[subprocess.Popen[bytes]]
) -> None:
    elsewhere = tmp_path / "other-forge"
    PracticeForge(elsewhere).start().stop()
    theirs, port = leave_a_daemon(elsewhere, processes, owner=a_dead_pid())
    (data / "git-daemon.pid").write_text((elsewhere / "git-daemon.pid").read_text())

    with PracticeForge(data):
        assert theirs.poll() is None and listening(port)
