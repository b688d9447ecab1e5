"""SVG snapshots of each main screen (pytest-textual-snapshot).

Run ``pytest -n 0 tests/ui/test_snapshots.py --snapshot-update`` after an intended visual change,
and review the new SVGs in ``tests/ui/__snapshots__/`` like any other diff.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot

from onboard.core.journey import Journey
from onboard.core.models import RepoRef
from onboard.core.sessions.session import Session, load_session
from onboard.core.setup.python_env import Interpreter
from onboard.core.storage.state import StateStore
from onboard.flows import act
from onboard.flows.setup import SetupFlow
from onboard.forge.base import ForgeConfig
from onboard.forge.connect import PracticeSession
from onboard.forge.github import GitHubForge
from onboard.ui.mentor_app import MentorApp
from onboard.ui.screens.mentor_dashboard import MentorDashboardScreen
from onboard.ui.widgets.readiness import READINESS_DELAY_SECONDS
from onboard.workspace import tools
from tests.cohort_reports import COHORT, minute, write_report
from tests.ui.helpers import SIZE, confirm_fork, make_app, settle

SnapCompare = Callable[..., bool]


@pytest.fixture
def workspace(isolated_home: Path) -> Path:
    """Inside the test's home, so screens show it as ``~/onboard-projects``: the same every run."""
    return isolated_home / "onboard-projects"


def _journey(
    config: ForgeConfig, store: StateStore, workspace: Path, *, issue: int | None = None
) -> None:
    journey = Journey()
    journey.choose("practice/hello-docs")
    forge = GitHubForge(config)
    journey = SetupFlow(forge, store, workspace).run(journey, lambda _event: None)
    if issue is not None:
        act.start_work(
            forge, store, journey, forge.issue(RepoRef.parse("practice/hello-docs"), issue)
        )


async def _settled(pilot: Pilot[None]) -> None:
    await settle(pilot)


async def _settled_with_readiness(pilot: Pilot[None]) -> None:
    await settle(pilot)
    await pilot.pause(READINESS_DELAY_SECONDS + 0.2)  # the highlighted project's signals
    await settle(pilot)


def test_projects_screen(
    snap_compare: SnapCompare, forge_config: ForgeConfig, state_store: StateStore, workspace: Path
) -> None:
    app = make_app(forge_config, state_store, workspace)
    assert snap_compare(app, terminal_size=SIZE, run_before=_settled_with_readiness)


def test_setup_screen_done(
    snap_compare: SnapCompare, forge_config: ForgeConfig, state_store: StateStore, workspace: Path
) -> None:
    journey = Journey()
    journey.choose("practice/hello-docs")
    state_store.save_journey(forge_config.key, journey)
    app = make_app(forge_config, state_store, workspace)
    assert snap_compare(app, terminal_size=SIZE, run_before=confirm_fork)


def test_fork_confirmation(
    snap_compare: SnapCompare, forge_config: ForgeConfig, state_store: StateStore, workspace: Path
) -> None:
    """Nothing public without a preview: where, as whom, what it does, before the fork."""
    journey = Journey()
    journey.choose("practice/hello-docs")
    state_store.save_journey(forge_config.key, journey)
    app = make_app(forge_config, state_store, workspace)
    assert snap_compare(app, terminal_size=SIZE, run_before=_settled)


def test_issues_screen(
    snap_compare: SnapCompare, forge_config: ForgeConfig, state_store: StateStore, workspace: Path
) -> None:
    _journey(forge_config, state_store, workspace)
    app = make_app(forge_config, state_store, workspace)
    assert snap_compare(app, terminal_size=SIZE, run_before=_settled)


def test_issue_screen(
    snap_compare: SnapCompare, forge_config: ForgeConfig, state_store: StateStore, workspace: Path
) -> None:
    _journey(forge_config, state_store, workspace, issue=1)
    app = make_app(forge_config, state_store, workspace)
    assert snap_compare(app, terminal_size=SIZE, run_before=_settled)


