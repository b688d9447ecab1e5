"""Keyboard and screen (issue #17, item 9), with the keyboard only: every action has a key that
is shown, ``?`` lists them from the live bindings, the set-up tools are reachable after set-up,
"Try again" is one key away after a failure, tables fit their words at 200 and 80 columns, and
the theme chosen is there at the next start."""

from __future__ import annotations

import io
from pathlib import Path

from rich.console import Console, RenderableType
from textual.pilot import Pilot
from textual.widgets import Button, DataTable, Footer, Input, Static

from onboard.core.journey import Journey
from onboard.core.storage.state import StateStore
from onboard.forge.base import ForgeConfig
from onboard.practice import PracticeForge
from onboard.ui.app import OnboardApp
from onboard.ui.screens.confirm import PublicActionDialog
from onboard.ui.screens.issues import IssuesScreen
from onboard.ui.screens.keys_help import KeySection, KeysScreen, render_sections
from onboard.ui.screens.project_setup import ProjectSetupScreen
from onboard.ui.screens.setup import SetupScreen
from onboard.ui.widgets.journey_bar import render_journey
from tests.flows.pack_fixtures import python_argv, write_pack
from tests.ui.test_contribute import set_up
from tests.ui.test_journey import _beginner_titles

from .helpers import SIZE, make_app, settle


def section(sections: list[KeySection], title: str) -> dict[str, str]:
    """The keys of one section of the ``?`` list, as ``{keys: description}``."""
    found = [s for s in sections if s.title == title]
    assert found, [s.title for s in sections]
    return {row.keys: row.description for row in found[0].rows}


def plain(renderable: RenderableType) -> str:
    console = Console(width=72, file=io.StringIO(), record=True)
    console.print(renderable)
    return console.export_text()


def shown_in_footer(app: OnboardApp) -> set[str]:
    """The keys the footer on screen shows (Textual's FooterKey widgets, read back)."""
    footer = app.screen.query_one(Footer)
    return {str(key.key_display) for key in footer.query("FooterKey")}


# -- ? lists every key --------------------------------------------------------------------------


async def test_question_mark_lists_the_screens_keys_and_the_apps_from_the_bindings(
    forge_config: ForgeConfig, state_store: StateStore, tmp_path: Path
) -> None:
    set_up(forge_config, state_store, tmp_path / "ws", "practice/hello-docs")
    app = make_app(forge_config, state_store, tmp_path / "ws")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, IssuesScreen)
        assert {"?", "p", "t", "u"} <= shown_in_footer(app)
        await pilot.press("question_mark")
        await settle(pilot)
        keys = app.screen
        assert isinstance(keys, KeysScreen)
        here = section(keys.sections, "On this screen")
        # Generated, not hand-written: every described binding of the screen is there.
        for binding in IssuesScreen.BINDINGS:
            assert app.get_key_display(binding) in here, binding  # type: ignore[arg-type]
        assert here["p"] == "Setup" and here["t"] == "Tests" and here["u"] == "Sync"
        assert here["f"] == "Free only"  # not in the footer (no room at 80 columns), listed here
        assert section(keys.sections, "In the list")["⏎"] == "Select"
        everywhere = section(keys.sections, "Everywhere")
        assert everywhere["? f3"] == "Keys"
        assert everywhere["^q"] == "Quit"
        assert {"f1", "f2", "tab"} <= set(everywhere)
        assert "f4" not in everywhere  # "I'm stuck" only in a mentor session (check_action)
        listed = plain(render_sections(keys.sections))
        assert "Update your main from upstream" in listed  # the binding's tooltip, explained
        assert "u  Sync" in listed
        await pilot.press("escape")
        assert isinstance(app.screen, IssuesScreen)

        # While typing, ? is a character: F3 opens the list instead.
        await pilot.press("slash", "question_mark")
        assert app.screen.query_one("#issues-filter", Input).value == "?"
        await pilot.press("f3")
        await settle(pilot)
        assert isinstance(app.screen, KeysScreen)
        typing = section(app.screen.sections, "While typing in a field")
        assert typing  # the field's own keys (Textual's), listed with the screen's
        await pilot.press("question_mark")  # closes it too
        assert isinstance(app.screen, IssuesScreen)


async def test_the_list_follows_what_applies_now(
    practice_forge: PracticeForge,
    forge_config: ForgeConfig,
    state_store: StateStore,
    tmp_path: Path,
) -> None:
    """Keys that do nothing now (check_action) are neither in the footer nor in the list."""
    journey = Journey()
    journey.choose("practice/hello-docs")
    state_store.save_journey(forge_config.key, journey)
    app = make_app(forge_config, state_store, tmp_path / "ws")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter")  # agree to the fork: its button has the focus
        await settle(pilot)
        assert isinstance(app.screen, SetupScreen)
        assert {"p", "t", "u"} <= shown_in_footer(app)
        assert "r" not in shown_in_footer(app) and "x" not in shown_in_footer(app)
        await pilot.press("question_mark")
        await settle(pilot)
        here = section(app.screen.sections, "On this screen")  # type: ignore[attr-defined]
        assert here["p"] == "Setup steps" and "r" not in here and "x" not in here


