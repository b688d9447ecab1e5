"""Pilot tests for choosing a project: filtering the packs, readiness signals, GitHub search."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, OptionList, Static

from onboard.core.storage.state import StateStore
from onboard.forge.base import ForgeConfig
from onboard.practice import PracticeForge
from onboard.ui.screens.dependencies import DependenciesScreen
from onboard.ui.screens.projects import ProjectsScreen
from onboard.ui.screens.repo_search import RepoSearchScreen
from onboard.ui.screens.setup import SetupScreen
from onboard.ui.widgets.readiness import READINESS_DELAY_SECONDS

from .helpers import SIZE, confirm_fork, make_app, settle


def listed(screen: ProjectsScreen) -> list[str]:
    options = screen.query_one("#projects", OptionList)
    return [
        str(options.get_option_at_index(index).id)
        for index in range(options.option_count)
        if options.get_option_at_index(index).id
    ]


def text(screen: object, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())  # type: ignore[attr-defined]


async def wait_for_readiness(pilot: Pilot[None]) -> None:
    await settle(pilot)
    await pilot.pause(READINESS_DELAY_SECONDS + 0.1)
    await settle(pilot)


async def test_filter_narrows_by_language_topic_and_lane(
    forge_config: ForgeConfig, state_store: StateStore, tmp_path: Path
) -> None:
    app = make_app(forge_config, state_store, tmp_path / "ws")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ProjectsScreen)
        assert listed(screen) == [
            "practice/hello-docs",
            "practice/tiny-calc",
            "practice/kind-words",
        ]

        await pilot.press("f", *"python")
        assert listed(screen) == ["practice/tiny-calc"]

        screen.query_one("#filter", Input).value = "transl"
        await pilot.pause()
        assert listed(screen) == ["practice/hello-docs"]

        screen.query_one("#filter", Input).value = "cobol"
        await pilot.pause()
        assert listed(screen) == []
        assert "Nothing matches this filter" in text(screen, "#project-title")
        assert "search GitHub" in text(screen, "#project-summary")

        screen.query_one("#filter", Input).value = ""
        await pilot.pause()
        await pilot.press("enter")  # back to the list
        assert isinstance(app.focused, OptionList)
        assert len(listed(screen)) == 3


async def test_readiness_signals_say_how_they_were_computed(
    practice_forge: PracticeForge,
    forge_config: ForgeConfig,
    state_store: StateStore,
    tmp_path: Path,
) -> None:
    app = make_app(forge_config, state_store, tmp_path / "ws")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_readiness(pilot)
        shown = text(app.screen, "#readiness")
        for title in ("Maintainer replies", "First pull requests", "Last activity"):
            assert title in shown
        assert "Median wait for the first maintainer reply" in shown

        # Moving away and back uses what was fetched: no new requests.
        practice_forge.clear_requests()
        await pilot.press("down")
        await pilot.press("up")
        await wait_for_readiness(pilot)
        assert "Maintainer replies" in text(app.screen, "#readiness")
        paths = [request.path for request in practice_forge.requests]
        assert not any("hello-docs" in path for path in paths)


async def test_search_github_by_topic_and_choose_a_result(
    forge_config: ForgeConfig, state_store: StateStore, tmp_path: Path
) -> None:
    app = make_app(forge_config, state_store, tmp_path / "ws")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("g")
        assert isinstance(app.screen, RepoSearchScreen)
        await pilot.press(*"nothing-has-this-topic", "enter")
        await settle(pilot)
        assert "No repository matches" in text(app.screen, "#search-status")

        app.screen.query_one("#topic", Input).value = ""
        app.screen.query_one("#language", Input).value = "python"
        app.screen.query_one("#language", Input).focus()
        await pilot.press("enter")
        await settle(pilot)
        table = app.screen.query_one("#hits", DataTable)
        rows = [[str(cell) for cell in table.get_row_at(index)] for index in range(table.row_count)]
        assert [row[0] for row in rows] == ["practice/tiny-calc"]
        assert int(rows[0][2]) > 0  # open beginner issues counted
        assert "tiny-calc" in text(app.screen, "#hit-about")

        await pilot.press("enter")
        await confirm_fork(pilot)
        assert isinstance(app.screen, SetupScreen)
        assert app.journey.project == "practice/tiny-calc"


async def test_d_opens_the_dependencies_screen(
    forge_config: ForgeConfig,
    state_store: StateStore,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The screen starts by reading the current folder: an empty one, so that no registry is
    # asked (from the checkout, it would look this project's dependencies up on pypi.org).
    monkeypatch.chdir(tmp_path)
    app = make_app(forge_config, state_store, tmp_path / "ws")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("d")
        assert isinstance(app.screen, DependenciesScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, ProjectsScreen)
