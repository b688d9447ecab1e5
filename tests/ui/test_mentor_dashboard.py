"""The mentor dashboard (``onboard session dashboard``), driven with Pilot over real report files.

Reports are written by the real report code into a folder, as learners would drop them into a
shared one; the board must show who is stuck first, pick up new reports (``r`` and on its own),
list damaged files without failing, and show hostile text exactly as typed.
"""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.widgets import DataTable, Static

from onboard.ui.mentor_app import MentorApp
from onboard.ui.screens.mentor_dashboard import MentorDashboardScreen
from tests.cohort_reports import ADA, BO, CHEN, COHORT, DEE, SampleLearner, Stuck, write_report
from tests.cohort_reports import minute as at_minute
from tests.ui.helpers import SIZE, settle, until

NOW = at_minute(95)
NEVER = 3_600.0  # seconds: tests that press r must not race the board's own polling


def app_for(paths: list[Path], *, poll_seconds: float = NEVER) -> MentorApp:
    return MentorApp(MentorDashboardScreen(paths, poll_seconds=poll_seconds, clock=lambda: NOW))


def dashboard(app: MentorApp) -> MentorDashboardScreen:
    assert isinstance(app.screen, MentorDashboardScreen)
    return app.screen


def learners(app: MentorApp) -> list[str]:
    table = app.screen.query_one("#mentor-learners", DataTable)
    return [_plain(table.get_row_at(index)[0]) for index in range(table.row_count)]


def _entries(app: MentorApp, selector: str, mark: str) -> list[str]:
    """The entries of a list drawn as one text, each starting with ``mark``."""
    text = _plain(app.screen.query_one(selector, Static).content)
    return [mark + entry for entry in text.split(mark)[1:]]


def stuck_lines(app: MentorApp) -> list[str]:
    return [entry.rstrip("\n") for entry in _entries(app, "#mentor-stuck-list", "⚠ ")]


def problems(app: MentorApp) -> list[str]:
    return [entry.rstrip("\n") for entry in _entries(app, "#mentor-problem-list", "✗ ")]


def _plain(value: object) -> str:
    assert isinstance(value, Text), f"untrusted text must be a Text, got {type(value)}"
    return value.plain


def cohort(folder: Path, learners: tuple[SampleLearner, ...] = COHORT) -> Path:
    for learner in learners:
        write_report(learner, folder)
    return folder


async def test_a_folder_of_reports_shows_who_is_stuck_first(tmp_path: Path) -> None:
    folder = cohort(tmp_path / "reports")
    app = app_for([folder])
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        lines = stuck_lines(app)
        assert len(lines) == 2
        assert lines[0].startswith("⚠ Bo · at setup · Technical hurdles · since ")
        assert "(50 min)" in lines[0]
        assert "pytest: command not found [red]?[/]" in lines[0]
        assert lines[1].startswith("⚠ Chen · at issue · Social interaction")
        assert learners(app) == ["Bo", "Chen", "anonymous", "Ada"]  # stuck, longest first
        status = _plain(app.screen.query_one("#mentor-status", Static).content)
        assert "Session practice-workshop-example · 4 learners · watching " in status
        assert "1 pull requests · 1 reviews · 1 non-code · 2 test runs · 4 stuck moments" in status
        checkpoints = app.screen.query_one("#mentor-checkpoints", DataTable)
        first = [_plain(cell) for cell in checkpoints.get_row_at(0)]
        assert first == ["You chose a project", "4 of 4", "8.5", "20"]
        assert problems(app) == []
        assert not app.screen.query_one("#mentor-problems").display


async def test_sorting_with_s_and_the_column_headings(tmp_path: Path) -> None:
    app = app_for([cohort(tmp_path / "reports")])
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#mentor-learners", DataTable)
        await pilot.press("s")
        assert learners(app) == ["anonymous", "Bo", "Chen", "Ada"]  # furthest behind first
        assert "sorted by progress" in str(table.border_title)
        await pilot.press("s")
        assert learners(app) == ["Ada", "anonymous", "Bo", "Chen"]
        await pilot.press("s")
        assert learners(app) == ["Bo", "Chen", "anonymous", "Ada"]
        await pilot.click("#mentor-learners", offset=(60, 1))  # the "Quiet for" heading
        await pilot.pause()
        assert learners(app) == ["anonymous", "Chen", "Bo", "Ada"]
        await pilot.click("#mentor-learners", offset=(60, 1))  # again: the other way round
        await pilot.pause()
        assert learners(app) == ["Ada", "Bo", "Chen", "anonymous"]
        assert "reversed" in str(table.border_title)


