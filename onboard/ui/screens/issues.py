"""Stage 3: the project's good first issues, fetched live from the forge."""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Static

from onboard.core.labels import is_beginner_label, lane_of
from onboard.core.models import Issue
from onboard.core.packs import Task
from onboard.core.timefmt import ago
from onboard.forge.base import ForgeError
from onboard.ui.safe import safe_text
from onboard.ui.screens.base import JourneyScreen


def _other_labels(issue: Issue) -> list[str]:
    """Every row is a beginner issue, so the beginner label itself would only be noise."""
    return [name for name in issue.label_names if not is_beginner_label(name)]


class IssuesScreen(JourneyScreen):
    CSS_PATH = "issues.tcss"
    BINDINGS = [
        Binding("escape", "back", "Projects"),
        Binding("r", "refresh", "Refresh"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.issues: dict[int, Issue] = {}
        self.tasks: list[Task] = []

    def compose_body(self) -> ComposeResult:
        with Vertical(id="issues-body"):
            heading = Text("Good first issues in ", end="")
            heading.append_text(safe_text(self.repo, style="bold"))
            yield Static(heading, id="issues-heading", classes="heading")
            yield Static("", id="issues-status", classes="status-line")
            table: DataTable[Text] = DataTable(id="issues", cursor_type="row", zebra_stripes=True)
            yield table
            yield Static(self._hint(), id="issues-hint", classes="muted")

    def _hint(self) -> str:
        return (
            "Enter opens an issue so you can read it. Non-code work (docs, translation, triage) "
            "counts just as much as code."
        )

    def on_mount(self) -> None:
        table = self.query_one("#issues", DataTable)
        table.add_column("#", key="number", width=4)
        table.add_column("Title", key="title", width=46)
        table.add_column("Kind", key="lane", width=13)
        table.add_column("Labels", key="labels", width=24)
        table.add_column("Replies", key="comments", width=7)
        table.add_column("Updated", key="updated", width=12)
        table.loading = True
        self.packs_loaded()

    def packs_loaded(self) -> None:
        """Fetch once the packs are read: they name the project's beginner labels and lanes."""
        if not self.onboard.packs_ready:
            self._set_status("Reading the guide packs…")
            return
        self._set_status(f"Fetching good first issues from the {self.onboard.config.label}…")
        self.fetch_issues()

    def _set_status(self, message: str) -> None:
        self.query_one("#issues-status", Static).update(safe_text(message))

    @work(thread=True, exclusive=True, group="issues")
    def fetch_issues(self) -> None:
        found = self.onboard.project_for(self.repo.full_name)
        labels = found[1].beginner_labels if found else ()
        try:
            issues = self.onboard.forge.good_first_issues([self.repo], labels)
        except ForgeError as error:
            self.app.call_from_thread(self._show_error, str(error))
            return
        self.app.call_from_thread(self._show_issues, issues)

    def _show_error(self, message: str) -> None:
        table = self.query_one("#issues", DataTable)
        table.loading = False
        self._set_status(f"Could not fetch issues: {message}  (press r to try again)")

    def _show_issues(self, issues: list[Issue]) -> None:
        table = self.query_one("#issues", DataTable)
        table.clear()
        self.issues = {issue.number: issue for issue in issues}
        found = self.onboard.project_for(self.repo.full_name)
        project = found[1] if found else None
        for issue in issues:
            table.add_row(
                Text(str(issue.number), style="bold"),
                safe_text(issue.title, max_length=200),
                Text(lane_of(issue.label_names, project).title, style="italic"),
                safe_text(", ".join(_other_labels(issue)), style="dim", max_length=120),
                Text(str(issue.comments), justify="right"),
                Text(ago(issue.updated_at), style="dim"),
                key=str(issue.number),
            )
        tasks = found[0].tasks_for(self.repo) if found else []
        for index, task in enumerate(tasks):
            table.add_row(
                Text("task", style="italic dim"),
                safe_text(task.title, max_length=200),
                Text(task.lane.title, style="italic"),
                Text("from the guide pack", style="dim"),
                Text(""),
                Text(""),
                key=f"task-{index}",
            )
        self.tasks = tasks
        table.loading = False
        count = len(issues)
        if count:
            self._set_status(
                f"{count} open, unassigned issue{'s' if count != 1 else ''} · fetched just now"
            )
            table.focus()
        else:
            self._set_status(
                "No open, unassigned good first issues right now. Try another project, or ask the "
                "maintainers where help is welcome."
            )

    @on(DataTable.RowSelected, "#issues")
    def open_selected(self, event: DataTable.RowSelected) -> None:
        key = event.row_key.value or ""
        if key.startswith("task-"):
            from onboard.ui.screens.task import TaskScreen

            self.app.push_screen(TaskScreen(self.tasks[int(key.removeprefix("task-"))]))
        elif key:
            self.onboard.open_issue(int(key))

    def action_refresh(self) -> None:
        self.query_one("#issues", DataTable).loading = True
        self._set_status(f"Refreshing from the {self.onboard.config.label}…")
        self.fetch_issues()

    def action_back(self) -> None:
        if len(self.app.screen_stack) > 2:
            self.app.pop_screen()
