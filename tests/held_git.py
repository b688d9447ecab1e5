"""Clones held up at the server, for real, so a test can act while one is in flight.

git's own ``uploadpack.packObjectsHook`` (protected configuration, so it is given through
``GIT_CONFIG_*`` variables, which ``git daemon`` passes on to the ``upload-pack`` it runs) wraps
the server's ``pack-objects`` in a script that waits: each request served by a git daemon waits
at the server until the test releases it by number. Requests that no git daemon serves (the
practice forge's own git, local clones) pass straight through.

Also here: what the tests look at afterwards, running processes (through /proc) and ports.
"""

from __future__ import annotations

import socket
import time
from collections.abc import Callable
from pathlib import Path

import pytest

HOOK = """#!/bin/sh
# Only requests served by git daemon (it sets REMOTE_ADDR) wait.
[ -n "$REMOTE_ADDR" ] || exec "$@"
n=1
while ! mkdir "{hold}/call-$n" 2>/dev/null; do n=$((n + 1)); done
while [ ! -e "{hold}/release-$n" ]; do sleep 0.05; done
exec "$@"
"""


class Hold:
    """The requests waiting at the server: ``calls()`` counts them, ``release(n)`` lets the
    n-th go (numbered in the order they arrived), ``release_all()`` every one, now and later."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def calls(self) -> int:
        return len(list(self.folder.glob("call-*")))

    def release(self, number: int) -> None:
        (self.folder / f"release-{number}").touch()

    def release_all(self) -> None:
        for number in range(1, 20):
            self.release(number)


def hold_git_daemons(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Hold:
    """Make every git daemon started from now on (by this process or its children) hold."""
    folder = tmp_path / "hold"
    folder.mkdir()
    hook = tmp_path / "pack-objects-hook"
    hook.write_text(HOOK.format(hold=folder))
    hook.chmod(0o755)
    monkeypatch.setenv("GIT_CONFIG_COUNT", "1")
    monkeypatch.setenv("GIT_CONFIG_KEY_0", "uploadpack.packObjectsHook")
    monkeypatch.setenv("GIT_CONFIG_VALUE_0", str(hook))
    return Hold(folder)


def running(pid: int) -> bool:
    """Alive, and not a zombie waiting to be reaped."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rpartition(")")[2].split()[0] not in ("Z", "X")


def processes_mentioning(text: str) -> list[str]:
    """Command lines of running processes that mention ``text`` (say, a clone's folder)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            argv = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        line = " ".join(part.decode("utf-8", "replace") for part in argv)
        if text in line and running(int(entry.name)):
            found.append(line)
    return found


def wait_until(condition: Callable[[], bool], what: str, seconds: float = 15) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.02)


def listening(port: int) -> bool:
    """Whether something accepts connections on ``127.0.0.1:port``."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


def daemons_serving(data: Path) -> list[int]:
    """Pids of the git daemons (``git daemon`` and ``git-daemon``) serving ``data/git``."""
    base = f"--base-path={(data / 'git').resolve()}"
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            argv = (entry / "cmdline").read_bytes().decode("utf-8", "replace").split("\0")
        except OSError:
            continue
        words = " ".join(argv[:2])
        daemon = "git-daemon" in words or "git daemon" in words
        if daemon and base in argv and running(int(entry.name)):
            found.append(int(entry.name))
    return found
