"""``onboard session dashboard`` as a mentor runs it: a real process in a real (pseudo) terminal,
reading a folder of reports made by the real report code, quitting with Ctrl+Q."""

from __future__ import annotations

import fcntl
import os
import re
import select
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

from onboard.cli import build_parser
from tests.cli_runner import run_onboard
from tests.cohort_reports import COHORT, write_report

REPO_ROOT = Path(__file__).resolve().parents[2]
CSI = re.compile(rb"\x1b\[[0-9;?]*[A-Za-z]")


def test_the_parser_takes_files_and_folders(tmp_path: Path) -> None:
    args = build_parser().parse_args(["session", "dashboard", str(tmp_path), "a.json"])
    assert (args.command, args.session_command) == ("session", "dashboard")
    assert args.paths == [tmp_path, Path("a.json")]


def test_help_says_how_learners_send_their_reports() -> None:
    result = run_onboard("session", "dashboard", "--help", env={"COLUMNS": "200"})
    assert result.returncode == 0
    assert "onboard session dashboard [-h] [--every SECONDS] PATH [PATH ...]" in result.stdout
    assert "onboard report --format json --output FOLDER/NAME.json" in result.stdout


def test_the_dashboard_runs_in_a_terminal_and_quits_with_ctrl_q(tmp_path: Path) -> None:
    folder = tmp_path / "reports"
    for learner in COHORT:
        write_report(learner, folder)
    master, terminal = os.openpty()
    fcntl.ioctl(terminal, termios.TIOCSWINSZ, struct.pack("HHHH", 36, 120, 0, 0))
    process = subprocess.Popen(
        [sys.executable, "-m", "onboard", "session", "dashboard", str(folder)],
        stdin=terminal,
        stdout=terminal,
        stderr=terminal,
        env={**os.environ, "TERM": "xterm-256color", "PYTHONPATH": str(REPO_ROOT)},
        start_new_session=True,
    )
    os.close(terminal)
    try:
        screen = b""
        deadline = time.monotonic() + 60
        while b"pytest: command not found" not in CSI.sub(b"", screen):
            assert time.monotonic() < deadline, "the dashboard never showed Bo's words"
            if select.select([master], [], [], 0.2)[0]:
                screen += os.read(master, 65536)
        os.write(master, b"\x11")  # Ctrl+Q
        deadline = time.monotonic() + 20
        while process.poll() is None:  # keep reading: a full terminal would block its exit
            assert time.monotonic() < deadline, "Ctrl+Q did not end the dashboard"
            if select.select([master], [], [], 0.1)[0]:
                try:
                    os.read(master, 65536)
                except OSError:  # the terminal closed with the process
                    break
        assert process.wait(timeout=5) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        os.close(master)
