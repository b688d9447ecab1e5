"""Ids of options, rows and widgets that stand for data are unique and valid by construction
(issue #17): Textual ends the app on a duplicate option id, a duplicate row key or an id that is
not an identifier, and names from packs, forges and report files do repeat."""

from __future__ import annotations

import ast
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from textual.dom import check_identifiers
from textual.widgets import DataTable

from onboard.core.models import RepoRef
from onboard.core.storage.state import StateStore
from onboard.forge.base import ForgeConfig, RepoSearchHit
from onboard.ui.keys import Keys
from onboard.ui.mentor_app import MentorApp
from onboard.ui.screens.issue import IssueScreen
from onboard.ui.screens.issues import IssuesScreen
from onboard.ui.screens.mentor_dashboard import MentorDashboardScreen
from onboard.ui.screens.repo_search import RepoSearchScreen
from tests.cohort_reports import ADA, BO, write_report
from tests.cohort_reports import minute as at_minute
from tests.ui.test_contribute import set_up

from .helpers import SIZE, make_app, settle

UI = Path(__file__).resolve().parents[2] / "onboard" / "ui"


def test_keys_hand_out_a_fresh_id_for_a_repeated_name() -> None:
    keys: Keys[int] = Keys()
    first, second, third = keys.add("psf/black", 1), keys.add("psf/black", 2), keys.add("x", 3)
    assert first == "psf/black" and third == "x"
    assert len({first, second, third}) == 3
    assert [keys.get(k) for k in (first, second, third)] == [1, 2, 3]
    assert keys.first_id("psf/black") == first
    assert keys.get("never handed out") is None and keys.get(None) is None
    keys.add(second, 4)  # a name that looks like a handed-out id is still given its own
    assert len(keys) == 4
    keys.clear()
    assert keys.get(first) is None and len(keys) == 0


@pytest.mark.parametrize("name", ["psf/black", "[/]", "1 starts with a digit", "", "é\x1b"])
def test_keys_with_a_prefix_are_valid_widget_ids(name: str) -> None:
    keys: Keys[str] = Keys(prefix="project")
    ids = [keys.add(name, name), keys.add(name, name)]
    check_identifiers("id", *ids)  # raises BadIdentifier otherwise
    assert len(set(ids)) == 2


def test_a_prefix_must_itself_be_an_identifier() -> None:
    with pytest.raises(ValueError):
        Keys(prefix="1-bad")
    with pytest.raises(ValueError):
        Keys(prefix="has space")


# Ids built in onboard/ui from something other than a literal, a Keys id, or these constants and
# indices (reviewed: each comes from onboard's own tables, never from a file or a forge).
REVIEWED = {
    ("screens/project_setup.py", 'f"step-{index}"'),
    ("screens/setup.py", 'f"step-{step.value}"'),
    ("screens/doctor.py", 'f"check-{index}"'),
    ("screens/doctor.py", "id"),
    ("screens/stuck.py", 'f"barrier-{key}"'),
    ("screens/dependencies.py", "str(index)"),
    ("screens/mentor_dashboard.py", "key"),  # add_column(heading, key=key): LEARNER_COLUMNS
    ("widgets/readiness.py", "id"),
    # FittedTable: column keys from each screen's ColumnSpec constants; row keys are the ones a
    # screen gave in FittedRow(key=...), which this test checks where the screen builds them.
    ("widgets/fitted_table.py", "spec.key"),
    ("widgets/fitted_table.py", "row.key"),
}


def test_every_id_from_data_in_the_ui_comes_from_keys() -> None:
    """A new ``Option(..., id=project.repo.full_name)`` fails here until it goes through Keys."""
    unreviewed = []
    for file in sorted(UI.rglob("*.py")):
        source = file.read_text(encoding="utf-8")
        for node in ast.walk(ast.parse(source)):
            if not isinstance(node, ast.Call):
                continue
            for keyword in node.keywords:
                if keyword.arg not in ("id", "key"):
                    continue
                value = keyword.value
                if isinstance(value, ast.Constant):
                    continue
                if (
                    isinstance(value, ast.Call)
                    and isinstance(value.func, ast.Attribute)
                    and value.func.attr == "add"
                ):
                    continue  # a Keys id
                segment = ast.get_source_segment(source, value) or ""
                if (str(file.relative_to(UI)), segment) not in REVIEWED:
                    unreviewed.append(f"{file.relative_to(UI)}:{node.lineno}: {segment}")
    assert not unreviewed, "ids from data must come from onboard.ui.keys.Keys:\n" + "\n".join(
        unreviewed
    )


def hit(name: str) -> RepoSearchHit:
    return RepoSearchHit(
        repo=RepoRef.parse(name),
        description="A project",
        language="Python",
        topics=(),
        stars=10,
        pushed_at=datetime(2025, 1, 1, tzinfo=UTC),
        open_issues=3,
        html_url=f"https://github.com/{name}",
        good_first_issues=2,
    )


async def test_a_search_that_repeats_a_repository_does_not_crash(
    forge_config: ForgeConfig, state_store: StateStore, tmp_path: Path
) -> None:
    """GitHub's search pages shift while they are read: a repository can come twice."""
    app = make_app(forge_config, state_store, tmp_path / "ws")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = RepoSearchScreen()
        await app.push_screen(screen)
        await settle(pilot)
        screen.post_message(
            RepoSearchScreen.Found([hit("psf/black"), hit("psf/black"), hit("a/b")], None)
        )
        await settle(pilot)
        table = screen.query_one("#hits", DataTable)
        assert table.row_count == 3
        table.focus()
        await pilot.press("down", "enter")  # the repeated row still chooses its repository
        await settle(pilot)
        assert app.journey.project == "psf/black"


async def test_report_files_whose_names_read_alike_once_cleaned_do_not_crash(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "reports"
    write_report(ADA, folder)
    write_report(replace(BO, file="ada\x01.json"), folder)  # shown as ada.json too
    app = MentorApp(
        MentorDashboardScreen([folder], poll_seconds=3_600.0, clock=lambda: at_minute(95))
    )
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#mentor-learners", DataTable)
        assert table.row_count == 2
        await pilot.press("s")  # sorting redraws the rows with the cursor kept
        await settle(pilot)
        assert table.row_count == 2


async def test_a_forge_page_that_repeats_an_issue_does_not_crash_the_issue_list(
    forge_config: ForgeConfig, state_store: StateStore, tmp_path: Path
) -> None:
    """Issues are read page by page while they change: the same issue can come twice."""
    set_up(forge_config, state_store, tmp_path / "ws", "practice/kind-words")
    app = make_app(forge_config, state_store, tmp_path / "ws")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, IssuesScreen)
        table = screen.query_one("#issues", DataTable)
        before = table.row_count
        issues = len(screen.contributions)
        assert issues >= 1
        screen.contributions = [*screen.contributions, *screen.contributions]
        screen._fill_table()
        await settle(pilot)
        assert table.row_count == before + issues
        table.focus()
        table.move_cursor(row=issues)  # the repeat of the first issue
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, IssueScreen)
        assert app.screen.number == screen.contributions[0].issue.number
