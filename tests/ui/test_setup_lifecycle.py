"""Leaving the set-up screen during a clone stops that clone, and choosing the project again works.

The practice forge's git daemon is held up for real by git's own ``uploadpack.packObjectsHook``
(given to the daemon through ``GIT_CONFIG_*`` variables): each clone's request waits at the
server until the test releases it, so a clone is truly in flight when Esc is pressed.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.widgets import Button, Input, Static

from onboard.core.journey import Journey
from onboard.core.storage.state import StateStore
from onboard.forge.base import ForgeConfig
from onboard.practice import PracticeForge
from onboard.ui.screens.projects import ProjectsScreen
from onboard.ui.screens.setup import SetupScreen
from onboard.workspace.clone import staging_path
from onboard.workspace.setup import inspect

from .helpers import SIZE, confirm_fork, make_app, settle

HOOK = """#!/bin/sh
# Only requests served by git daemon (it sets REMOTE_ADDR) wait; the forge's own git does not.
[ -n "$REMOTE_ADDR" ] || exec "$@"
n=1
while ! mkdir "{hold}/call-$n" 2>/dev/null; do n=$((n + 1)); done
while [ ! -e "{hold}/release-$n" ]; do sleep 0.05; done
exec "$@"
"""


class Hold:
    """The clones waiting at the server: ``calls()`` counts them, ``release(n)`` lets one go."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def calls(self) -> int:
        return len(list(self.folder.glob("call-*")))

    def release(self, number: int) -> None:
        (self.folder / f"release-{number}").touch()

    def release_all(self) -> None:
        for number in range(1, 10):
            self.release(number)


@pytest.fixture
def hold(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Hold:
    folder = tmp_path / "hold"
    folder.mkdir()
    hook = tmp_path / "pack-objects-hook"
    hook.write_text(HOOK.format(hold=folder))
    hook.chmod(0o755)
    monkeypatch.setenv("GIT_CONFIG_COUNT", "1")
    monkeypatch.setenv("GIT_CONFIG_KEY_0", "uploadpack.packObjectsHook")
    monkeypatch.setenv("GIT_CONFIG_VALUE_0", str(hook))
    return Hold(folder)


@pytest.fixture
def held_forge(hold: Hold, tmp_path: Path) -> Iterator[PracticeForge]:
    with PracticeForge(tmp_path / "held-forge") as forge:
        yield forge
        hold.release_all()


def git_commands_mentioning(text: str) -> list[str]:
    """Command lines of running processes that mention ``text`` (the clone's staging path)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            argv = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        line = " ".join(part.decode("utf-8", "replace") for part in argv)
        if text in line:
            found.append(line)
    return found


async def wait_for(pilot, condition, what: str, seconds: float = 10) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await pilot.pause(0.05)


async def test_esc_during_a_clone_then_the_same_project_again_clones(
    held_forge: PracticeForge, hold: Hold, state_store: StateStore, tmp_path: Path
) -> None:
    config = ForgeConfig(
        api_url=held_forge.api_url,
        token=held_forge.token,
        token_source="the practice forge",
        practice=True,
    )
    journey = Journey()
    journey.choose("practice/hello-docs")
    state_store.save_journey(config.key, journey)
    dest = tmp_path / "ws" / "practice" / "hello-docs"
    app = make_app(config, state_store, tmp_path / "ws")
    async with app.run_test(size=SIZE) as pilot:
        try:
            await esc_then_again(pilot, hold, dest)
        finally:
            hold.release_all()  # a failed test must not leave clones waiting at the server

        screen = app.screen
        assert isinstance(screen, SetupScreen)
        error = screen.query_one("#setup-error", Static)
        assert not error.display, error.render()
        assert not screen.query_one("#continue", Button).disabled
        assert inspect(dest).branch == "first-contribution"
        assert not staging_path(dest).exists()


async def esc_then_again(pilot, hold: Hold, dest: Path) -> None:  # type: ignore[no-untyped-def]
    app = pilot.app
    if True:
        await confirm_fork(pilot, wait=False)
        await wait_for(pilot, lambda: hold.calls() == 1, "the first clone to reach the server")

        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, ProjectsScreen), "the projects")
        await wait_for(
            pilot,
            lambda: not git_commands_mentioning(str(staging_path(dest))),
            "the abandoned clone's git to end",
        )

        app.screen.query_one("#repo-input", Input).focus()
        await pilot.press(*"practice/hello-docs", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, SetupScreen), "set-up again")
        await wait_for(pilot, lambda: hold.calls() == 2, "the second clone to reach the server")
        hold.release(1)  # had the first clone gone on, it would now finish into the same folder
        await pilot.pause(0.5)
        hold.release_all()  # the second clone, and the blobs its checkout fetches
        await settle(pilot)
