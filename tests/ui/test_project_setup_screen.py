"""ProjectSetupScreen with real processes: nothing runs before "Run these steps", the agreement
is remembered until the pack changes, Stop really stops, the test suite is offered at the end,
and hostile output stays inert text."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Button, Log, Static

from onboard.core.packs.loading import Pack
from onboard.core.storage.state import StateStore
from onboard.flows.project_setup import display_argv
from onboard.forge.base import ForgeConfig
from onboard.ui.app import OnboardApp
from onboard.ui.screens.project_setup import ProjectSetupScreen
from tests.flows.pack_fixtures import python_argv, write_pack
from tests.ui.helpers import SIZE, make_app, settle, until

CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
MARK = {"argv": python_argv('open("marker", "a").write("x")'), "description": "Leave a mark"}


@pytest.fixture
def clone(tmp_path: Path) -> Path:
    folder = tmp_path / "ws" / "practice" / "tiny-calc"
    folder.mkdir(parents=True)
    return folder


async def open_screen(
    app: OnboardApp, pilot: Pilot[None], clone: Path, pack: Pack | None
) -> ProjectSetupScreen:
    project = pack.projects[0] if pack else None
    screen = ProjectSetupScreen(clone, project, pack, os_name="linux", timeout=60)
    await app.push_screen(screen)
    await settle(pilot)
    assert app.screen is screen
    return screen


def shown(screen: ProjectSetupScreen, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


def visible(screen: ProjectSetupScreen, selector: str) -> bool:
    return bool(screen.query_one(selector).display)


async def wait_for_line(pilot: Pilot[None], screen: ProjectSetupScreen, text: str) -> None:
    """Wait for a line of output exactly ``text`` (the echoed command line may contain it too)."""
    await until(pilot, lambda: text in screen.query_one("#ps-log", Log).lines, what=repr(text))


async def test_nothing_runs_before_consent_then_run_does(
    forge_config: ForgeConfig, state_store: StateStore, tmp_path: Path, clone: Path
) -> None:
    pack = write_pack(tmp_path / "pack", [MARK])
    app = make_app(forge_config, state_store, tmp_path / "ws")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await open_screen(app, pilot, clone, pack)
        step = shown(screen, "#step-0")
        assert f"$ {display_argv(MARK['argv'])}" in step
        assert """-c 'open("marker", "a").write("x")'""" in step
        assert "Leave a mark" in step
        assert "from the team guide pack" in shown(screen, "#ps-source")
        assert "tiny-calc" in shown(screen, "#ps-where")
        assert "Nothing runs until you press" in shown(screen, "#ps-consent")
        assert not screen.query_one("#run", Button).disabled
        assert not visible(screen, "#ps-log")
        await pilot.pause(0.3)
        assert not (clone / "marker").exists()

        await pilot.click("#not-now")
        await settle(pilot)
        assert not isinstance(app.screen, ProjectSetupScreen)
        assert not (clone / "marker").exists()
        assert state_store.consents() == {}

        screen = await open_screen(app, pilot, clone, pack)
        await pilot.press("escape")  # leaves, like "Not now"
        await settle(pilot)
        assert not isinstance(app.screen, ProjectSetupScreen)
        assert not (clone / "marker").exists()

        screen = await open_screen(app, pilot, clone, pack)
        await pilot.click("#run")
        await settle(pilot)
        assert (clone / "marker").read_text() == "x"
        assert "ok (exit 0" in shown(screen, "#step-0")
        assert list(state_store.consents()) == ["pack:team:practice/tiny-calc"]
        assert "Setup finished" in shown(screen, "#ps-outcome")


async def test_consent_is_remembered_until_the_pack_changes(
    forge_config: ForgeConfig, state_store: StateStore, tmp_path: Path, clone: Path
) -> None:
    pack = write_pack(tmp_path / "pack", [MARK])
    app = make_app(forge_config, state_store, tmp_path / "ws")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await open_screen(app, pilot, clone, pack)
        assert not visible(screen, "#ps-changed")
        await pilot.click("#run")
        await settle(pilot)
        await pilot.click("#done")
        await settle(pilot)

        screen = await open_screen(app, pilot, clone, pack)
        assert "You agreed to these exact steps on" in shown(screen, "#ps-consent")
        assert not visible(screen, "#ps-changed")

        extra = {"argv": ["onboard-new-tool", "install"], "description": "A new step"}
        changed = write_pack(tmp_path / "pack", [MARK, extra], guide="# Welcome, edited\n")
        assert changed.content_hash != pack.content_hash
        screen = await open_screen(app, pilot, clone, changed)
        assert visible(screen, "#ps-changed")
        assert "This pack changed since you agreed" in shown(screen, "#ps-changed")
        assert "here are the steps again" in shown(screen, "#ps-changed")
        assert "new" not in shown(screen, "#step-0").split("Leave a mark")[0].split("$ ")[1][-6:]
        assert shown(screen, "#step-1").split("\n")[0].endswith("new")
        assert "You agreed" not in shown(screen, "#ps-consent")
        await pilot.pause(0.3)
        assert (clone / "marker").read_text() == "x"  # asking again ran nothing

        guide_only = write_pack(tmp_path / "pack", [MARK], guide="# Welcome, edited again\n")
        screen = await open_screen(app, pilot, clone, guide_only)
        assert visible(screen, "#ps-changed")


@pytest.mark.parametrize("key", ["x", "escape"])
async def test_stop_really_stops_the_command(
    key: str, forge_config: ForgeConfig, state_store: StateStore, tmp_path: Path, clone: Path
) -> None:
    sleeper = {
        "argv": python_argv(
            "import os, time; open('pid', 'w').write(str(os.getpid())); "
            "print('ready', flush=True); time.sleep(120)"
        ),
        "description": "Take a long time",
    }
    pack = write_pack(tmp_path / "pack", [sleeper, MARK])
    app = make_app(forge_config, state_store, tmp_path / "ws")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await open_screen(app, pilot, clone, pack)
        await pilot.click("#run")
        await wait_for_line(pilot, screen, "ready")
        assert "running" in shown(screen, "#step-0")
        assert visible(screen, "#stop")
        await pilot.press(key)
        await settle(pilot)
        assert app.screen is screen
        assert "cancelled" in shown(screen, "#step-0")
        assert "Stopped" in shown(screen, "#ps-outcome")
        pid = int((clone / "pid").read_text())
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)
        assert not (clone / "marker").exists()  # the next step never started
        assert visible(screen, "#run")


async def test_the_test_suite_is_offered_at_the_end_with_its_own_result(
    forge_config: ForgeConfig, state_store: StateStore, tmp_path: Path, clone: Path
) -> None:
    tests = python_argv(
        "import sys; print('3 passed'); sys.exit(int(open('marker').read() == 'xx'))"
    )
    pack = write_pack(tmp_path / "pack", [MARK], test_command=tests)
    app = make_app(forge_config, state_store, tmp_path / "ws")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await open_screen(app, pilot, clone, pack)
        assert "run the test suite once before you change anything" in shown(screen, "#step-1")
        await pilot.click("#run")
        await settle(pilot)
        assert "ok (exit 0" in shown(screen, "#step-0")
        assert "ok" not in shown(screen, "#step-1")  # offered, not run
        assert "Now run the test suite once" in shown(screen, "#ps-outcome")
        assert visible(screen, "#run-tests")
        await pilot.click("#run-tests")
        await settle(pilot)
        assert "ok (exit 0" in shown(screen, "#step-1")
        assert "The tests pass" in shown(screen, "#ps-outcome")
        assert screen.tests_passed is True
        assert "3 passed" in screen.query_one("#ps-log", Log).lines

        await pilot.click("#done")  # run setup again: the marker now makes the tests fail
        await settle(pilot)
        screen = await open_screen(app, pilot, clone, pack)
        await pilot.click("#run")
        await settle(pilot)
        await pilot.click("#run-tests")
        await settle(pilot)
        assert "failed (exit 1)" in shown(screen, "#step-1")
        assert "did not pass" in shown(screen, "#ps-outcome")
        assert screen.tests_passed is False


async def test_a_failed_step_says_why_and_offers_to_try_again(
    forge_config: ForgeConfig, state_store: StateStore, tmp_path: Path, clone: Path
) -> None:
    missing = {"argv": ["onboard-no-such-tool", "ci"], "description": "Install"}
    pack = write_pack(tmp_path / "pack", [missing, MARK], test_command=["onboard-no-such-tool"])
    app = make_app(forge_config, state_store, tmp_path / "ws")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await open_screen(app, pilot, clone, pack)
        await pilot.click("#run")
        await settle(pilot)
        assert "not run: onboard-no-such-tool is not installed" in shown(screen, "#step-0")
        assert "onboard doctor" in shown(screen, "#ps-outcome")
        assert str(screen.query_one("#run", Button).label) == "Try again"
        assert not visible(screen, "#run-tests")
        assert not (clone / "marker").exists()


async def test_an_agreement_that_cannot_be_saved_runs_nothing(
    forge_config: ForgeConfig, tmp_path: Path, clone: Path
) -> None:
    (tmp_path / "not-a-folder").write_text("a file where the data folder should be")
    store = StateStore(tmp_path / "not-a-folder" / "state.json")
    pack = write_pack(tmp_path / "pack", [MARK])
    app = make_app(forge_config, store, tmp_path / "ws")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await open_screen(app, pilot, clone, pack)
        assert "Nothing runs until you press" in shown(screen, "#ps-consent")
        await pilot.click("#run")
        await settle(pilot)
        assert "Nothing was run" in shown(screen, "#ps-outcome")
        assert not (clone / "marker").exists()
        assert "ok" not in shown(screen, "#step-0")


async def test_hostile_output_and_descriptions_render_inert(
    forge_config: ForgeConfig, state_store: StateStore, tmp_path: Path, clone: Path
) -> None:
    loud = {
        "argv": python_argv(
            r"print('\x1b]0;pwned\x07[bold]loud[/] \x1b[31mred\x1b[0m [@click=app.quit]q[/]');"
            r"print('\x1b]52;c;ZXZpbA==\x07[/]\x9b2J end')"
        ),
        "description": "[@click=app.quit]Click me[/] [/] [link=https://evil.example]x",
    }
    pack = write_pack(tmp_path / "pack", [loud])
    app = make_app(forge_config, state_store, tmp_path / "ws")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await open_screen(app, pilot, clone, pack)
        assert "[@click=app.quit]Click me[/] [/]" in shown(screen, "#step-0")
        await pilot.click("#run")
        await settle(pilot)
        lines = screen.query_one("#ps-log", Log).lines
        assert "[bold]loud[/] red [@click=app.quit]q[/]" in lines
        assert "[/] end" in lines
        assert not any(CONTROL.search(line) for line in lines)
        await pilot.click("#ps-log")
        await pilot.click("#step-0")
        await pilot.pause()
        assert app.is_running
        assert app.screen is screen
        assert not CONTROL.search(app.export_screenshot())


async def test_a_chatty_command_is_batched_and_the_log_follows_it(
    forge_config: ForgeConfig, state_store: StateStore, tmp_path: Path, clone: Path
) -> None:
    chatty = {
        "argv": python_argv("print('x' * 300)\nfor i in range(5000): print('line', i)"),
        "description": "Print a lot",
    }
    pack = write_pack(tmp_path / "pack", [chatty])
    app = make_app(forge_config, state_store, tmp_path / "ws")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await open_screen(app, pilot, clone, pack)
        await pilot.click("#run")
        await settle(pilot)
        log = screen.query_one("#ps-log", Log)
        assert log.lines[-2:] == ["line 4999", "✓ ok (exit 0, " + log.lines[-1][14:]]
        assert len(log.lines) == 5003
        assert 1 <= screen.batches_shown < 100
        await pilot.pause(0.1)
        assert log.scroll_y == log.max_scroll_y > 0


async def test_suggested_steps_say_where_they_come_from(
    forge_config: ForgeConfig, state_store: StateStore, tmp_path: Path, clone: Path
) -> None:
    (clone / "package.json").write_text('{"name": "demo", "scripts": {"test": "node t.js"}}')
    (clone / "package-lock.json").write_text('{"name": "demo", "lockfileVersion": 3}')
    app = make_app(forge_config, state_store, tmp_path / "ws")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await open_screen(app, pilot, clone, None)
        assert "$ npm ci" in shown(screen, "#step-0")
        assert "suggested from package-lock.json" in shown(screen, "#ps-source")
        assert "onboard guessed them" in shown(screen, "#ps-source")
        assert "Nothing runs until you press" in shown(screen, "#ps-consent")
        assert not (clone / "node_modules").exists()


async def test_no_steps_at_all_says_so(
    forge_config: ForgeConfig, state_store: StateStore, tmp_path: Path, clone: Path
) -> None:
    app = make_app(forge_config, state_store, tmp_path / "ws")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await open_screen(app, pilot, clone, None)
        assert "found no setup steps" in shown(screen, "#ps-consent")
        assert visible(screen, "#done")
        assert not visible(screen, "#run")
        await pilot.click("#done")
        await settle(pilot)
        assert not isinstance(app.screen, ProjectSetupScreen)
