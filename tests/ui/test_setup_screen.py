"""Pilot tests for the set-up screen's decisions: cancel, reuse a clone, another folder, sync."""

from __future__ import annotations

import subprocess
from pathlib import Path

from textual.widgets import Button, Input, Log, Static

from onboard.core.journey import Journey
from onboard.core.storage.state import StateStore
from onboard.forge.base import ForgeConfig
from onboard.practice import PracticeForge
from onboard.ui.screens.project_setup import ProjectSetupScreen
from onboard.ui.screens.setup import SetupScreen
from onboard.workspace.clone import staging_path
from onboard.workspace.setup import inspect

from .helpers import SIZE, confirm_fork, make_app, settle, until


def chosen(state_store: StateStore, config: ForgeConfig, project: str) -> None:
    journey = Journey()
    journey.choose(project)
    state_store.save_journey(config.key, journey)


def text_of(screen: SetupScreen, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


async def test_cancel_stops_the_clone_and_try_again_finishes(
    practice_forge: PracticeForge,
    forge_config: ForgeConfig,
    state_store: StateStore,
    tmp_path: Path,
) -> None:
    chosen(state_store, forge_config, "practice/hello-docs")
    practice_forge.latency = 0.3  # the fork request is slow enough to press Cancel meanwhile
    app = make_app(forge_config, state_store, tmp_path / "ws")
    async with app.run_test(size=SIZE) as pilot:
        await confirm_fork(pilot, wait=False)
        assert isinstance(app.screen, SetupScreen)
        await pilot.press("x")
        await settle(pilot)
        assert "Clone cancelled" in text_of(app.screen, "#setup-error")
        path = tmp_path / "ws" / "practice" / "hello-docs"
        assert not path.exists() and not staging_path(path).exists()
        assert app.screen.query_one("#continue", Button).disabled

        practice_forge.latency = 0
        await pilot.click("#retry")
        await settle(pilot)
        assert not app.screen.query_one("#continue", Button).disabled
        assert inspect(path).branch == "first-contribution"
        checks = text_of(app.screen, "#checks-list")
        assert checks.count("✓") == 4 and "✗" not in checks


async def test_an_existing_clone_is_offered_and_reused(
    practice_forge: PracticeForge,
    forge_config: ForgeConfig,
    state_store: StateStore,
    tmp_path: Path,
) -> None:
    path = tmp_path / "ws" / "practice" / "hello-docs"
    url = f"{practice_forge.git_url.rstrip('/')}/practice/hello-docs.git"
    subprocess.run(["git", "clone", "-q", url, str(path)], check=True)
    (path / "draft.md").write_text("my draft")
    chosen(state_store, forge_config, "practice/hello-docs")
    app = make_app(forge_config, state_store, tmp_path / "ws")
    async with app.run_test(size=SIZE) as pilot:
        await confirm_fork(pilot)
        assert "already holds a clone of this project" in text_of(app.screen, "#setup-error")
        assert app.screen.query_one("#reuse").display
        await pilot.click("#reuse")
        await settle(pilot)
        assert not app.screen.query_one("#continue", Button).disabled
        assert (path / "draft.md").read_text() == "my draft"
        assert inspect(path).remotes["origin"].endswith("/learner/hello-docs.git")


async def test_a_taken_folder_offers_another_one(
    forge_config: ForgeConfig, state_store: StateStore, tmp_path: Path
) -> None:
    taken = tmp_path / "ws" / "practice" / "hello-docs"
    taken.mkdir(parents=True)
    (taken / "thesis.txt").write_text("not a clone")
    chosen(state_store, forge_config, "practice/hello-docs")
    app = make_app(forge_config, state_store, tmp_path / "ws")
    async with app.run_test(size=SIZE) as pilot:
        await confirm_fork(pilot)
        assert not app.screen.query_one("#reuse").display
        field = app.screen.query_one("#folder-input", Input)
        assert app.screen.query_one("#folder-row").display
        assert field.value == str(taken.with_name("hello-docs-2"))
        field.focus()
        await pilot.press("enter")
        await settle(pilot)
        assert inspect(taken.with_name("hello-docs-2")).exists
        assert (taken / "thesis.txt").read_text() == "not a clone"
        assert app.journey.clone_path == str(taken.with_name("hello-docs-2"))
        saved = state_store.journey(forge_config.key)
        assert saved.clone_path == str(taken.with_name("hello-docs-2"))
        assert not app.screen.query_one("#continue", Button).disabled


async def test_sync_with_upstream_reports_in_the_log(
    forge_config: ForgeConfig, state_store: StateStore, tmp_path: Path
) -> None:
    chosen(state_store, forge_config, "practice/kind-words")
    app = make_app(forge_config, state_store, tmp_path / "ws")
    async with app.run_test(size=SIZE) as pilot:
        await confirm_fork(pilot)
        await pilot.press("u")
        await settle(pilot)
        lines = app.screen.query_one("#setup-log", Log).lines
        assert "  main is already up to date with upstream." in lines


async def test_project_setup_steps_open_from_setup_and_run_nothing_yet(
    forge_config: ForgeConfig, state_store: StateStore, tmp_path: Path
) -> None:
    chosen(state_store, forge_config, "practice/tiny-calc")
    app = make_app(forge_config, state_store, tmp_path / "ws")
    async with app.run_test(size=SIZE) as pilot:
        await confirm_fork(pilot)
        await pilot.press("p")
        await settle(pilot)
        assert isinstance(app.screen, ProjectSetupScreen)
        assert app.screen.clone_path == tmp_path / "ws" / "practice" / "tiny-calc"
        assert not app.screen.query_one("#run", Button).disabled  # waiting for consent
        assert app.screen.query_one("#ps-log", Log).line_count == 0  # nothing ran


async def test_a_slow_fork_is_waited_for_and_explained(
    practice_forge: PracticeForge,
    forge_config: ForgeConfig,
    state_store: StateStore,
    tmp_path: Path,
) -> None:
    chosen(state_store, forge_config, "practice/kind-words")
    practice_forge.fork_delay = 1.5  # GitHub creates forks asynchronously
    app = make_app(forge_config, state_store, tmp_path / "ws")
    seen: list[str] = []
    async with app.run_test(size=SIZE) as pilot:
        await confirm_fork(pilot, wait=False)

        def done() -> bool:
            seen.append(text_of(app.screen, "#step-fork"))
            return not app.screen.query_one("#continue", Button).disabled

        await until(pilot, done, interval=0.05, what="set-up")
        await settle(pilot)
        assert any("is still creating your fork" in line for line in seen)
        assert text_of(app.screen, "#step-fork").startswith("✓")
        assert not app.screen.query_one("#continue", Button).disabled
        assert inspect(tmp_path / "ws" / "practice" / "kind-words").exists
