"""Guided mode (``onboard --session FILE``): the agenda and the current checkpoint stay on screen,
checkpoints tick from what really happened on the practice forge and on disk, and "I'm stuck"
records where and why, then shows where to ask."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from rich.console import Console
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, RadioButton, Static, TextArea

from onboard.core.journey import Journey
from onboard.core.models import RepoRef
from onboard.core.sessions.session import Session, load_session
from onboard.core.storage.state import StateStore
from onboard.flows import act
from onboard.flows.setup import SetupFlow
from onboard.forge.base import ForgeConfig
from onboard.forge.github import GitHubForge
from onboard.practice import PracticeForge
from onboard.ui.app import OnboardApp
from onboard.ui.screens.confirm import PublicActionDialog
from onboard.ui.screens.issues import IssuesScreen
from onboard.ui.screens.join_session import JoinSessionDialog
from onboard.ui.screens.project_setup import ProjectSetupScreen
from onboard.ui.screens.projects import ProjectsScreen
from onboard.ui.screens.setup import SetupScreen
from onboard.ui.screens.stuck import StuckScreen
from onboard.ui.screens.task import TaskScreen
from onboard.ui.widgets.session_panel import SessionPanel
from tests.flows.pack_fixtures import python_argv, write_pack

from .helpers import SIZE, confirm_fork, make_app, settle

EXAMPLE = Path(__file__).parents[2] / "guides" / "sessions" / "workshop-example.toml"


@pytest.fixture
def session() -> Session:
    return load_session(EXAMPLE)


def panel_text(app: OnboardApp, part: str = "full") -> str:
    """What the session panel shows, as plain text (wide: the column; narrow: the strip)."""
    panel = app.screen.query_one(SessionPanel)
    console = Console(width=200, file=io.StringIO(), record=True)
    console.print(panel.query_one(f"#session-{part}", Static).content)
    return console.export_text()


async def polled(pilot: Pilot[None]) -> None:
    """Run one checkpoint poll now (the app also runs one every few seconds)."""
    app = pilot.app
    assert isinstance(app, OnboardApp)
    app.poll_session(check_remote=True)
    await settle(pilot)


async def test_agenda_and_current_checkpoint_are_on_every_journey_screen(
    forge_config: ForgeConfig, state_store: StateStore, tmp_path: Path, session: Session
) -> None:
    app = make_app(forge_config, state_store, tmp_path / "ws", session=session)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ProjectsScreen)
        text = panel_text(app)
        assert "Your first contribution, rehearsed" in text
        assert "● Welcome: how a contribution works" in text  # just joined: the welcome talk
        assert "○ Choose a project" in text
        assert "Now: You chose a project" in text and "no project chosen yet" in text
        assert "0 of 7 checkpoints" in text
        assert "Stuck? F4" in panel_text(app, "stuck") and "#workshop chat" in panel_text(
            app, "stuck"
        )
        assert state_store.active_session() == session.id

        app.choose_project(RepoRef("practice", "hello-docs"))
        await confirm_fork(pilot)
        assert isinstance(app.screen, SetupScreen)
        text = panel_text(app)
        assert ("✓ Choose a project" in text and "1 of 7 checkpoints" in text) or (
            "2 of 7" in text  # set-up may already have forked and cloned meanwhile
        )
        assert "Mentor's picks" in text and "#1 A one-word typo" in text


async def test_checkpoints_tick_from_real_practice_forge_actions(
    practice_forge: PracticeForge,
    forge_config: ForgeConfig,
    state_store: StateStore,
    tmp_path: Path,
    session: Session,
) -> None:
    app = make_app(forge_config, state_store, tmp_path / "ws", session=session)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.choose_project(RepoRef("practice", "hello-docs"))
        await confirm_fork(pilot)  # the set-up screen forks and clones for real
        await polled(pilot)
        text = panel_text(app)
        assert "✓ Fork and clone" in text, text
        # hello-docs has no tests: that step is skipped for it, and the agenda moves on.
        assert "– Run the tests before changing anything (skipped: not in this project)" in text
        assert "Now: You claimed an issue" in text
        seen = state_store.session_progress(session.id).checkpoints
        assert {"chosen", "cloned"} <= set(seen)

        # A claim posted on the forge (what the issue screen's "Claim" does) ticks "claimed",
        # and a notification says which checkpoint was reached.
        forge = GitHubForge(forge_config)
        issue = forge.issue(RepoRef("practice", "hello-docs"), 1)
        act.post_claim(forge, state_store, app.journey, issue, "I'd like to work on this.")
        await polled(pilot)
        assert "✓ Find and claim an issue" in panel_text(app)
        assert any("Checkpoint: You claimed an issue" in n.title for n in app._notifications)
        assert "claimed" in state_store.session_progress(session.id).checkpoints
        assert "draft-pr" not in state_store.session_progress(session.id).checkpoints


async def test_a_learners_word_alone_ticks_nothing(
    forge_config: ForgeConfig, state_store: StateStore, tmp_path: Path, session: Session
) -> None:
    """A journey saying "cloned" without a clone on disk does not tick "Fork and clone".

    (Saved for another forge, so this app does not start setting it up for real.)
    """
    journey = Journey()
    journey.choose("octo/hello")
    journey.fork = "learner/hello"
    journey.clone_path = str(tmp_path / "nowhere")
    state_store.save_journey("api.github.com", journey)
    app = make_app(forge_config, state_store, tmp_path / "ws", session=session)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await polled(pilot)
        text = panel_text(app)
        assert "✓ Choose a project" in text
        assert "● Fork and clone" in text
        assert "cloned" not in state_store.session_progress(session.id).checkpoints


async def test_im_stuck_records_step_and_barrier_and_shows_where_to_ask(
    forge_config: ForgeConfig, state_store: StateStore, tmp_path: Path, session: Session
) -> None:
    app = make_app(forge_config, state_store, tmp_path / "ws", session=session)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f4")
        await pilot.pause()
        assert isinstance(app.screen, StuckScreen)
        help_text = str(app.screen.query_one("#stuck-help", Static).render())
        assert "Raise your hand, or ask in the #workshop chat room" in help_text
        assert "chat.example.org" in help_text and "Ada Mentor" in help_text
        assert "choose a project" in str(app.screen.query_one("#stuck-where", Static).render())
        assert len(app.screen.query(RadioButton)) == 5
        await pilot.click("#barrier-technical-hurdles")
        app.screen.query_one("#stuck-text", Input).value = "[bold]git says no[/]"
        await pilot.click("#record")
        await settle(pilot)
        assert not isinstance(app.screen, StuckScreen)

        stuck = state_store.session_progress(session.id).open_stuck()
        assert stuck is not None
        assert stuck.step == "choose_project"
        assert stuck.barrier == "technical-hurdles"
        assert stuck.text == "[bold]git says no[/]"
        assert stuck.extra["screen"] == "ProjectsScreen"
        assert "Waiting for help" in panel_text(app, "stuck")

        await pilot.press("f4")  # an open "stuck" offers "I'm unstuck" instead
        await pilot.pause()
        assert "[bold]git says no[/]" in str(app.screen.query_one("#stuck-open", Static).render())
        await pilot.click("#unstuck")
        await settle(pilot)
        assert state_store.session_progress(session.id).open_stuck() is None
        assert "Stuck? F4" in panel_text(app, "stuck")


async def test_without_a_session_there_is_no_panel_and_no_stuck_key(
    forge_config: ForgeConfig, state_store: StateStore, tmp_path: Path
) -> None:
    app = make_app(forge_config, state_store, tmp_path / "ws")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert not app.screen.query(SessionPanel)
        await pilot.press("f4")
        await pilot.pause()
        assert not isinstance(app.screen, StuckScreen)
        assert state_store.active_session() is None


async def test_a_narrow_terminal_gets_a_strip_instead_of_a_column(
    forge_config: ForgeConfig, state_store: StateStore, tmp_path: Path, session: Session
) -> None:
    app = make_app(forge_config, state_store, tmp_path / "ws", session=session)
    async with app.run_test(size=(90, 30)) as pilot:
        await settle(pilot)
        panel = app.screen.query_one(SessionPanel)
        assert panel.query_one("#session-compact").display
        assert not panel.query_one("#session-full-scroll").display
        assert panel.size.height <= 4 and panel.size.width > 80
        compact = panel_text(app, "compact")
        assert "● Welcome" in compact and "Now: You chose a project" in compact


async def test_guided_mode_offers_only_the_sessions_projects(
    forge_config: ForgeConfig, state_store: StateStore, tmp_path: Path, session: Session
) -> None:
    app = make_app(forge_config, state_store, tmp_path / "ws", session=session)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        offered = {p.repo.full_name for pack in app.visible_packs for p in pack.projects}
        assert offered == {r.full_name for r in session.projects}


async def test_running_the_tests_ticks_the_tests_checkpoint_even_when_they_fail(
    forge_config: ForgeConfig, state_store: StateStore, tmp_path: Path, session: Session
) -> None:
    clone = tmp_path / "ws" / "practice" / "tiny-calc"
    clone.mkdir(parents=True)
    failing = python_argv("import sys; print('1 failed'); sys.exit(1)")
    pack = write_pack(tmp_path / "pack", [], test_command=failing)
    app = make_app(forge_config, state_store, tmp_path / "ws", session=session)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = ProjectSetupScreen(clone, pack.projects[0], pack, os_name="linux", timeout=60)
        await app.push_screen(screen)
        await settle(pilot)
        assert "○ Run the tests before changing anything" in panel_text(app)
        await pilot.click("#run")
        await settle(pilot)
        assert "tests" not in state_store.session_progress(session.id).checkpoints
        await pilot.click("#run-tests")
        await settle(pilot)
        assert "tests" in state_store.session_progress(session.id).checkpoints
        assert "✓ Run the tests before changing anything" in panel_text(app)
        said = [n.message for n in app._notifications]
        assert "the tests ran (exit code 1: some failed)" in said


def _set_up(config: ForgeConfig, store: StateStore, workspace: Path, project: str) -> Journey:
    journey = Journey()
    journey.choose(project)
    return SetupFlow(GitHubForge(config), store, workspace).run(journey, lambda _event: None)


async def _open_task(pilot: Pilot[None], title_start: str) -> TaskScreen:
    app = pilot.app
    table = app.screen.query_one("#issues", DataTable)
    for index in range(table.row_count):
        if str(table.get_row_at(index)[2]).startswith(title_start):
            table.move_cursor(row=index)
            break
    else:
        raise AssertionError(f"no row starts with {title_start!r}")
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(app.screen, TaskScreen)
    return app.screen


async def test_a_review_posted_from_the_review_task_ticks_one_review_given(
    practice_forge: PracticeForge,
    forge_config: ForgeConfig,
    state_store: StateStore,
    tmp_path: Path,
    session: Session,
) -> None:
    _set_up(forge_config, state_store, tmp_path / "ws", "practice/tiny-calc")
    app = make_app(forge_config, state_store, tmp_path / "ws", session=session)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "○ Review someone else's pull request" in panel_text(app)
        await _open_task(pilot, "Review #5")
        await pilot.click("#review")
        await pilot.pause()
        assert isinstance(app.screen, PublicActionDialog)
        app.screen.query_one("#dialog-text", TextArea).text = "Clear test. Why round to 2?"
        await pilot.click("#confirm")
        await settle(pilot)
        assert isinstance(app.screen, IssuesScreen)

        pull = GitHubForge(forge_config)._gh.get_repo("practice/tiny-calc").get_pull(5)
        posted = [(r.user.login, r.state, r.body) for r in pull.get_reviews()]
        assert ("learner", "COMMENTED", "Clear test. Why round to 2?") in posted
        reviews = state_store.session_progress(session.id).events_of("review_given")
        assert len(reviews) == 1 and "pullrequestreview" in str(reviews[0].extra["url"])
        await polled(pilot)
        assert "✓ Review someone else's pull request" in panel_text(app)


async def test_a_non_code_task_is_recorded_with_its_link(
    forge_config: ForgeConfig, state_store: StateStore, tmp_path: Path, session: Session
) -> None:
    _set_up(forge_config, state_store, tmp_path / "ws", "practice/hello-docs")
    app = make_app(forge_config, state_store, tmp_path / "ws", session=session)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await _open_task(pilot, "Write down what you learned")
        screen.query_one("#task-url", Input).value = "javascript:alert(1)"
        await pilot.click("#record")
        await pilot.pause()
        assert isinstance(app.screen, TaskScreen)  # not a link: refused, nothing recorded
        assert not state_store.session_progress(session.id).events_of("noncode_done")
        url = screen.query_one("#task-url", Input)
        url.value = "https://blog.example.org/first-steps"
        url.focus()
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, IssuesScreen)
        done = state_store.session_progress(session.id).events_of("noncode_done")
        assert [(e.extra["lane"], e.extra["url"]) for e in done] == [
            ("content", "https://blog.example.org/first-steps")
        ]


async def test_a_session_can_be_joined_and_left_from_inside_the_app(
    forge_config: ForgeConfig, state_store: StateStore, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(EXAMPLE.read_text().replace("minutes = 10\n", "minutes = -10\n", 1))
    app = make_app(forge_config, state_store, tmp_path / "ws")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert "Join a mentor session" in titles and "I'm stuck" not in titles
        app.action_join_session()
        await pilot.pause()
        assert isinstance(app.screen, JoinSessionDialog)
        path = app.screen.query_one("#join-path", Input)
        path.value = str(bad)
        path.focus()
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, JoinSessionDialog)  # refused, with the line and the key
        error = str(app.screen.query_one("#join-error", Static).render())
        assert "bad.toml:" in error and "minutes" in error
        assert state_store.active_session() is None

        path.value = str(EXAMPLE)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ProjectsScreen)
        assert "Now: You chose a project" in panel_text(app)
        assert state_store.active_session() == "practice-workshop-example"
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert "I'm stuck" in titles and "Leave the mentor session" in titles

        app.action_leave_session()
        await settle(pilot)
        assert not app.screen.query(SessionPanel)
        assert state_store.active_session() is None
        assert state_store.session_progress("practice-workshop-example").joined_at is not None


async def test_the_progress_report_is_exported_from_the_app_without_secrets(
    forge_config: ForgeConfig, state_store: StateStore, tmp_path: Path, session: Session
) -> None:
    app = make_app(forge_config, state_store, tmp_path / "ws", session=session)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.choose_project(RepoRef("practice", "hello-docs"))
        await confirm_fork(pilot)
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert "Export my progress report" in titles
        app.export_report()
        await settle(pilot)
    written = tmp_path / "ws" / "onboard-report-practice-workshop-example.json"
    report = json.loads(written.read_text())
    assert report["session"]["id"] == "practice-workshop-example"
    done = {c["id"] for c in report["checkpoints"] if c["done"]}
    assert {"chosen", "cloned"} <= done
    markdown = written.with_suffix(".md").read_text()
    assert "You chose a project" in markdown
    for text in (written.read_text(), markdown):
        assert forge_config.token and forge_config.token not in text
        assert str(tmp_path / "ws") not in text  # paths inside the workspace are relative
