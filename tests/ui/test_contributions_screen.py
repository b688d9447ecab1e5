"""*My contributions* with the keyboard, against the practice forge over real HTTP: F5 from
anywhere lists every claim and pull request; opening a row shows its review comments by file
and line and marks it seen; a quiet claim offers the guide and a ping that is previewed,
refused unedited, and posted only once confirmed; a merge is celebrated and recorded."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from textual.widgets import Static, TextArea

from onboard.core.contributions.record import ContributionKind, ContributionRecord
from onboard.core.storage.state import StateStore
from onboard.forge.base import ForgeConfig
from onboard.practice import PracticeForge
from onboard.ui.screens.confirm import PublicActionDialog
from onboard.ui.screens.contributions import ContributionsScreen

from .helpers import SIZE, make_app, settle, until

PROJECT = "practice/hello-docs"


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
        await pilot.click("#confirm")
        await until(pilot, lambda: isinstance(app.screen, ContributionsScreen), what="the dialog")
        await settle(pilot)
        comments = practice_forge.store.comments(PROJECT, number)
        assert len(comments) == before + 1
        assert comments[-1]["body"] == "Hi! Any news on this? Thanks!"
        assert comments[-1]["user"] == "learner"
