"""The whole newcomer journey in practice mode, driven through the real UI (Pilot).

Choose a project → fork + clone + upstream + branch → good first issues → read one → choose it,
then quit and start again to check that onboard resumes where the learner left off.
"""

from __future__ import annotations

from pathlib import Path

import requests
from textual.widgets import Button, DataTable, Markdown, OptionList, Static

from onboard.core.storage.state import StateStore
from onboard.forge.base import ForgeConfig
from onboard.practice import PracticeForge
from onboard.ui.screens.issue import IssueScreen
from onboard.ui.screens.issues import IssuesScreen
from onboard.ui.screens.projects import ProjectsScreen
from onboard.ui.screens.setup import SetupScreen
from onboard.workspace.setup import inspect
from tests.ui.helpers import SIZE, confirm_fork, make_app, settle


def _static_text(widget: Static) -> str:
    return str(widget.render())


def _beginner_titles(forge: PracticeForge, repo: str) -> set[str]:
    """What the list should show, worked out from the raw REST answer, independently of onboard."""
    response = requests.get(
        f"{forge.api_url}/repos/{repo}/issues",
        params={"state": "open", "per_page": 100},
        headers={"Authorization": f"token {forge.token}"},
        timeout=10,
    )
    response.raise_for_status()
    return {
        item["title"]
        for item in response.json()
        if "pull_request" not in item
        and not item["assignees"]
        and any(
            "good first issue" in label["name"].lower().replace("-", " ")
            for label in item["labels"]
        )
    }


def _shown_title(cell: str, titles: set[str]) -> str:
    """The title a cell stands for: itself, or the one it begins when shortened with "…"."""
    if cell in titles or not cell.endswith("…"):
        return cell
    begun = [title for title in titles if title.startswith(cell.removesuffix("…"))]
    assert len(begun) == 1, cell
    return begun[0]


async def test_whole_journey_in_practice_mode_and_resume(
    practice_forge: PracticeForge,
    forge_config: ForgeConfig,
    state_store: StateStore,
    tmp_path: Path,
) -> None:
    workspace = tmp_path / "workspace"
    app = make_app(forge_config, state_store, workspace)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)  # guide packs are read in a worker
        assert isinstance(app.screen, ProjectsScreen)
        projects = app.screen.query_one("#projects", OptionList)
        highlighted = projects.get_option_at_index(projects.highlighted or 0)
        assert highlighted.id == "practice/hello-docs"
        await pilot.press("enter")
        await confirm_fork(pilot)

        # Set-up: every step ticked, the continue button enabled, and the disk agrees.
        assert isinstance(app.screen, SetupScreen)
        assert not app.screen.query_one("#continue", Button).disabled
        for step in ("fork", "clone", "upstream", "branch"):
            assert _static_text(app.screen.query_one(f"#step-{step}", Static)).startswith("✓")
        clone = workspace / "practice" / "hello-docs"
        status = inspect(clone)
        assert status.exists
        assert status.remotes["origin"].endswith("/learner/hello-docs.git")
        assert status.remotes["upstream"].endswith("/practice/hello-docs.git")
        assert status.branch == "first-contribution"
        assert (clone / "README.md").is_file()

        await pilot.click("#continue")
        await settle(pilot)

        # Issues: fetched live from the forge, only open unassigned beginner issues.
        assert isinstance(app.screen, IssuesScreen)
        table = app.screen.query_one("#issues", DataTable)
        rows = [[str(cell) for cell in table.get_row_at(row)] for row in range(table.row_count)]
        expected = _beginner_titles(practice_forge, "practice/hello-docs")
        issue_titles = {_shown_title(row[2], expected) for row in rows if row[0] != "task"}
        assert issue_titles == expected
        assert len(issue_titles) == 3
        assert all(row[0] == "● free" for row in rows if row[0] != "task")
        # The pack's non-code tasks sit beside the live issues, in their lane.
        tasks = [(row[2], row[3]) for row in rows if row[0] == "task"]
        assert tasks == [("Write down what you learned", "Writing")]
        kinds = {_shown_title(row[2], expected): row[3] for row in rows}
        assert kinds["Translate the getting-started page into Spanish"] == "Translation"
        first_number = int(rows[0][1])

        await pilot.press("enter")
        await settle(pilot)

        # Issue detail: Markdown body rendered, and the next step explained.
        assert isinstance(app.screen, IssueScreen)
        assert app.screen.number == first_number
        body = app.screen.query_one("#issue-text", Markdown)
        assert body.source.strip()
        assert "Work on this one" in _static_text(app.screen.query_one("#next-hint", Static))

        await pilot.press("w")
        await settle(pilot)
        hint = _static_text(app.screen.query_one("#next-hint", Static))
        assert "You are working on this issue" in hint
        assert f"issue-{first_number}-" in hint

    assert practice_forge.token not in state_store.path.read_text()
    saved = state_store.journey("practice")
    assert saved.project == "practice/hello-docs"
    assert saved.fork == "learner/hello-docs"
    assert saved.issue == first_number

    # Quit and start again: onboard resumes on the chosen issue, with the list beneath it.
    again = make_app(forge_config, state_store, workspace)
    async with again.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(again.screen, IssueScreen)
        assert again.screen.number == first_number
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(again.screen, IssuesScreen)
