"""The OSPO screen: upstreams that need help and what the team gave, from the practice forge."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
from rich.text import Text
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Static

from onboard.core.storage.state import StateStore
from onboard.practice import PracticeForge
from onboard.ui.screens.ospo import OspoScreen
from tests.flows.ospo_fixtures import TEAM_TOML, TINY, add_team_activity, config, open_ospo_forge
from tests.ui.helpers import SIZE, make_app, settle

SnapCompare = Callable[..., bool]


@pytest.fixture
def ospo_forge(tmp_path: Path, _seeded_forge_data: Path) -> Iterator[PracticeForge]:
    with open_ospo_forge(tmp_path, _seeded_forge_data) as forge:
        add_team_activity(forge)
        yield forge


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The files a lead keeps: a team file and the upstream list, named relative to here."""
    here = tmp_path / "ospo"
    here.mkdir()
    (here / "team.toml").write_text(TEAM_TOML, encoding="utf-8")
    (here / "upstreams.txt").write_text(f"practice/old-calc\n{TINY}\n", encoding="utf-8")
    monkeypatch.chdir(here)
    return here


def rows(table: DataTable[Text]) -> list[list[str]]:
    return [[cell.plain for cell in table.get_row_at(i)] for i in range(table.row_count)]


def text_of(screen: OspoScreen, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


async def test_upstreams_are_measured_in_a_worker_most_in_need_first(
    ospo_forge: PracticeForge, state_store: StateStore, folder: Path, tmp_path: Path
) -> None:
    app = make_app(config(ospo_forge), state_store, tmp_path / "ws")
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        app.action_ospo(Path("upstreams.txt"))
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, OspoScreen)
        screen.query_one("#ospo-upstreams", Input).focus()
        await pilot.press("enter")
        await settle(pilot)
        shown = rows(screen.query_one("#ospo-needs", DataTable))
        assert [row[0] for row in shown] == [TINY]
        assert "review" in shown[0][2]
        assert "practice/old-calc is now practice/tiny-calc" in text_of(screen, "#ospo-status")
        detail = text_of(screen, "#ospo-detail")
        assert "waiting for a first review" in detail and "review:none" in detail


async def test_the_team_is_counted_and_a_bad_team_file_is_named(
    ospo_forge: PracticeForge, state_store: StateStore, folder: Path, tmp_path: Path
) -> None:
    (folder / "bad.toml").write_text('[[person]]\nlogin = "[red]x y"\n', encoding="utf-8")
    app = make_app(config(ospo_forge), state_store, tmp_path / "ws")
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        app.push_screen(OspoScreen(Path("upstreams.txt"), Path("bad.toml")))
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, OspoScreen)
        screen.query_one("#ospo-team", Input).focus()
        await pilot.press("enter")
        await settle(pilot)
        status = text_of(screen, "#ospo-status")
        assert "person[0].login: '[red]x y' is not a GitHub login" in status
        screen.query_one("#ospo-team", Input).value = "team.toml"
        await pilot.press("enter")
        await settle(pilot)
        shown = rows(screen.query_one("#ospo-people", DataTable))
        assert [row[0] for row in shown] == ["ospo-mona", "ospo-hubot", "ospo-idle"]
        assert shown[0][1:] == ["1", "1", "1", "1", "0", "1"]
        assert shown[1][5] == "1"  # hubot's review
        assert shown[2][1:] == ["0"] * 6
        assert "shared: https://blog.example/reviewing-well" in text_of(screen, "#ospo-detail")


async def test_a_link_full_of_markup_is_shown_as_typed(
    ospo_forge: PracticeForge, state_store: StateStore, folder: Path, tmp_path: Path
) -> None:
    hostile = "https://x.example/[/][@click=app.quit]q[/]"
    (folder / "team.toml").write_text(
        f'[[person]]\nlogin = "ospo-mona"\nshared = ["{hostile}"]\n', encoding="utf-8"
    )
    app = make_app(config(ospo_forge), state_store, tmp_path / "ws")
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        app.push_screen(OspoScreen(Path("upstreams.txt"), Path("team.toml")))
        await settle(pilot)
        app.screen.query_one("#ospo-team", Input).focus()
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, OspoScreen)
        assert f"shared: {hostile}" in text_of(screen, "#ospo-detail")
        assert app.is_running


def test_ospo_screen_snapshot(
    snap_compare: SnapCompare, ospo_forge: PracticeForge, state_store: StateStore, folder: Path
) -> None:
    async def count(pilot: Pilot[None]) -> None:
        await settle(pilot)
        pilot.app.push_screen(
            OspoScreen(
                Path("upstreams.txt"), Path("team.toml"), date(2000, 1, 1), date(2099, 12, 31)
            )
        )
        await settle(pilot)
        pilot.app.screen.query_one("#ospo-team", Input).focus()
        await pilot.press("enter")
        await settle(pilot)

    app = make_app(config(ospo_forge), state_store, folder / "ws")
    assert snap_compare(app, terminal_size=SIZE, run_before=count)


async def test_ctrl_o_on_the_dependencies_screen_opens_the_ospo_view_on_that_folder(
    ospo_forge: PracticeForge, state_store: StateStore, folder: Path, tmp_path: Path
) -> None:
    app = make_app(config(ospo_forge), state_store, tmp_path / "ws")
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        app.action_dependencies()
        await settle(pilot)
        await pilot.press("ctrl+o")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, OspoScreen)
        assert screen.query_one("#ospo-upstreams", Input).value == str(folder)
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, OspoScreen)
