"""Acting on an issue through the UI: ranked list with claim status, filters, then claim →
branch → draft pull request, checked on the forge and on disk."""

from __future__ import annotations

import subprocess
from pathlib import Path

from textual.widgets import DataTable, Input, Markdown, Static, TextArea

from onboard.core.journey import Journey
from onboard.core.storage.state import StateStore
from onboard.flows.setup import SetupFlow
from onboard.forge.base import ForgeConfig
from onboard.forge.github import GitHubForge
from onboard.practice import PracticeForge
from onboard.ui.screens.confirm import PublicActionDialog
from onboard.ui.screens.issue import IssueScreen
from onboard.ui.screens.issues import IssuesScreen
from onboard.ui.screens.task import TaskScreen
from tests.ui.helpers import SIZE, make_app, settle


def set_up(config: ForgeConfig, store: StateStore, workspace: Path, project: str) -> Journey:
    journey = Journey()
    journey.choose(project)
    return SetupFlow(GitHubForge(config), store, workspace).run(journey, lambda _event: None)


def rows(table: DataTable) -> dict[str, list[str]]:
    return {
        str(key.value): [str(cell) for cell in table.get_row(key)]
        for key in (table.coordinate_to_cell_key((i, 0)).row_key for i in range(table.row_count))
    }


def git(clone: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(clone), *args], check=True, capture_output=True, text=True
    ).stdout.strip()


async def test_claim_status_and_filters_in_the_list(
    practice_forge: PracticeForge,
    forge_config: ForgeConfig,
    state_store: StateStore,
    tmp_path: Path,
) -> None:
    set_up(forge_config, state_store, tmp_path / "ws", "practice/kind-words")
    app = make_app(forge_config, state_store, tmp_path / "ws")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, IssuesScreen)
        table = app.screen.query_one("#issues", DataTable)
        listed = rows(table)
        # kind-words #1 has a fresh "Can I work on this?" from river-new with no reply.
        status, _number, _title, lane, why, _updated = listed["issue-1"]
        assert status == "✕ taken"
        assert lane == "Writing"
        assert "river-new" in why

        await pilot.press("f")  # free only: the claimed issue disappears
        assert "issue-1" not in rows(table)
        await pilot.press("f", "c")  # code only: kind-words has no code issue
        assert not [key for key in rows(table) if key.startswith("issue-")]
        await pilot.press("a", "slash")
        assert isinstance(app.focused, Input)
        await pilot.press(*"encouraging")
        assert list(rows(table)) == ["issue-1"]


async def test_claim_then_branch_then_draft_pull_request(
    practice_forge: PracticeForge,
    forge_config: ForgeConfig,
    state_store: StateStore,
    tmp_path: Path,
) -> None:
    journey = set_up(forge_config, state_store, tmp_path / "ws", "practice/hello-docs")
    clone = Path(journey.clone_path or "")
    app = make_app(forge_config, state_store, tmp_path / "ws")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#issues", DataTable)
        assert rows(table)["issue-1"][0] == "● free"
        table.move_cursor(row=table.get_row_index("issue-1"))
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, IssueScreen)
        assert "Status: free" in str(app.screen.query_one("#claim-status", Static).render())

        # Claim: the comment is shown, editable, and only posted on confirmation.
        await pilot.press("c")
        assert isinstance(app.screen, PublicActionDialog)
        # The template's placeholder is refused with the reason; nothing is posted.
        await pilot.click("#confirm")
        await settle(pilot)
        assert isinstance(app.screen, PublicActionDialog)
        assert "Replace the placeholder" in str(app.screen.query_one("#dialog-problem").render())
        assert len(practice_forge.store.comments("practice/hello-docs", 1)) == 1
        # It says where and as whom.
        summary = str(app.screen.query_one("#dialog-summary").render())
        assert "practice/hello-docs#1" in summary and "as learner" in summary
        app.screen.query_one(TextArea).text = "Hi! I'd like to work on this. Plan: fix the typo."
        await pilot.press("escape")  # cancelled: nothing is posted
        await settle(pilot)
        assert len(practice_forge.store.comments("practice/hello-docs", 1)) == 1
        await pilot.press("c")
        app.screen.query_one(TextArea).text = "Hi! I'd like to work on this. Plan: fix the typo."
        await pilot.click("#confirm")
        await settle(pilot)
        bodies = [c["body"] for c in practice_forge.store.comments("practice/hello-docs", 1)]
        assert bodies[-1] == "Hi! I'd like to work on this. Plan: fix the typo."
        assert app.journey.claim_url
        # The status panel reads the issue again: the claim just posted is the learner's own.
        status = str(app.screen.query_one("#claim-status", Static).render())
        assert "Status: yours" in status and "you asked to work on it" in status

        # Work on it: a branch from the freshly fetched upstream default branch.
        await pilot.press("w")
        await settle(pilot)
        branch = app.journey.work_branch
        assert branch and branch.startswith("issue-1-fix-a-typo")
        assert git(clone, "branch", "--show-current") == branch
        assert git(clone, "rev-parse", "HEAD") == git(clone, "rev-parse", "upstream/main")

        # A draft PR needs a commit first; the message says so.
        await pilot.press("p")
        assert isinstance(app.screen, PublicActionDialog)
        app.screen.query_one("#dialog-text", TextArea).text = "Fixes #1\n\nThe typo is fixed."
        await pilot.click("#confirm")
        await settle(pilot)
        assert app.journey.pull_request is None
        assert any("no commits yet" in n.message for n in app._notifications)

        page = clone / "docs" / "getting-started.md"
        page.write_text(page.read_text().replace("recieve", "receive"))
        git(clone, "commit", "-qam", "Fix the typo in the getting-started guide")
        await pilot.press("p")  # the text written before the failure is kept
        assert app.screen.query_one("#dialog-text", TextArea).text.endswith("typo is fixed.")
        await pilot.click("#confirm")
        await settle(pilot)
        assert app.journey.pull_request is not None
        pull = practice_forge.store.get_issue("practice/hello-docs", app.journey.pull_request)
        assert pull is not None and pull["pull"]["draft"] is True
        assert pull["body"].startswith("Fixes #1")
        assert "Your draft pull request is open" in str(
            app.screen.query_one("#next-hint", Static).render()
        )


