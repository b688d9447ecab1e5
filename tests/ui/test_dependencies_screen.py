"""The dependencies screen: a project folder in, GitHub projects with beginner issues out."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from rich.text import Text
from textual.widgets import DataTable, Input, Static

from onboard.core.storage.state import StateStore
from onboard.forge.base import ForgeConfig
from onboard.ui.screens.dependencies import DependenciesScreen
from onboard.ui.screens.setup import SetupScreen
from tests.registry_server import DATA, RegistryServer, write_distribution
from tests.ui.helpers import SIZE, confirm_fork, make_app, settle

TEAM_APP = DATA / "team-app"


@pytest.fixture
def registry(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[RegistryServer]:
    """Local registries for the app's worker, and hello-docs-theme installed in this Python."""
    site = tmp_path / "site-packages"
    write_distribution(
        site,
        "hello-docs-theme",
        "2.0.4",
        ["Project-URL: Source, https://github.com/practice/hello-docs"],
    )
    monkeypatch.syspath_prepend(str(site))
    with RegistryServer() as server:
        monkeypatch.setenv("ONBOARD_PYPI_URL", server.pypi_url)
        monkeypatch.setenv("ONBOARD_NPM_URL", server.npm_url)
        yield server


def rows(table: DataTable[Text]) -> list[list[Text]]:
    return [list(table.get_row_at(index)) for index in range(table.row_count)]


def status(screen: DependenciesScreen) -> str:
    return str(screen.query_one("#deps-status", Static).render())


async def test_dependencies_become_projects_and_enter_chooses_one(
    forge_config: ForgeConfig,
    state_store: StateStore,
    tmp_path: Path,
    registry: RegistryServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(TEAM_APP)  # the screen starts with the current folder
    app = make_app(forge_config, state_store, tmp_path / "ws")
    # Wide enough for every cell whole (narrower, long cells end in "…": see test_columns.py).
    async with app.run_test(size=(170, 36)) as pilot:
        await settle(pilot)
        app.action_dependencies()
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, DependenciesScreen)
        assert screen.query_one("#deps-path", Input).value == str(TEAM_APP)
        table = screen.query_one("#deps-table", DataTable)
        shown = rows(table)
        assert [row[0].plain for row in shown] == [
            "practice/hello-docs",
            "practice/kind-words",
            "practice/tiny-calc",
            "stevemao/left-pad",
            "-",
            "-",
            "-",
        ]
        assert [row[3].plain for row in shown[:4]] == ["3", "1", "1", "?"]
        assert shown[1][1].plain == "kind-words, @practice/kind-words-cli, kind-words-py"
        assert shown[1][2].plain == "npm, pypi"
        assert shown[0][4].plain == "installed metadata (Source)"
        gitlab = shown[4]
        assert gitlab[1].plain == "gitlab-only"
        assert gitlab[4].plain == "source is on gitlab.com, not GitHub"
        assert all("dim" in str(cell.style) for cell in gitlab)  # unresolved rows are dimmed
        assert "dim" not in str(shown[0][0].style)
        assert "4 GitHub repositories" in status(screen)
        assert "5 open beginner issues" in status(screen)
        assert app.focused is table

        await pilot.press("down", "down", "down", "down", "enter")  # an unresolved row
        await settle(pilot)
        assert app.screen is screen
        assert app.journey.project is None

        await pilot.press("up", "up", "up", "enter")  # practice/kind-words
        await confirm_fork(pilot)
        assert isinstance(app.screen, SetupScreen)
        assert app.journey.project == "practice/kind-words"


async def test_typing_another_folder_and_its_problems(
    forge_config: ForgeConfig,
    state_store: StateStore,
    tmp_path: Path,
    registry: RegistryServer,
) -> None:
    project = tmp_path / "project"
    project.mkdir()
    (project / "requirements.txt").write_text(
        "tiny-calc>=1\n[@click=app.quit]x[/]\n\x1b]0;owned\x07 [/\n"
    )
    app = make_app(forge_config, state_store, tmp_path / "ws")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.push_screen(DependenciesScreen(tmp_path / "nowhere"))
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, DependenciesScreen)
        assert "does not exist" in status(screen)
        assert app.focused is screen.query_one("#deps-path", Input)

        screen.query_one("#deps-path", Input).value = str(project)
        await pilot.press("enter")
        await settle(pilot)
        table = screen.query_one("#deps-table", DataTable)
        assert [row[0].plain for row in rows(table)] == ["practice/tiny-calc"]
        problems = screen.query_one("#deps-problems", Static)
        assert problems.display
        text = str(problems.render())
        assert "requirements.txt:2: not a valid requirement" in text
        assert "requirements.txt:3:" in text
        assert "\x1b" not in text
        assert app.is_running  # markup in a file never became an action


async def test_escape_goes_back_to_the_projects(
    forge_config: ForgeConfig,
    state_store: StateStore,
    tmp_path: Path,
    registry: RegistryServer,
) -> None:
    app = make_app(forge_config, state_store, tmp_path / "ws")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        below = app.screen
        app.push_screen(DependenciesScreen(TEAM_APP / "package.json"))
        await settle(pilot)
        assert isinstance(app.screen, DependenciesScreen)
        table = app.screen.query_one("#deps-table", DataTable)
        assert table.row_count == 2  # kind-words (both packages) and left-pad
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is below