# -- the set-up tools, after set-up -------------------------------------------------------------


async def test_setup_steps_tests_and_sync_are_reachable_from_the_issue_list(
    forge_config: ForgeConfig, state_store: StateStore, tmp_path: Path
) -> None:
    tests = python_argv("print('3 passed')")
    mark = {"argv": python_argv("open('marker', 'w').write('x')"), "description": "Mark"}
    # Not a Python project, so its plan makes no .venv (pip's bootstrap: seconds of CPU).
    pack = write_pack(tmp_path / "pack", [mark], test_command=tests, repo="practice/hello-docs")
    set_up(forge_config, state_store, tmp_path / "ws", "practice/hello-docs")
    app = make_app(forge_config, state_store, tmp_path / "ws", packs=[pack])
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, IssuesScreen)

        await pilot.press("u")
        await settle(pilot)
        assert any("up to date with upstream" in n.message for n in app._notifications)

        await pilot.press("t")  # the tests need the steps agreed to first: the steps come first
        await settle(pilot)
        steps = app.screen
        assert isinstance(steps, ProjectSetupScreen) and steps.tests_first
        assert "once you agreed to these steps" in str(steps.query_one("#ps-outcome").render())
        assert "t" not in shown_in_footer(app)
        assert app.focused is steps.query_one("#run", Button)
        await pilot.press("enter")  # agree and run them
        await settle(pilot)
        assert steps.setup_done
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, IssuesScreen)

        await pilot.press("t")  # agreed now: the test suite is one key away
        await settle(pilot)
        steps = app.screen
        assert isinstance(steps, ProjectSetupScreen)
        assert app.focused is steps.query_one("#run-tests", Button)
        assert "t" in shown_in_footer(app)
        await pilot.press("t")
        await settle(pilot)
        assert steps.tests_passed is True
        await pilot.press("escape")
        await settle(pilot)

        await pilot.press("p")
        await settle(pilot)
        assert isinstance(app.screen, ProjectSetupScreen) and not app.screen.tests_first


async def test_the_command_palette_offers_the_tools_once_there_is_a_clone(
    forge_config: ForgeConfig, state_store: StateStore, tmp_path: Path
) -> None:
    app = make_app(forge_config, state_store, tmp_path / "ws")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        titles = {command.title for command in app.get_system_commands(app.screen)}
        assert "Run the tests" not in titles and "Sync with upstream" not in titles
        assert "Keys" in titles
    set_up(forge_config, state_store, tmp_path / "ws", "practice/hello-docs")
    app = make_app(forge_config, state_store, tmp_path / "ws")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        commands = {command.title: command for command in app.get_system_commands(app.screen)}
        assert {"Project setup steps", "Run the tests", "Sync with upstream"} <= set(commands)
        assert [title for title in commands if title == "Keys"] == ["Keys"]  # ours, not two
        commands["Keys"].callback()
        await settle(pilot)
        assert isinstance(app.screen, KeysScreen)


# -- Try again, by keyboard ---------------------------------------------------------------------


async def test_after_a_failure_the_focus_is_on_try_again_and_r_retries(
    practice_forge: PracticeForge,
    forge_config: ForgeConfig,
    state_store: StateStore,
    tmp_path: Path,
) -> None:
    journey = Journey()
    journey.choose("practice/kind-words")
    state_store.save_journey(forge_config.key, journey)
    practice_forge.faults.add("unauthorized", path=r"/forks$", method="POST", times=1)
    app = make_app(forge_config, state_store, tmp_path / "ws")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter")  # "Fork and set up"
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SetupScreen)
        assert str(screen.query_one("#setup-error", Static).render())  # the failure is shown
        assert app.focused is screen.query_one("#retry", Button)
        assert "r" in shown_in_footer(app)
        await pilot.press("r")
        await settle(pilot)
        assert isinstance(app.screen, PublicActionDialog)  # nothing was forked: it asks again
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen
        assert not screen.query_one("#continue", Button).disabled
        assert app.focused is screen.query_one("#continue", Button)
        assert "r" not in shown_in_footer(app)  # nothing to try again
        assert app.journey.is_set_up


