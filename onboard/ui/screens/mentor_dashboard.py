"""The mentor dashboard: a live view of a workshop or cohort, from learners' JSON reports.

A mentor's first question is "who needs me?", so learners who are stuck right now come first,
highlighted, with where they are, the barrier and their own words. Below: every learner's
progress (sortable), the checkpoints against the agenda, the barriers, and the files that could
not be used and why.

Learners drop their reports into a shared folder; the board looks at the files every few seconds
(one ``stat`` per file, in a thread worker) and re-reads them only when one was added, removed or
rewritten, so it stays live without reading everything again and again. Reading and parsing
always happen in a thread worker. Every string from a report came from someone else's computer
and is shown through :func:`onboard.ui.safe.safe_text`, never as markup.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static
from textual.worker import Worker, get_current_worker

from onboard.core.sessions.cohort import (
    LearnerRow,
    LoadedReport,
    ReportFileError,
    learner_rows,
    load_reports,
    summarise,
)
from onboard.core.sessions.learner_order import next_order as following_order
from onboard.core.sessions.learner_order import ordered
from onboard.core.sessions.progress import now_utc, parse_stamp
from onboard.core.sessions.report_folder import Fingerprint, fingerprint, report_files
from onboard.ui.keys import Keys
from onboard.ui.safe import safe_text

#: How often the files are looked at (a ``stat`` each); they are re-read only when changed.
POLL_SECONDS = 5.0
#: Minutes on the board are whole minutes: without any change, redraw once they move on.
REDRAW_AFTER = timedelta(minutes=1)
ORDER_NAMES = {
    "progress": "progress (furthest behind first)",
    "name": "name",
    "stuck": "stuck (longest first)",
    "quiet": "time since their last checkpoint",
    "pull_requests": "pull requests",
    "reviews": "reviews",
    "noncode": "non-code contributions",
    "report": "report age (oldest first)",
}
#: Learner table: column key, heading, width (None: as wide as its content), sort order.
LEARNER_COLUMNS: tuple[tuple[str, str, int | None, str], ...] = (
    ("learner", "Learner", 18, "name"),
    ("progress", "Progress", 11, "progress"),
    ("current", "Working on", 22, "progress"),
    ("quiet", "Quiet for", 9, "quiet"),
    ("stuck", "Stuck", 8, "stuck"),
    ("pull_requests", "PRs", 3, "pull_requests"),
    ("reviews", "Reviews", 7, "reviews"),
    ("noncode", "Non-code", 8, "noncode"),
    ("report", "Report", 10, "report"),
)
HOW_TO_REPORT = "onboard report --format json --output {folder}/NAME.json"


@dataclass(frozen=True)
class Board:
    """Everything the dashboard shows, read and computed off the UI thread."""

    #: The folders among the paths given (the board says it watches them).
    folders: list[Path]
    fingerprint: Fingerprint
    reports: list[LoadedReport]
    problems: list[ReportFileError]
    summary: dict[str, Any]
    rows: list[LearnerRow]
    read_at: datetime


def read_board(
    paths: Sequence[Path], now: datetime, previous: Board | None, *, force: bool
) -> tuple[Board, bool]:
    """The board for ``paths`` at ``now``, and whether any file changed since ``previous``.

    Unchanged files are not parsed again: their reports are reused and only the minutes move on.
    """
    files, listing_problems = report_files(paths)
    mark = fingerprint(files)
    if previous is not None and not force and mark == previous.fingerprint:
        reports, problems, changed = previous.reports, previous.problems, False
    else:
        reports, problems = load_reports(files)
        problems, changed = [*listing_problems, *problems], True
    board = Board(
        folders=[path for path in paths if path.is_dir()],
        fingerprint=mark,
        reports=reports,
        problems=problems,
        summary=summarise(reports, problems),
        rows=learner_rows(reports, now=now),
        read_at=now,
    )
    return board, changed


def _clock_time(moment: datetime | None) -> str:
    """A moment in the mentor's own time zone: the room's clock, not UTC."""
    return moment.astimezone().strftime("%H:%M") if moment is not None else "–"


def _minutes(value: float | None) -> str:
    if value is None:
        return "–"
    minutes = int(value)
    if minutes < 120:
        return f"{minutes} min"
    return f"{minutes // 60} h {minutes % 60:02d}"


def _count(value: int | float | None, style: str = "") -> Text:
    text = "–" if value is None else f"{value:g}" if isinstance(value, float) else str(value)
    return Text(text, style=style, justify="right", end="")


def _progress_bar(row: LearnerRow, width: int = 6) -> Text:
    filled = round(width * row.reached / row.of) if row.of else 0
    text = Text(end="")
    text.append("█" * filled, style="green")
    text.append("░" * (width - filled), style="dim")
    text.append(f" {row.reached}/{row.of}")
    return text


def _learner_cells(row: LearnerRow, now: datetime) -> list[Text]:
    label_style = "bold red" if row.stuck else "bold"
    if row.current_title or row.current_id:
        current = safe_text(row.current_title or row.current_id, max_length=60)
    else:
        current = Text("all done ✓", style="green", end="")
    quiet = Text(_minutes(row.minutes_since_progress), end="")
    stuck = (
        Text(f"⚠ {_minutes(row.minutes_stuck)}", style="bold red", end="")
        if row.stuck
        else Text("", end="")
    )
    age = (
        Text(f"{_minutes(max(0, (now - row.generated_at).total_seconds()) / 60)} ago", end="")
        if row.generated_at is not None
        else Text("–", style="dim", end="")
    )
    return [
        safe_text(row.label, style=label_style, max_length=60),
        _progress_bar(row),
        current,
        quiet,
        stuck,
        _count(row.pull_requests),
        _count(row.reviews),
        _count(row.noncode),
        age,
    ]


class MentorDashboardScreen(Screen[None]):
    """The whole cohort on one screen, kept up to date while reports arrive."""

    CSS_PATH = "mentor_dashboard.tcss"
    AUTO_FOCUS = "#mentor-learners"
    BINDINGS = [
        Binding("escape", "close", "Back"),
        Binding("r", "reload", "Read again"),
        Binding("s", "next_order", "Sort"),
    ]

    class BoardRead(Message):
        def __init__(self, generation: int, board: Board, changed: bool) -> None:
            super().__init__()
            self.generation = generation
            self.board = board
            self.changed = changed

    def __init__(
        self,
        paths: Sequence[Path],
        *,
        poll_seconds: float = POLL_SECONDS,
        clock: Callable[[], datetime] = now_utc,
    ) -> None:
        super().__init__()
        self.paths = list(paths)
        self.poll_seconds = poll_seconds
        self.clock = clock
        self.board: Board | None = None
        self.order = "stuck"
        self.reverse = False
        #: Bumped by ``r``, so a slower read that was replaced is ignored.
        self.generation = 0
        self._reader: Worker[None] | None = None
        self._drawn_at: datetime | None = None
        #: Learner row keys: file names read alike once cleaned, so Keys hands them out.
        self._learner_keys: Keys[LearnerRow] = Keys()

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="mentor-body"):
            yield Static(Text("Reading the reports…", style="dim"), id="mentor-status")
            with VerticalScroll(id="mentor-stuck", classes="panel") as stuck:
                stuck.border_title = "Stuck now"
                yield Static("", id="mentor-stuck-list")
            yield Static("", id="mentor-empty", classes="panel")
            learners: DataTable[Text] = DataTable(
                id="mentor-learners", classes="panel", cursor_type="row", zebra_stripes=True
            )
            yield learners
            with Horizontal(id="mentor-tables"):
                checkpoints: DataTable[Text] = DataTable(
                    id="mentor-checkpoints", classes="panel", cursor_type="none"
                )
                checkpoints.border_title = "Checkpoints"
                checkpoints.border_subtitle = "minutes from joining: median · agenda"
                yield checkpoints
                barriers: DataTable[Text] = DataTable(
                    id="mentor-barriers", classes="panel", cursor_type="none"
                )
                barriers.border_title = "Barriers"
                yield barriers
            with VerticalScroll(id="mentor-problems", classes="panel") as problems:
                problems.border_title = "Files left out"
                yield Static("", id="mentor-problem-list")
        yield Footer()

    def on_mount(self) -> None:
        learners = self.query_one("#mentor-learners", DataTable)
        for key, heading, width, _order in LEARNER_COLUMNS:
            learners.add_column(heading, key=key, width=width)
        checkpoints = self.query_one("#mentor-checkpoints", DataTable)
        checkpoints.add_column("Checkpoint", key="title", width=31)
        checkpoints.add_column("Reached", key="reached", width=7)
        checkpoints.add_column("Median", key="median", width=6)
        checkpoints.add_column("Planned", key="planned", width=7)
        barriers = self.query_one("#mentor-barriers", DataTable)
        barriers.add_column("Barrier", key="title", width=18)
        barriers.add_column("Stuck", key="stuck", width=5)
        barriers.add_column("Still stuck", key="open", width=11)
        barriers.add_column("Learners", key="learners", width=8)
        for table in (checkpoints, barriers):
            table.can_focus = False
        self.query_one("#mentor-problems").display = False
        self.query_one("#mentor-empty").display = False
        self._title_learners()
        self.action_reload()
        self.set_interval(self.poll_seconds, self._poll)

    # -- reading -------------------------------------------------------------------------------

    def action_reload(self) -> None:
        """Read every file again, changed or not (``r``)."""
        self.generation += 1
        self._reader = self.read(self.generation, force=True)

    def _poll(self) -> None:
        if self._reader is not None and not self._reader.is_finished:
            return  # a slow share: never pile reads up behind each other
        self._reader = self.read(self.generation, force=False)

    @work(thread=True, exclusive=True, group="mentor-board")
    def read(self, generation: int, *, force: bool) -> None:
        worker = get_current_worker()
        board, changed = read_board(self.paths, self.clock(), self.board, force=force)
        if not worker.is_cancelled:
            self.post_message(self.BoardRead(generation, board, changed))

    @on(BoardRead)
    def board_read(self, message: BoardRead) -> None:
        if message.generation != self.generation:
            return
        board = message.board
        self.board = board
        self._show_status(board)
        stale = self._drawn_at is None or board.read_at - self._drawn_at >= REDRAW_AFTER
        if message.changed or stale:
            self._drawn_at = board.read_at
            self._show_board(board)

    # -- drawing -------------------------------------------------------------------------------

    def _show_status(self, board: Board) -> None:
        summary = board.summary
        sessions = summary["sessions"]
        text = Text(end="")
        text.append("Session " if len(sessions) == 1 else "Sessions ", style="bold")
        text.append_text(safe_text(", ".join(sessions) or "–", style="bold", max_length=200))
        learners = summary["learners"]
        text.append(f" · {learners} learner{'s' if learners != 1 else ''}")
        folders = board.folders
        if folders:
            text.append(" · watching ")
            text.append_text(safe_text(", ".join(str(f) for f in folders), max_length=80))
        text.append(f" · updated {board.read_at.astimezone():%H:%M:%S}", style="dim")
        totals = summary["totals"]
        text.append("\n")
        parts = [
            ("issues claimed", totals["issues_claimed"]),
            ("pull requests", totals["pull_requests"]),
            ("reviews", totals["reviews"]),
            ("non-code", totals["noncode"]),
            ("test runs", totals["test_runs"]),
            ("stuck moments", totals["stuck_events"]),
        ]
        for index, (name, value) in enumerate(parts):
            text.append(" · " if index else "")
            text.append(str(value), style="bold")
            text.append(f" {name}")
        if len(sessions) > 1:
            text.append(
                "\nThese reports come from different sessions; their checkpoints may differ.",
                style="yellow",
            )
        self.query_one("#mentor-status", Static).update(text)

    def _show_board(self, board: Board) -> None:
        has_reports = bool(board.rows)
        for selector in ("#mentor-learners", "#mentor-tables", "#mentor-stuck"):
            self.query_one(selector).display = has_reports
        self._show_empty(board)
        if has_reports:
            self._show_stuck(board)
            self._fill_learners()
            self._fill_checkpoints(board.summary)
            self._fill_barriers(board.summary)
        self._show_problems(board.problems)

    def _show_empty(self, board: Board) -> None:
        empty = self.query_one("#mentor-empty", Static)
        empty.display = not board.rows
        if board.rows:
            return
        folders = board.folders
        folder = str(folders[0]) if len(folders) == 1 else "FOLDER"
        text = Text("No learner report to show yet.\n\n", style="bold", end="")
        text.append("Each learner makes one with:\n  ")
        text.append_text(
            safe_text(HOW_TO_REPORT.format(folder=folder), style="bold cyan", max_length=500)
        )
        text.append(
            "\n\nThen press r. "
            + ("This board reads the folder again every few seconds." if folders else ""),
            style="dim",
        )
        empty.update(text)

    def _show_stuck(self, board: Board) -> None:
        panel = self.query_one("#mentor-stuck", VerticalScroll)
        stuck = ordered([row for row in board.rows if row.stuck], "stuck")
        panel.set_class(bool(stuck), "-someone")
        panel.border_title = f"Stuck now: {len(stuck)}" if stuck else "Stuck now"
        lines = Text("\n", end="").join(self._stuck_line(row) for row in stuck)
        nobody = Text("Nobody is stuck right now.", style="green", end="")
        self.query_one("#mentor-stuck-list", Static).update(lines if stuck else nobody)

    def _stuck_line(self, row: LearnerRow) -> Text:
        moment = row.stuck
        assert moment is not None
        text = Text(end="")
        text.append("⚠ ", style="bold red")
        text.append_text(safe_text(row.label, style="bold", max_length=60))
        text.append(" · at ")
        text.append_text(safe_text(moment.step or "an unknown step", max_length=80))
        text.append(" · ")
        text.append_text(safe_text(moment.barrier_title or "no barrier given", style="bold"))
        since = parse_stamp(moment.at)
        text.append(f" · since {_clock_time(since)} ({_minutes(row.minutes_stuck)})", style="dim")
        if moment.text:
            text.append("\n  “")
            text.append_text(safe_text(moment.text, style="italic", max_length=300))
            text.append("”")
        return text

    def _title_learners(self) -> None:
        table = self.query_one("#mentor-learners", DataTable)
        turned = ", reversed" if self.reverse else ""
        table.border_title = f"Learners · sorted by {ORDER_NAMES[self.order]}{turned}"
        table.border_subtitle = "s: sort · click a heading to sort by it"

    def _fill_learners(self) -> None:
        board = self.board
        if board is None:
            return
        table = self.query_one("#mentor-learners", DataTable)
        cursor_key = None
        if table.row_count:
            cursor_key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        scroll_y = table.scroll_y
        table.clear()
        self._learner_keys.clear()
        for row in ordered(board.rows, self.order, reverse=self.reverse):
            cells = _learner_cells(row, board.read_at)
            table.add_row(*cells, key=self._learner_keys.add(row.file, row))
        if cursor_key is not None and self._learner_keys.get(cursor_key) is not None:
            table.move_cursor(row=table.get_row_index(cursor_key), scroll=False)
        table.scroll_y = scroll_y

    def _fill_checkpoints(self, summary: dict[str, Any]) -> None:
        table = self.query_one("#mentor-checkpoints", DataTable)
        table.clear()
        for row in summary["checkpoints"]:
            median, planned = row["median_minutes_from_join"], row["planned_minutes_from_start"]
            late = median is not None and planned is not None and median > planned
            table.add_row(
                safe_text(row["title"] or row["id"], max_length=60),
                _count_of(row["reached"], row["of"]),
                _count(median, "bold yellow" if late else ""),
                _count(planned, "dim"),
            )

    def _fill_barriers(self, summary: dict[str, Any]) -> None:
        table = self.query_one("#mentor-barriers", DataTable)
        table.clear()
        for row in summary["barriers"]:
            if row["barrier"] == "none-given" and not row["stuck"]:
                continue
            table.add_row(
                safe_text(row["title"]),
                _count(row["stuck"]),
                _count(row["unresolved"], "bold red" if row["unresolved"] else ""),
                _count(row["learners"]),
            )

    def _show_problems(self, problems: list[ReportFileError]) -> None:
        panel = self.query_one("#mentor-problems", VerticalScroll)
        panel.display = bool(problems)
        panel.border_title = f"Files left out: {len(problems)}"
        lines = Text(end="")
        for index, problem in enumerate(problems):
            lines.append("\n" if index else "")
            lines.append("✗ ", style="red")
            lines.append_text(safe_text(str(problem.file), style="bold", max_length=200))
            lines.append(": ")
            lines.append_text(safe_text(problem.reason, max_length=500))
        self.query_one("#mentor-problem-list", Static).update(lines)

    # -- sorting -------------------------------------------------------------------------------

    def action_next_order(self) -> None:
        self.order, self.reverse = following_order(self.order), False
        self._title_learners()
        self._fill_learners()

    @on(DataTable.HeaderSelected, "#mentor-learners")
    def sort_by_column(self, event: DataTable.HeaderSelected) -> None:
        order = next(o for key, _h, _w, o in LEARNER_COLUMNS if key == event.column_key.value)
        self.reverse = not self.reverse if order == self.order else False
        self.order = order
        self._title_learners()
        self._fill_learners()

    # -- leaving -------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "close":
            return len(self.app.screen_stack) > 1  # the app's only screen: ctrl+q quits
        return True

    def action_close(self) -> None:
        self.app.pop_screen()


def _count_of(reached: int, of: int) -> Text:
    style = "green" if of and reached == of else ""
    return Text(f"{reached} of {of}", style=style, justify="right", end="")
