"""Leaving the set-up screen during a clone stops that clone, and choosing the project again works.

The practice forge's git daemon is held up for real (:mod:`tests.held_git`): each clone's request
waits at the server until the test releases it, so a clone is truly in flight when Esc is
pressed. Also: the leftovers of interrupted clones are cleaned when the app starts.
"""

from __future__ import annotations

import os
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
from tests.held_git import Hold, hold_git_daemons, processes_mentioning, wait_until

from .helpers import SIZE, confirm_fork, make_app, settle, until


@pytest.fixture
def hold(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Hold:
    return hold_git_daemons(tmp_path, monkeypatch)


@pytest.fixture
def held_forge(hold: Hold, tmp_path: Path) -> Iterator[PracticeForge]:
    with PracticeForge(tmp_path / "held-forge") as forge:
        yield forge
        hold.release_all()


def config_of(forge: PracticeForge) -> ForgeConfig:
    return ForgeConfig(
        api_url=forge.api_url, token=forge.token, token_source="the practice forge", practice=True
    )


async def test_esc_during_a_clone_then_the_same_project_again_clones(
    held_forge: PracticeForge, hold: Hold, state_store: StateStore, tmp_path: Path
) -> None:
    config = config_of(held_forge)
    journey = Journey()
    journey.choose("practice/hello-docs")
    state_store.save_journey(config.key, journey)
    dest = tmp_path / "ws" / "practice" / "hello-docs"
    app = make_app(config, state_store, tmp_path / "ws")
    async with app.run_test(size=SIZE) as pilot:
        try:
            await confirm_fork(pilot, wait=False)
            await until(
                pilot, lambda: hold.calls() == 1, what="the first clone to reach the server"
            )

            await pilot.press("escape")
            await until(pilot, lambda: isinstance(app.screen, ProjectsScreen), what="the projects")
            await until(
                pilot,
                lambda: not processes_mentioning(str(staging_path(dest))),
                what="the abandoned clone's git to end",
            )

            app.screen.query_one("#repo-input", Input).focus()
            await pilot.press(*"practice/hello-docs", "enter")
            await until(pilot, lambda: isinstance(app.screen, SetupScreen), what="set-up again")
            await until(pilot, lambda: hold.calls() == 2, what="the second clone at the server")
            hold.release(1)  # had the first clone gone on, it would now finish into our folder
            await pilot.pause(0.5)
            hold.release_all()  # the second clone, and the blobs its checkout fetches
            await settle(pilot)
        finally:
            hold.release_all()  # a failed test must not leave clones waiting at the server

        screen = app.screen
        assert isinstance(screen, SetupScreen)
        error = screen.query_one("#setup-error", Static)
        assert not error.display, error.render()
        assert not screen.query_one("#continue", Button).disabled
        assert inspect(dest).branch == "first-contribution"
        assert not staging_path(dest).exists()


async def test_quitting_during_a_clone_stops_it_at_once(
    held_forge: PracticeForge, hold: Hold, state_store: StateStore, tmp_path: Path
) -> None:
    config = config_of(held_forge)
    journey = Journey()
    journey.choose("practice/hello-docs")
    state_store.save_journey(config.key, journey)
    dest = tmp_path / "ws" / "practice" / "hello-docs"
    app = make_app(config, state_store, tmp_path / "ws")
    try:
        async with app.run_test(size=SIZE) as pilot:
            await confirm_fork(pilot, wait=False)
            await until(pilot, lambda: hold.calls() == 1, what="the clone to reach the server")
            await pilot.press("ctrl+q")
        # `onboard` waits for its workers on the way out: a clone left running would hold it.
        wait_until(lambda: not processes_mentioning(str(staging_path(dest))), "git to end", 5)
        wait_until(lambda: not staging_path(dest).exists(), "the staging folder to go", 5)
        assert not dest.exists()
    finally:
        hold.release_all()


async def test_leftovers_of_interrupted_clones_are_removed_at_start(
    forge_config: ForgeConfig, state_store: StateStore, tmp_path: Path
) -> None:
    workspace = tmp_path / "ws"
    staging = staging_path(workspace / "practice" / "tiny-calc")
    crashed = staging / "4242-deadbeef"  # its lock file is held by nobody: its clone is gone
    (crashed / ".git" / "objects" / "pack").mkdir(parents=True)
    (crashed / ".git" / "objects" / "pack" / "tmp_pack_x").write_bytes(os.urandom(4096))
    (staging / "4242-deadbeef.lock").touch()
    older = staging_path(workspace / "someone" / "project")  # as an older onboard staged it
    (older / ".git").mkdir(parents=True)
    (older / "README.md").write_text("half a clone")
    mine = workspace / "someone" / "project-notes"
    mine.mkdir()
    (mine / ".hidden.txt").write_text("not onboard's")

    app = make_app(forge_config, state_store, workspace)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert not staging.exists()
        assert not older.exists()
        assert (mine / ".hidden.txt").read_text() == "not onboard's"