async def test_open_pull_requests_without_review_are_offered_as_review_tasks(
    practice_forge: PracticeForge,
    forge_config: ForgeConfig,
    state_store: StateStore,
    tmp_path: Path,
) -> None:
    set_up(forge_config, state_store, tmp_path / "ws", "practice/tiny-calc")
    app = make_app(forge_config, state_store, tmp_path / "ws")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#issues", DataTable)
        reviews = sorted(row[2] for row in rows(table).values() if row[3] == "Review")
        assert [title.split(":")[0] for title in reviews] == [
            "Review #5",
            "Review #7",
            "Review the open pull request",  # the pack's own task sits beside the live ones
        ]
        sources = {
            row[2].split(":")[0]: row[4] for row in rows(table).values() if row[3] == "Review"
        }
        assert sources["Review #5"] == "a live pull request"  # not a pack task
        assert sources["Review the open pull request"] == "from the guide pack"
        await pilot.press("n")  # reviewing is non-code work
        assert len([row for row in rows(table).values() if row[3] == "Review"]) == 3

        key = next(k for k, row in rows(table).items() if row[2].startswith("Review #7"))
        table.move_cursor(row=table.get_row_index(key))
        await pilot.press("enter")
        assert isinstance(app.screen, TaskScreen)
        text = app.screen.query_one("#task-text", Markdown).source
        assert "has no review yet" in text
        await pilot.press("escape")
        assert isinstance(app.screen, IssuesScreen)


async def test_interests_rerank_the_list_and_are_remembered(
    practice_forge: PracticeForge,
    forge_config: ForgeConfig,
    state_store: StateStore,
    tmp_path: Path,
) -> None:
    from textual.widgets import SelectionList

    from onboard.core.models import Lane
    from onboard.ui.screens.interests import InterestsDialog

    set_up(forge_config, state_store, tmp_path / "ws", "practice/hello-docs")
    app = make_app(forge_config, state_store, tmp_path / "ws")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#issues", DataTable)
        assert next(iter(rows(table))) != "issue-2"
        await pilot.press("i")
        assert isinstance(app.screen, InterestsDialog)
        app.screen.query_one(SelectionList).select(Lane.TRANSLATION.value)
        app.screen.query_one("#languages", Input).value = "Markdown, Spanish"
        await pilot.click("#save")
        await settle(pilot)
        first_key, first = next(iter(rows(table).items()))
        assert first_key == "issue-2"  # "Translate the getting-started page into Spanish"
        assert first[1] == "2"
        # Why, in full under the list for the highlighted (first) row.
        assert "translation" in str(app.screen.query_one("#issues-why", Static).render()).lower()
    assert state_store.preferences().lanes == (Lane.TRANSLATION,)
    assert state_store.preferences().languages == ("Markdown", "Spanish")


async def test_your_claim_is_yours_after_a_restart(
    practice_forge: PracticeForge,
    forge_config: ForgeConfig,
    state_store: StateStore,
    tmp_path: Path,
) -> None:
    """Found by a tester: after a restart their own claim made the issue "likely taken"."""
    set_up(forge_config, state_store, tmp_path / "ws", "practice/hello-docs")
    practice_forge.store.add_comment(
        "practice/hello-docs", 1, "I'd like to work on this, please.", user="learner"
    )
    practice_forge.store.add_comment(
        "practice/hello-docs", 2, "I'd like to work on this, please.", user="kim"
    )
    app = make_app(forge_config, state_store, tmp_path / "ws")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#issues", DataTable)
        assert rows(table)["issue-1"][0] == "★ yours"
        assert rows(table)["issue-2"][0] == "✕ taken"
