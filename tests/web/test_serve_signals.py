"""``onboard serve --practice`` stops the shared practice forge when its terminal is closed."""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

import pytest

from onboard.core.storage import paths
from tests.held_git import daemons_serving, wait_until
from tests.web.conftest import start_serve

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")


@pytest.mark.parametrize("sig", [signal.SIGHUP, signal.SIGTERM], ids=["SIGHUP", "SIGTERM"])
def test_a_closed_terminal_or_sigterm_stops_the_workshop_and_its_forge(
    sig: signal.Signals, isolated_home: Path, tmp_path: Path
) -> None:
    served = start_serve("--practice", logs=tmp_path / "logs")
    data = paths.practice_dir()
    try:
        assert daemons_serving(data)

        served.process.send_signal(sig)

        assert served.process.wait(timeout=20) == 0, served.output()
        wait_until(lambda: not daemons_serving(data), "the shared forge's git daemon to stop")
    finally:
        if served.process.poll() is None:
            served.process.kill()
            served.process.wait()
        for pid in daemons_serving(data):
            os.kill(pid, signal.SIGKILL)
