"""Stage 3: ranked first contributions for the project, live from the forge.

Each row says whether someone already works on the issue (free / likely taken / unknown) and why
it is suggested; the list can be narrowed to code or non-code work, to free issues, or by words.
The pack's tasks (contributions without an issue) sit beside the live issues.
"""

from __future__ import annotations

from datetime import UTC, datetime

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Input, Static

from onboard.core.models import ClaimStatus, Contribution, Issue, Lane, Preferences
from onboard.core.packs.loading import Task
from onboard.core.storage.state import StateError
from onboard.core.text.timefmt import ago
from onboard.flows.discover import Discovery, discover
from onboard.forge.base import ForgeError
from onboard.ui.columns import ColumnSpec
from onboard.ui.keys import Keys
from onboard.ui.safe import safe_text
from onboard.ui.screens.base import JourneyScreen
from onboard.ui.threads import deliver, deliverer
from onboard.ui.widgets.fitted_table import FittedRow, FittedTable

STATUS_STYLE = {
    ClaimStatus.FREE: ("● free", "green"),
    ClaimStatus.UNKNOWN: ("◐ unknown", "yellow"),
    ClaimStatus.TAKEN: ("✕ taken", "red"),
    ClaimStatus.YOURS: ("★ yours", "cyan"),
}
LANE_FILTERS = {"all": "everything", "code": "code", "non-code": "non-code work"}
#: Rows drawn at once. The list is ranked, so the rest are the least promising; filtering finds
#: them, and the table stays quick to refill on every keystroke (see benchmarks/filter_list.py).
MAX_ROWS = 500
#: Status, number, kind and age are never cut; the title and the reasons share what is left.
#: The reasons give way first: the highlighted row's are shown in full below the list.
COLUMNS = (
    ColumnSpec("status", "Status"),
    ColumnSpec("number", "#"),
    ColumnSpec("title", "Title", flex=3, min_width=16),
    ColumnSpec("lane", "Kind"),
    ColumnSpec("why", "Why", flex=2, min_width=20, optional=True),
    ColumnSpec("updated", "Updated"),
)


def review_task(pull: Issue) -> Task:
    """An open pull request without reviews, offered as a review task."""
    author = f" by {pull.author}" if pull.author else ""
    return Task(
        lane=Lane.REVIEW,
        title=f"Review #{pull.number}: {pull.title}",
        description=(
            f"This pull request{author} has no review yet. Read the change, try it on your "
            "clone if you can, and leave one kind, specific comment: what works well, and one "
            "question or suggestion. Reviews by newcomers are welcome and count as contributions."
        ),
        link=pull.url if pull.url.startswith("https://") else None,
        source="a live pull request",
    )


def shown(lane: Lane, text: str, lane_filter: str, words: str) -> bool:
    """Whether a row of ``lane`` whose searchable text is ``text`` passes the filters."""
    if lane_filter == "code" and not lane.is_code:
        return False
    if lane_filter == "non-code" and lane.is_code:
        return False
    folded = text.casefold()
    return all(word in folded for word in words.casefold().split())


def matches(contribution: Contribution, lane_filter: str, free_only: bool, words: str) -> bool:
    if free_only and contribution.claim.status not in (ClaimStatus.FREE, ClaimStatus.YOURS):
        return False
    issue = contribution.issue
    return shown(
        contribution.lane, f"{issue.title} {' '.join(issue.label_names)}", lane_filter, words
    )