async def test_enter_on_try_again_retries_too(
    practice_forge: PracticeForge,
    forge_config: ForgeConfig,
    state_store: StateStore,
    tmp_path: Path,
) -> None:
    journey = Journey()
    journey.choose("practice/kind-words")
    state_store.save_journey(forge_config.key, journey)
    practice_forge.faults.add("unauthorized", path=r"/forks$", method="POST", times=1)
    app = make_app(forge_config, state_store, tmp_path / "ws")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("enter")  # the focused Try again
        await settle(pilot)
        assert isinstance(app.screen, PublicActionDialog)
        await pilot.press("enter")
        await settle(pilot)
        assert app.journey.is_set_up


# -- tables fit their words ---------------------------------------------------------------------


def cells(table: DataTable, column: str) -> list[str]:
    return [str(cell) for cell in table.get_column(column)] if column in table.columns else []


def whole_or_cut_at_a_word(cell: str, titles: set[str]) -> bool:
    if cell in titles:
        return True
    start = cell.removesuffix("…")
    return cell.endswith("…") and any(
        title.startswith(start) and title[len(start)] in " :,." for title in titles
    )


async def test_issue_table_fits_its_words_at_200_and_80_columns(
    practice_forge: PracticeForge,
    forge_config: ForgeConfig,
    state_store: StateStore,
    tmp_path: Path,
) -> None:
    set_up(forge_config, state_store, tmp_path / "ws", "practice/hello-docs")
    titles = _beginner_titles(practice_forge, "practice/hello-docs")
    app = make_app(forge_config, state_store, tmp_path / "ws")
    async with app.run_test(size=(200, 40)) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#issues", DataTable)
        issue_rows = [i for i, status in enumerate(cells(table, "status")) if status != "task"]
        assert {cells(table, "title")[i] for i in issue_rows} == titles  # all whole
        assert "10 days ago" in cells(table, "updated")
        why = cells(table, "why")
        assert why and not any(cell.endswith("…") for cell in why)
        assert "maintainer replied 10 days ago" in why[0]
        table.move_cursor(row=1)

        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        assert table.cursor_row == 1  # the same row stays highlighted
        shown = [cells(table, "title")[i] for i in issue_rows]
        assert any(cell.endswith("…") for cell in shown)
        assert all(whole_or_cut_at_a_word(cell, titles) for cell in shown), shown
        assert "10 days ago" in cells(table, "updated")  # short columns are never cut
        assert {"● free"} == {cells(table, "status")[i] for i in issue_rows}
        assert "Documentation" in cells(table, "lane")
        assert "why" not in table.columns  # no room: the reasons are under the list, in full
        assert sum(column.get_render_width(table) for column in table.columns.values()) <= (
            table.size.width
        )
        table.move_cursor(row=0)
        await pilot.pause()
        why_line = str(app.screen.query_one("#issues-why", Static).render())
        assert "maintainer replied 10 days ago" in why_line
        assert "Fix a typo in the getting-started guide" in why_line


def test_the_journey_bar_shortens_its_names_to_fit_and_never_cuts_them() -> None:
    journey = Journey()
    journey.choose("practice/hello-docs")
    full = render_journey(journey)
    assert "Choose a project" in full.plain and "Open a PR" in full.plain
    assert render_journey(journey, 200).plain == full.plain
    narrow = render_journey(journey, 78)
    assert narrow.cell_len <= 78
    assert "PR" in narrow.plain and "Set up" in narrow.plain  # the current stage, whole


# -- the theme is remembered --------------------------------------------------------------------


async def choose_theme(pilot: Pilot[None], name: str) -> None:
    await pilot.press("ctrl+p", *"theme", "enter")  # Textual's own "Theme" command
    await settle(pilot)
    await pilot.press(*name, "enter")
    await settle(pilot)


async def test_the_theme_chosen_is_there_at_the_next_start(
    forge_config: ForgeConfig, state_store: StateStore, tmp_path: Path
) -> None:
    app = make_app(forge_config, state_store, tmp_path / "ws")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        default = app.theme
        await choose_theme(pilot, "nord")
        assert app.theme == "nord" != default
    assert state_store.theme() == "nord"

    again = make_app(forge_config, state_store, tmp_path / "ws")
    assert again.theme == "nord"  # before the first frame
    async with again.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert again.current_theme.name == "nord"


def test_a_theme_that_is_gone_or_malformed_is_ignored(
    forge_config: ForgeConfig, state_store: StateStore, tmp_path: Path
) -> None:
    state_store.save_theme("a-theme-from-a-plugin-since-removed")
    assert make_app(forge_config, state_store, tmp_path).theme == "textual-dark"
    state_store.update(lambda data: data.update(display=["not", "a", "table"]))
    assert state_store.theme() is None
    state_store.update(lambda data: data.update(display={"theme": 7}))
    assert state_store.theme() is None
    state_store.save_theme("gruvbox")  # a malformed section is replaced, not crashed on
    assert state_store.theme() == "gruvbox"
