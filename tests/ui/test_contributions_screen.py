"""*My contributions* with the keyboard, against the practice forge over real HTTP: F5 from
anywhere lists every claim and pull request; opening a row shows its review comments by file
and line and marks it seen; a quiet claim offers the guide and a ping that is previewed,
refused unedited, and posted only once confirmed; a merge is celebrated and recorded."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from textual.widgets import Static, TextArea

from onboard.core.contributions.live import ReviewDecision
from onboard.core.contributions.record import ContributionKind, ContributionRecord
from onboard.core.sessions.checkpoint_kind import CheckpointKind
from onboard.core.sessions.checkpoints import evaluate
from onboard.core.sessions.session import self_guided_session
from onboard.core.storage.state import StateStore
from onboard.flows.session_facts import gather_facts
from onboard.forge.base import ForgeConfig
from onboard.forge.github import GitHubForge
from onboard.practice import PracticeForge
from onboard.ui.screens.confirm import PublicActionDialog
from onboard.ui.screens.contributions import ContributionsScreen
from onboard.ui.screens.issue import IssueScreen
from onboard.ui.screens.keys_help import KeysScreen
from tests.practice.learner import open_learner_pull, replace_in

from .helpers import SIZE, click_again, make_app, settle, until

PROJECT = "practice/hello-docs"
FIX = replace_in("docs/getting-started.md", "recieve", "receive")


def claim(forge: PracticeForge, store: StateStore, *, days: float) -> int:
    """An issue the learner claimed ``days`` ago, recorded as the app records it."""
    issue = forge.store.add_issue(PROJECT, "Fix [b]the[/b] typo", "teh", created_days_ago=days + 1)
    number = issue["number"]
    forge.store.add_comment(PROJECT, number, "I'd like to work on this!", "learner")
    when = datetime.now(UTC) - timedelta(days=days)
    store.record_contribution(
        "practice",
        ContributionRecord(
            ContributionKind.CLAIM, PROJECT, number, f"http://x/{number}", "Fix the typo", when
        ),
    )
    return number


def detail(app: object) -> str:
    screen = app.screen  # type: ignore[attr-defined]
    return str(screen.query_one("#contributions-detail", Static).render())


async def test_f5_lists_a_claim_and_opening_it_marks_the_reply_seen(
    practice_forge: PracticeForge,
    forge_config: ForgeConfig,
    state_store: StateStore,
    tmp_path: Path,
) -> None:
    number = claim(practice_forge, state_store, days=2)
    practice_forge.store.add_comment(PROJECT, number, "Go ahead! [red]x[/red]", "maintainer-mia")
    app = make_app(forge_config, state_store, tmp_path / "ws")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f5")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ContributionsScreen)
        assert [row.where for row in screen.rows] == [f"{PROJECT}#{number}"]
        row = screen.rows[0]
        assert row.state == "open" and row.replies_since == 1
        assert "1 new since you last looked" in detail(app)
        assert "Claimed: start the work" in detail(app)
        await pilot.press("enter")  # open the row: seen
        await settle(pilot)
        await until(pilot, lambda: screen.rows[0].replies_since == 0, what="the row marked seen")
        [(_, record)] = state_store.contributions()
        assert record.last_seen_at is not None
        await pilot.press("question_mark")  # the keys list: this screen's, and F5 everywhere
        await settle(pilot)
        keys = app.screen
        assert isinstance(keys, KeysScreen)
        by_title = {s.title: {row.keys: row.description for row in s.rows} for s in keys.sections}
        assert by_title["Everywhere"]["f5"] == "My contributions"
        assert by_title["On this screen"]["r"] == "Refresh"
        await pilot.press("escape")
        await pilot.press("escape")
        assert not isinstance(app.screen, ContributionsScreen)


async def test_a_quiet_claim_offers_the_guide_and_a_ping_posted_only_when_confirmed(
    practice_forge: PracticeForge,
    forge_config: ForgeConfig,
    state_store: StateStore,
    tmp_path: Path,
) -> None:
    number = claim(practice_forge, state_store, days=9)
    before = len(practice_forge.store.comments(PROJECT, number))
    app = make_app(forge_config, state_store, tmp_path / "ws")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.action_contributions()
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ContributionsScreen)
        assert screen.rows[0].quiet_days == 9
        assert "Quiet for 9 days" in detail(app)
        await pilot.press("g")
        assert "When nobody answers" in detail(app)
        await pilot.press("p")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, PublicActionDialog)
        assert "quiet for 9 days" in dialog.query_one("#dialog-text", TextArea).text
        await pilot.click("#confirm")  # the template's placeholder is refused, nothing sent
        await pilot.pause()
        assert app.screen is dialog
        assert len(practice_forge.store.comments(PROJECT, number)) == before
        dialog.query_one("#dialog-text", TextArea).text = "Hi! Any news on this? Thanks!"
        await click_again(pilot, "#confirm")
        await until(pilot, lambda: isinstance(app.screen, ContributionsScreen), what="the dialog")
        await until(  # posted from a worker the dialog's answer starts: wait for the forge
            pilot,
            lambda: len(practice_forge.store.comments(PROJECT, number)) > before,
            what="the ping posted",
        )
        await settle(pilot)
        comments = practice_forge.store.comments(PROJECT, number)
        assert len(comments) == before + 1
        assert comments[-1]["body"] == "Hi! Any news on this? Thanks!"
        assert comments[-1]["user"] == "learner"


def record_pull(store: StateStore, number: int, url: str = "") -> None:
    store.record_contribution(
        "practice",
        ContributionRecord(
            ContributionKind.PULL,
            PROJECT,
            number,
            url or f"http://x/pull/{number}",
            "Fix a typo in the getting-started guide",
            datetime.now(UTC),
            issue=1,
        ),
    )


async def test_a_review_comment_by_file_and_line_then_the_fix_merged_and_celebrated(
    practice_forge: PracticeForge,
    forge_config: ForgeConfig,
    state_store: StateStore,
    tmp_path: Path,
) -> None:
    # The simulated maintainer answers at once: CI, a welcome, changes requested on one line.
    client = GitHubForge(forge_config)
    pull = open_learner_pull(client, tmp_path / "clones", FIX)
    record_pull(state_store, pull.number)
    app = make_app(forge_config, state_store, tmp_path / "ws")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f5")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ContributionsScreen)
        row = screen.rows[0]
        assert row.review is ReviewDecision.CHANGES_REQUESTED, row
        assert len(row.review_comments) == 1
        comment = row.review_comments[0]
        await pilot.press("enter")
        await settle(pilot)
        shown = detail(app)
        assert f"{comment.path}:{comment.line}" in shown
        assert "maintainer-mia: " in shown and "c: back to the change" in shown
        assert not screen.check_action("next_issue", ())  # not merged yet
        app.journey.project = PROJECT  # "changes requested": back to the issue it fixes
        await pilot.press("c")
        await settle(pilot)
        assert isinstance(app.screen, IssueScreen) and app.screen.number == 1
        # The fix, pushed meanwhile; coming back asks the forge again (no r needed).
        pull.push(replace_in("docs/getting-started.md", "\n", "\n\n"), "Answer the review")
        screen.RESUME_REFRESH_SECONDS = 0
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen
        await until(pilot, lambda: screen.rows[0].merged, what="the merge", timeout=15)
        await settle(pilot)
        banner = screen.query_one("#contributions-celebration", Static)
        assert banner.display and "Merged!" in str(banner.render())
        assert any("Congratulations" in n.message for n in app._notifications)
        [(_, record)] = state_store.contributions()
        assert record.observed_state == "merged" and record.merged_at is not None
        session = self_guided_session()  # the mentor session's checkpoint, from that record
        statuses = evaluate(session, gather_facts(state_store, session.id, check_remote=False))
        merged = next(s for s in statuses if s.kind is CheckpointKind.FIRST_PR_MERGED)
        assert merged.done and f"#{pull.number} was merged" in merged.evidence
        await pilot.press("n")  # a next issue of the same project: not set up here, so set-up
        await settle(pilot)
        assert app.journey.project == PROJECT
        assert not isinstance(app.screen, ContributionsScreen)


async def test_ready_for_review_asks_first_then_marks_the_draft_ready(
    practice_forge: PracticeForge,
    forge_config: ForgeConfig,
    state_store: StateStore,
    tmp_path: Path,
) -> None:
    practice_forge.maintainer_delay = None  # nobody answers: only the learner acts
    pull = open_learner_pull(GitHubForge(forge_config), tmp_path / "clones", FIX, draft=True)
    record_pull(state_store, pull.number)
    app = make_app(forge_config, state_store, tmp_path / "ws")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f5")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ContributionsScreen) and screen.rows[0].draft
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, PublicActionDialog)
        await pilot.press("escape")  # cancelled: still a draft
        await settle(pilot)
        assert practice_forge.store.get_issue(PROJECT, pull.number)["pull"]["draft"] is True
        await pilot.press("y")
        await settle(pilot)
        await pilot.click("#confirm")
        await until(pilot, lambda: isinstance(app.screen, ContributionsScreen), what="dialog")
        await settle(pilot)
        await until(pilot, lambda: not screen.rows[0].draft, what="the refresh after ready")
        assert practice_forge.store.get_issue(PROJECT, pull.number)["pull"]["draft"] is False


async def test_offline_each_row_shows_its_last_answer_and_its_age(
    practice_forge: PracticeForge,
    forge_config: ForgeConfig,
    state_store: StateStore,
    tmp_path: Path,
) -> None:
    claim(practice_forge, state_store, days=2)
    app = make_app(forge_config, state_store, tmp_path / "ws")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f5")
        await settle(pilot)
        assert app.screen.rows[0].error is None  # type: ignore[attr-defined]
        await pilot.press("escape")
        practice_forge.stop()
        await pilot.press("f5")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ContributionsScreen)
        [row] = screen.rows
        assert row.state == "open" and row.error  # the last answer, and why it is not fresh
        assert "Not refreshed (showing the answer from" in detail(app)
        status = str(screen.query_one("#contributions-status", Static).render())
        assert "shown from the last answer" in status