def test_guide_screen(
    snap_compare: SnapCompare, forge_config: ForgeConfig, state_store: StateStore, workspace: Path
) -> None:
    async def open_guides(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await pilot.press("f1")
        await settle(pilot)

    app = make_app(forge_config, state_store, workspace)
    assert snap_compare(app, terminal_size=SIZE, run_before=open_guides)


def test_offline_screen(
    snap_compare: SnapCompare, state_store: StateStore, workspace: Path, tmp_path: Path
) -> None:
    config = ForgeConfig(api_url="http://127.0.0.1:9")
    app = make_app(
        config,
        state_store,
        workspace,
        check_connection=True,
        practice=PracticeSession(tmp_path / "p"),
    )
    # The highlighted project's signals load on a timer behind the dialog: wait for them too.
    assert snap_compare(app, terminal_size=SIZE, run_before=_settled_with_readiness)


def test_repo_search_screen(
    snap_compare: SnapCompare, forge_config: ForgeConfig, state_store: StateStore, workspace: Path
) -> None:
    async def search(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await pilot.press("g", *"calculator", "enter")
        await settle(pilot)

    app = make_app(forge_config, state_store, workspace)
    assert snap_compare(app, terminal_size=SIZE, run_before=search)


def test_project_setup_screen(
    snap_compare: SnapCompare,
    forge_config: ForgeConfig,
    state_store: StateStore,
    workspace: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The plan names the Python that makes .venv: pretend this computer is a stock Debian 12,
    # so the SVG does not depend on the Pythons of the machine running the tests.
    debian = (Interpreter(("python3.11",), "3.11.2", "/usr/bin/python3.11"),)
    monkeypatch.setattr(tools, "python_interpreters", lambda: debian)
    journey = Journey()
    journey.choose("practice/tiny-calc")
    state_store.save_journey(forge_config.key, journey)

    async def open_steps(pilot: Pilot[None]) -> None:
        await confirm_fork(pilot)
        await pilot.press("p")
        await settle(pilot)

    app = make_app(forge_config, state_store, workspace)
    assert snap_compare(app, terminal_size=SIZE, run_before=open_steps)


def _guided_session() -> Session:
    return load_session(Path(__file__).parents[2] / "guides" / "sessions" / "workshop-example.toml")


def test_guided_mode_agenda(
    snap_compare: SnapCompare, forge_config: ForgeConfig, state_store: StateStore, workspace: Path
) -> None:
    """Guided mode on the issue list: agenda, clock, current checkpoint, the mentor's picks."""
    _journey(forge_config, state_store, workspace)
    app = make_app(forge_config, state_store, workspace, session=_guided_session())
    assert snap_compare(app, terminal_size=SIZE, run_before=_settled)


def test_guided_mode_im_stuck(
    snap_compare: SnapCompare, forge_config: ForgeConfig, state_store: StateStore, workspace: Path
) -> None:
    _journey(forge_config, state_store, workspace)
    app = make_app(forge_config, state_store, workspace, session=_guided_session())

    async def stuck(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await pilot.press("f4")
        await pilot.click("#barrier-previous-knowledge")
        await settle(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=stuck)


def test_mentor_dashboard(
    snap_compare: SnapCompare, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The mentor dashboard on four sample learners, two of them stuck, and one damaged file."""
    for learner in COHORT:
        write_report(learner, tmp_path / "reports")
    (tmp_path / "reports" / "half-written.json").write_text('{"format": "onboard-report/1", "le')
    dashboard = MentorDashboardScreen(
        [Path("reports")], poll_seconds=3_600, clock=lambda: minute(95)
    )
    app = MentorApp(dashboard)
    with monkeypatch.context() as patch:
        patch.chdir(tmp_path)  # a relative folder: the same path on every run
        patch.setenv("TZ", "UTC")  # the room's clock, shown on the board
        time.tzset()
        try:
            assert snap_compare(app, terminal_size=SIZE, run_before=_settled)
        finally:
            patch.undo()
            time.tzset()


#: The smallest terminal onboard is held to: the issue list and an issue must be usable there.
SMALL = (80, 24)


def test_issues_screen_80x24(
    snap_compare: SnapCompare, forge_config: ForgeConfig, state_store: StateStore, workspace: Path
) -> None:
    _journey(forge_config, state_store, workspace)
    app = make_app(forge_config, state_store, workspace)
    assert snap_compare(app, terminal_size=SMALL, run_before=_settled)


def test_issue_screen_80x24(
    snap_compare: SnapCompare, forge_config: ForgeConfig, state_store: StateStore, workspace: Path
) -> None:
    _journey(forge_config, state_store, workspace, issue=1)
    app = make_app(forge_config, state_store, workspace)
    assert snap_compare(app, terminal_size=SMALL, run_before=_settled)


def test_keys_help_80x24(
    snap_compare: SnapCompare, forge_config: ForgeConfig, state_store: StateStore, workspace: Path
) -> None:
    """``?`` on the issue list: the screen's keys, the list's, the app's, from the bindings."""
    _journey(forge_config, state_store, workspace)

    async def keys(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)

    app = make_app(forge_config, state_store, workspace)
    assert snap_compare(app, terminal_size=SMALL, run_before=keys)


def test_contributions_screen(
    snap_compare: SnapCompare,
    forge_config: ForgeConfig,
    state_store: StateStore,
    workspace: Path,
    tmp_path: Path,
) -> None:
    """My contributions: a quiet claim, and a pull request the practice maintainer reviewed."""
    from datetime import UTC, datetime, timedelta

    from onboard.core.contributions.record import ContributionKind, ContributionRecord
    from tests.practice.learner import open_learner_pull, replace_in

    client = GitHubForge(forge_config)
    fix = replace_in("docs/getting-started.md", "recieve", "receive")
    pull = open_learner_pull(client, tmp_path / "clones", fix)
    client.pull_facts(pull.repo, pull.number)  # the maintainer has answered: a stable picture
    now = datetime.now(UTC)
    for kind, number, title, days in (
        (ContributionKind.CLAIM, 2, "Translate the welcome page", 9),
        (ContributionKind.PULL, pull.number, "Fix a typo in the getting-started guide", 0),
    ):
        state_store.record_contribution(
            "practice",
            ContributionRecord(
                kind,
                "practice/hello-docs",
                number,
                f"http://practice.invalid/practice/hello-docs/{number}",
                title,
                now - timedelta(days=days),
                issue=1 if kind is ContributionKind.PULL else None,
            ),
        )

    async def open_it(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await pilot.press("f5")
        await settle(pilot)

    app = make_app(forge_config, state_store, workspace)
    assert snap_compare(app, terminal_size=SIZE, run_before=open_it)


def test_change_screen(
    snap_compare: SnapCompare,
    forge_config: ForgeConfig,
    state_store: StateStore,
    workspace: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Make the change: the file tree, a file open in the editor, the checklist."""
    from tests.ui.test_make_the_change import settle as settle_with_tree

    monkeypatch.setenv("VISUAL", "true")  # an editor on every machine: "Open in my editor" shows

    _journey(forge_config, state_store, workspace, issue=1)
    app = make_app(forge_config, state_store, workspace)

    async def open_change(pilot: Pilot[None]) -> None:
        await settle(pilot)
        pilot.app.open_issue(1)  # type: ignore[attr-defined]
        await settle(pilot)
        await pilot.press("m")
        await settle_with_tree(pilot)
        clone = workspace / "practice" / "hello-docs"
        pilot.app.screen.query_one("#editor").open(clone / "README.md")  # type: ignore[attr-defined]
        await settle_with_tree(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=open_change)