async def test_r_picks_up_a_newly_dropped_report(tmp_path: Path) -> None:
    folder = cohort(tmp_path / "reports", (ADA, BO))
    app = app_for([folder])
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert sorted(learners(app)) == ["Ada", "Bo"]
        write_report(CHEN, folder)
        await pilot.pause(0.2)
        assert sorted(learners(app)) == ["Ada", "Bo"]  # not polling here: waits for r
        await pilot.press("r")
        await settle(pilot)
        assert sorted(learners(app)) == ["Ada", "Bo", "Chen"]
        assert [line.split(" · ")[0] for line in stuck_lines(app)] == ["⚠ Bo", "⚠ Chen"]


async def test_a_watched_folder_is_read_again_only_when_a_file_changes(tmp_path: Path) -> None:
    folder = cohort(tmp_path / "reports", (ADA, BO))
    app = app_for([folder], poll_seconds=0.1)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: len(learners(app)) == 2)
        screen = dashboard(app)
        board = screen.board
        assert board is not None
        await until(pilot, lambda: screen.board is not board)  # polled again...
        assert screen.board is not None
        # ...but nothing changed, so no file was parsed again: the same reports are reused.
        assert [id(r) for r in screen.board.reports] == [id(r) for r in board.reports]

        write_report(DEE, folder)
        await until(pilot, lambda: len(learners(app)) == 3)  # no key pressed
        assert "anonymous" in learners(app)
        (folder / "bo.json").unlink()
        await until(pilot, lambda: len(learners(app)) == 2)
        assert stuck_lines(app) == []
        nobody = app.screen.query_one("#mentor-stuck-list", Static)
        assert _plain(nobody.content) == "Nobody is stuck right now."


async def test_a_damaged_file_is_listed_and_the_rest_shown(tmp_path: Path) -> None:
    folder = cohort(tmp_path / "reports", (ADA, BO))
    (folder / "cut.json").write_text((folder / "ada.json").read_text()[:100])
    (folder / "other.json").write_text('{"format": "something-else/3"}')
    missing = tmp_path / "not-there.json"
    app = app_for([folder, missing])
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert sorted(learners(app)) == ["Ada", "Bo"]
        listed = problems(app)
        assert len(listed) == 3
        assert any(
            line.endswith(
                "cut.json: not JSON; expected a report made with: onboard report --format json"
            )
            for line in listed
        )
        assert any("other.json: not an onboard report" in line for line in listed)
        assert any(f"{missing}: does not exist" in line for line in listed)
        panel = app.screen.query_one("#mentor-problems")
        assert panel.display and panel.border_title == "Files left out: 3"


async def test_no_report_at_all_says_how_learners_make_one(tmp_path: Path) -> None:
    folder = tmp_path / "drop-here"
    folder.mkdir()
    (folder / "broken.json").write_text("{")
    app = app_for([folder])
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        empty = app.screen.query_one("#mentor-empty", Static)
        assert empty.display
        text = _plain(empty.content)
        assert "No learner report to show yet." in text
        assert f"onboard report --format json --output {folder}/NAME.json" in text
        assert not app.screen.query_one("#mentor-learners").display
        assert len(problems(app)) == 1  # the broken file is still named
        write_report(ADA, folder)
        await pilot.press("r")
        await settle(pilot)
        assert not empty.display
        assert learners(app) == ["Ada"]


HOSTILE_NAME = "[bold red]Mallory[/] [@click=app.quit]x[/] [/"
HOSTILE_TEXT = (
    "[@click=app.quit]click me[/] \x1b]0;pwned\x07 [link=https://evil.example]y[/link] [/"
)


async def test_hostile_markup_in_a_report_stays_literal_and_does_nothing(tmp_path: Path) -> None:
    folder = cohort(tmp_path / "reports", (ADA,))
    hostile = SampleLearner(
        "mallory.json",
        HOSTILE_NAME,
        {"chosen": 3},
        [Stuck(10, "documentation", HOSTILE_TEXT, step="[b]step[/b]")],
    )
    write_report(hostile, folder)
    app = app_for([folder])
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert learners(app)[0] == HOSTILE_NAME
        (line,) = stuck_lines(app)
        assert line.startswith(f"⚠ {HOSTILE_NAME} · at [b]step[/b] · Documentation · since ")
        assert "[@click=app.quit]click me[/] [link=https://evil.example]y[/link] [/" in line
        assert "\x1b" not in line and "pwned" not in line
        await pilot.click(
            "#mentor-stuck-list"
        )  # an action hidden in markup would quit the app here
        await pilot.press("r")
        await settle(pilot)
        assert app.is_running
        assert learners(app)[0] == HOSTILE_NAME


async def test_the_dashboard_is_the_only_screen_and_escape_does_not_close_it(
    tmp_path: Path,
) -> None:
    app = app_for([cohort(tmp_path / "reports", (ADA,))])
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = dashboard(app)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen and app.is_running
        assert screen.check_action("close", ()) is False  # so the footer does not offer it