class IssuesScreen(JourneyScreen):
    CSS_PATH = "issues.tcss"
    AUTO_FOCUS = "#issues"  # letter keys filter the list; '/' moves to the word filter
    KEYS_TITLE = "First contributions"
    # The footer has room for the main keys at 80 columns; the filters are named under the list,
    # and ? lists them all.
    BINDINGS = [
        Binding("escape", "back", "Back", tooltip="To the projects"),
        Binding("slash", "focus_filter", "Filter", tooltip="Narrow the list by words"),
        Binding("r", "refresh", "Reload", tooltip="Fetch the list again"),
        Binding("a", "lanes('all')", "All kinds", show=False),
        Binding("c", "lanes('code')", "Code only", show=False),
        Binding("n", "lanes('non-code')", "Non-code only", show=False),
        Binding("f", "toggle_free", "Free only", show=False, tooltip="Only what nobody works on"),
        Binding("i", "interests", "Interests", show=False, tooltip="What you like ranks higher"),
        Binding("p", "project_setup", "Setup", tooltip="The project's own setup steps"),
        Binding("t", "run_tests", "Tests", tooltip="Run the project's test suite"),
        Binding("u", "sync", "Sync", tooltip="Update your main from upstream"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.contributions: list[Contribution] = []
        self.tasks: list[Task] = []
        self.review_tasks: list[Task] = []
        #: The pull requests behind :attr:`review_tasks`, in the same order.
        self.review_pulls: list[Issue] = []
        self.discovery: Discovery | None = None
        self.lane_filter = "all"
        self.free_only = False
        #: What each row stands for: an issue's number or a task's index. A forge's pages can
        #: repeat an issue, so row keys are handed out by :class:`Keys`, never made from data.
        self._rows: Keys[tuple[str, int]] = Keys()

    def compose_body(self) -> ComposeResult:
        with Vertical(id="issues-body"):
            heading = Text("First contributions in ", end="")
            heading.append_text(safe_text(self.repo, style="bold"))
            yield Static(heading, id="issues-heading", classes="heading")
            yield Static("", id="issues-status", classes="status-line")
            with Horizontal(id="issues-filters"):
                yield Static("", id="filter-summary")
                yield Input(placeholder="filter by words…", id="issues-filter")
            yield FittedTable(COLUMNS, id="issues")
            yield Static("", id="issues-why")
            yield Static(
                "Enter opens it · c code · n non-code · a all · f free only · ? every key. "
                "Non-code work (docs, translation, triage…) counts just as much as code.",
                id="issues-hint",
                classes="muted",
            )

    def on_mount(self) -> None:
        self.query_one("#issues", DataTable).loading = True
        self._show_filters()
        self.set_interval(30, self._show_freshness)
        self.packs_loaded()

    def packs_loaded(self) -> None:
        """Fetch once the packs are read: they name the project's beginner labels and lanes."""
        if not self.onboard.packs_ready:
            self._set_status("Reading the guide packs…")
            return
        found = self.onboard.project_for(self.repo.full_name)
        self.tasks = found[0].tasks_for(self.repo) if found else []
        self._set_status(f"Fetching good first issues from the {self.onboard.config.label}…")
        self.fetch_issues()

    def _set_status(self, message: str, style: str = "") -> None:
        self.query_one("#issues-status", Static).update(safe_text(message, style=style))

    @work(thread=True, exclusive=True, group="issues")
    def fetch_issues(self) -> None:
        found = self.onboard.project_for(self.repo.full_name)
        target = (self.repo, found[1] if found else None)
        try:
            discovery = discover(
                self.onboard.forge,
                [target],
                preferences=self._preferences(),
                progress=deliverer(self, self._set_status),
                preliminary=deliverer(self, self._show_discovery),
                me=self.onboard.journey.login,
            )
        except ForgeError as error:
            deliver(self, self._show_error, str(error))
            return
        deliver(self, self._show_discovery, discovery)
        try:
            pulls = self.onboard.forge.pulls_needing_review([self.repo])
        except ForgeError:
            return  # reviewing is one lane among many; its absence is not worth an error
        deliver(self, self._show_reviews, pulls)

    def _show_reviews(self, pulls: list[Issue]) -> None:
        self.review_tasks = [review_task(pull) for pull in pulls]
        self.review_pulls = pulls
        self._fill_table()

    def _show_error(self, message: str) -> None:
        self.query_one("#issues", DataTable).loading = False
        self._set_status(f"Could not fetch issues: {message}  (press r to try again)", "red")

    def _show_discovery(self, discovery: Discovery) -> None:
        self.discovery = discovery
        self.contributions = discovery.contributions
        table = self.query_one("#issues", DataTable)
        table.loading = False
        table.focus()
        self._fill_table()
        self._show_freshness()

    def _show_freshness(self) -> None:
        discovery = self.discovery
        if discovery is None:
            return
        free = sum(1 for c in self.contributions if c.claim.status is ClaimStatus.FREE)
        count = len(self.contributions)
        age = ago(discovery.freshness.fetched_at, datetime.now(UTC))
        parts = [f"{count} suggestion{'s' if count != 1 else ''}", f"{free} free"]
        if discovery.freshness.stale_reason:
            parts.append(f"showing saved data from {age}: {discovery.freshness.stale_reason}")
            style = "yellow"
        else:
            parts.append(f"fetched {age}")
            style = ""
        missing = discovery.missing_note()
        if missing:
            parts.append(missing)
            style = "yellow"
        unchecked = discovery.claim_note()
        if unchecked:
            parts.append(unchecked)
        limits = self.onboard.forge.rate_limits.get("core")
        if limits and limits.remaining < 100:
            reset = f" until {limits.reset_at.astimezone():%H:%M}" if limits.reset_at else ""
            parts.append(f"{limits.remaining} requests left{reset}")
        if discovery.incomplete and not missing:
            parts.append("GitHub returned partial results")
        self._set_status(" · ".join(parts), style)

    def _fill_table(self) -> None:
        table = self.query_one("#issues", FittedTable)
        self._rows.clear()
        words = self.query_one("#issues-filter", Input).value
        shown_rows = [
            c for c in self.contributions if matches(c, self.lane_filter, self.free_only, words)
        ]
        hidden = max(len(shown_rows) - MAX_ROWS, 0)
        rows: list[FittedRow] = []
        for contribution in shown_rows[:MAX_ROWS]:
            issue = contribution.issue
            label, style = STATUS_STYLE[contribution.claim.status]
            rows.append(
                FittedRow(
                    key=self._rows.add(f"issue-{issue.number}", ("issue", issue.number)),
                    cells=[
                        Text(label, style=style),
                        Text(str(issue.number), style="bold"),
                        safe_text(issue.title, max_length=200),
                        Text(contribution.lane.title, style="italic"),
                        safe_text(" · ".join(contribution.reasons), style="dim", max_length=200),
                        Text(ago(issue.updated_at), style="dim"),
                    ],
                )
            )
        for index, task in enumerate([*self.review_tasks, *self.tasks]):
            text = f"{task.title} {task.description}"
            if self.free_only or not shown(task.lane, text, self.lane_filter, words):
                continue
            rows.append(
                FittedRow(
                    key=self._rows.add(f"task-{index}", ("task", index)),
                    cells=[
                        Text("task", style="italic cyan"),
                        Text(""),
                        safe_text(task.title, max_length=200),
                        Text(task.lane.title, style="italic"),
                        safe_text(task.source, style="dim", max_length=60),
                        Text(""),
                    ],
                )
            )
        table.set_rows(rows)
        self._show_filters(hidden)
        if table.row_count:
            if not self.query_one("#issues-filter", Input).has_focus:
                table.focus()
        else:
            self.query_one("#issues-why", Static).update("")
            if self.contributions or self.tasks:
                self._set_status(
                    "Nothing matches these filters (press a for everything).", "yellow"
                )

    def _show_filters(self, hidden: int = 0) -> None:
        text = Text("Showing ", end="")
        text.append(LANE_FILTERS[self.lane_filter], style="bold")
        text.append(" · free only" if self.free_only else " · any status")
        if hidden:
            text.append(
                f" · {hidden} more below the top {MAX_ROWS}: filter to find them", style="yellow"
            )
        self.query_one("#filter-summary", Static).update(text)

    @on(DataTable.RowHighlighted, "#issues")
    def explain_highlighted(self, event: DataTable.RowHighlighted) -> None:
        """The highlighted row in full, wrapped: its title and why it is suggested."""
        self.query_one("#issues-why", Static).update(self._explanation(event.row_key.value))

    def _explanation(self, key: str | None) -> Text:
        row = self._rows.get(key)
        if row is None:
            return Text("")
        kind, index = row
        text = Text(end="")
        if kind == "task":
            task = [*self.review_tasks, *self.tasks][index]
            text.append_text(safe_text(task.title, style="bold", max_length=300))
            text.append_text(safe_text(f" · {task.source}", style="dim", max_length=80))
            return text
        contribution = next((c for c in self.contributions if c.issue.number == index), None)
        if contribution is None:
            return text
        text.append(f"#{index} ", style="bold")
        text.append_text(safe_text(contribution.issue.title, style="bold", max_length=300))
        label, style = STATUS_STYLE[contribution.claim.status]
        text.append(f"\n{label}", style=style)
        if contribution.reasons:
            text.append(" · ")
            text.append_text(safe_text(" · ".join(contribution.reasons), max_length=400))
        return text

    @on(DataTable.RowSelected, "#issues")
    def open_selected(self, event: DataTable.RowSelected) -> None:
        row = self._rows.get(event.row_key.value)
        if row is None:
            return
        kind, index = row
        if kind == "task":
            from onboard.ui.screens.task import TaskScreen

            tasks = [*self.review_tasks, *self.tasks]
            pull = self.review_pulls[index] if index < len(self.review_pulls) else None
            self.app.push_screen(TaskScreen(tasks[index], pull=pull))
        else:
            self.onboard.open_issue(index)

    @on(Input.Changed, "#issues-filter")
    def filter_changed(self) -> None:
        self._fill_table()

    @on(Input.Submitted, "#issues-filter")
    def filter_done(self) -> None:
        self.query_one("#issues", DataTable).focus()

    def action_lanes(self, which: str) -> None:
        self.lane_filter = which
        self._show_filters()
        self._fill_table()

    def action_toggle_free(self) -> None:
        self.free_only = not self.free_only
        self._show_filters()
        self._fill_table()

    def _preferences(self) -> Preferences:
        try:
            return self.onboard.store.preferences()
        except StateError:
            return Preferences()

    def action_interests(self) -> None:
        from onboard.ui.screens.interests import InterestsDialog

        def chosen(preferences: Preferences | None) -> None:
            if preferences is None:
                return
            try:
                self.onboard.store.save_preferences(preferences)
            except StateError as error:
                self.notify(str(error), severity="error")
            self.action_refresh()  # re-ranked; unchanged data costs only free 304s

        self.app.push_screen(InterestsDialog(self._preferences()), chosen)

    def action_focus_filter(self) -> None:
        self.query_one("#issues-filter", Input).focus()

    def action_refresh(self) -> None:
        self.query_one("#issues", DataTable).loading = True
        self._set_status(f"Refreshing from the {self.onboard.config.label}…")
        self.fetch_issues()

    # -- the set-up tools, again: they work on the clone, so only once there is one -----------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("project_setup", "run_tests", "sync"):
            return self.onboard.has_clone
        return True

    def action_project_setup(self) -> None:
        self.onboard.open_project_setup()

    def action_run_tests(self) -> None:
        self.onboard.open_project_setup(tests=True)

    def action_sync(self) -> None:
        self.notify("Syncing your main with upstream…")
        self.onboard.sync_fork()

    def action_back(self) -> None:
        if self.query_one("#issues-filter", Input).has_focus:
            self.query_one("#issues", DataTable).focus()
        elif len(self.app.screen_stack) > 2:
            self.app.pop_screen()
