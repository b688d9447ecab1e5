"""*My contributions*: every claim and pull request the learner made, across projects, with its
live state, and what to do about each (F5 from anywhere, or the command palette).

The list appears at once from the last answer (cached rows), then the refresh
(:func:`onboard.flows.contributions.refresh`) runs in a thread worker. The highlighted row's
detail shows the next step, a failing check with its own words, review comments by file and
line, and how long it has been quiet. Opening a row (Enter) marks it seen. From a row: a polite
ping after N quiet days (``p``, edited and confirmed before it is posted), the "when nobody
answers" guide (``g``), "ready for review" for a draft (``y``, confirmed), back to the change
after "changes requested" (``c``), and, after a merge, a next issue of the same project
(``n``). Titles, comments, check summaries and the forge's messages are untrusted: rows and
details are drawn by :mod:`onboard.ui.widgets.contribution_view`, the rest through
:func:`safe_text`.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import DataTable, Static

from onboard.core.contributions.guidance import ping_template
from onboard.core.contributions.live import ReviewDecision
from onboard.core.contributions.record import ContributionKind
from onboard.core.contributions.rows import ContributionRow
from onboard.core.models import RepoRef
from onboard.core.public_actions import ActionKind, PublicAction
from onboard.core.storage.state import StateError
from onboard.forge.base import ForgeError
from onboard.ui.keys import Keys
from onboard.ui.safe import safe_text
from onboard.ui.screens.base import JourneyScreen
from onboard.ui.threads import deliver
from onboard.ui.widgets.contribution_view import COLUMNS, detail_text, guide_text, row_cells
from onboard.ui.widgets.fitted_table import FittedRow, FittedTable


class ContributionsScreen(JourneyScreen):
    CSS_PATH = "contributions.tcss"
    KEYS_TITLE = "My contributions"
    AUTO_FOCUS = "#contributions-table"
    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("r", "refresh", "Refresh", tooltip="Ask the forge again"),
        Binding("p", "ping", "Ping", tooltip="A polite ping you edit, after quiet days"),
        Binding("g", "guide", "Nobody answers?", tooltip="What to do when nobody answers"),
        Binding("y", "ready", "Ready", tooltip="Mark the draft ready for review"),
        Binding("c", "change", "Change", tooltip="Back to the change, after changes requested"),
        Binding("n", "next_issue", "Next issue", tooltip="Another issue of the same project"),
        Binding("o", "open", "Open", show=False, tooltip="Open the row: shows it, marks it seen"),
    ]

    #: Coming back to the screen refreshes it when the last refresh is older than this.
    RESUME_REFRESH_SECONDS = 10.0

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[ContributionRow] = []
        self.note: str | None = None
        self.row_keys = Keys[int]()
        self.current: int | None = None
        #: The row whose "when nobody answers" guide is shown in the detail.
        self.guide_for: tuple[str, str, int] | None = None
        #: The pull requests celebrated in this screen (each merge once).
        self.celebrated: set[tuple[str, str, int]] = set()
        self._asked_at = -float("inf")

    def compose_body(self) -> ComposeResult:
        with Vertical(id="contributions-body"):
            yield Static("My contributions", classes="heading")
            yield Static("", id="contributions-status", classes="status-line")
            yield Static("", id="contributions-celebration")
            yield FittedTable(COLUMNS, id="contributions-table")
            with VerticalScroll(id="contributions-detail-box"):
                yield Static("", id="contributions-detail")

    def on_mount(self) -> None:
        self.query_one("#contributions-celebration").display = False
        self._set_status("Reading your contributions…")

    def on_screen_resume(self) -> None:
        """Shown (first, or back from the issue after a push): ask again, unless just asked
        (closing a dialog or the keys list must not cost a refresh)."""
        if time.monotonic() - self._asked_at >= self.RESUME_REFRESH_SECONDS:
            self._ask()

    def _ask(self) -> None:
        self._asked_at = time.monotonic()
        self.load()

    def _set_status(self, message: str, style: str = "") -> None:
        self.query_one("#contributions-status", Static).update(safe_text(message, style=style))

    # -- reading ------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="contributions")
    def load(self) -> None:
        """The last answer first (no network), then the refresh."""
        from onboard.flows.contributions import cached_rows, refresh

        app = self.onboard
        try:
            deliver(self, self._show_rows, cached_rows(app.store, app.config.key), None)
            view = refresh(app.forge, app.store)
        except StateError as error:  # the progress file cannot be read: say so, keep running
            deliver(self, self._set_status, str(error), "red")
            return
        notes = [note for note in (view.stale_note(), view.elsewhere_note()) if note]
        deliver(self, self._show_rows, view.rows, " ".join(notes) or None)
        if view.newly_merged:
            deliver(self, self._celebrate, view.newly_merged[0])

    def action_refresh(self) -> None:
        self._set_status("Asking the forge…")
        self._ask()

    def _show_rows(self, rows: list[ContributionRow], note: str | None) -> None:
        key = self.rows[self.current].key if self.current is not None and self.rows else None
        self.rows, self.note = rows, note
        table = self.query_one("#contributions-table", FittedTable)
        self.row_keys = Keys[int]()
        table.set_rows(
            FittedRow(key=self.row_keys.add(row.where, i), cells=row_cells(row))
            for i, row in enumerate(rows)
        )
        if not rows:
            self.current = None
            empty = (
                "No claims or pull requests yet: claim an issue, or open a pull request, "
                "and follow it here."
            )
            self._set_status(f"{empty} {note}" if note else empty)
            self.query_one("#contributions-detail", Static).update("")
            return
        merged = sum(1 for row in rows if row.merged)
        plural = "" if len(rows) == 1 else "s"
        summary = f"{len(rows)} contribution{plural}, {merged} merged"
        self._set_status(" · ".join([summary, note]) if note else summary, "yellow" if note else "")
        index = next((i for i, row in enumerate(rows) if row.key == key), 0)
        if index:
            table.move_cursor(row=index)
        self._detail(index)
        self.refresh_bindings()

    # -- the highlighted row ------------------------------------------------------------

    @property
    def row(self) -> ContributionRow | None:
        if self.current is None or not 0 <= self.current < len(self.rows):
            return None
        return self.rows[self.current]

    @on(DataTable.RowHighlighted, "#contributions-table")
    def highlighted(self, event: DataTable.RowHighlighted) -> None:
        index = self.row_keys.get(event.row_key.value)
        if index is not None:
            self._detail(index)

    @on(DataTable.RowSelected, "#contributions-table")
    def selected(self, event: DataTable.RowSelected) -> None:
        index = self.row_keys.get(event.row_key.value)
        if index is not None:
            self._detail(index)
            self.action_open()

    def action_open(self) -> None:
        """Opened: what others said until now is no longer new (saved off the UI thread)."""
        row = self.row
        if row is None:
            return
        self._mark_seen(row)

    @work(thread=True, group="seen")
    def _mark_seen(self, row: ContributionRow) -> None:
        from onboard.flows.contributions import mark_seen

        mark_seen(self.onboard.store, row, datetime.now(UTC))
        deliver(self, self._seen, row.key)

    def _seen(self, key: tuple[str, str, int]) -> None:
        from dataclasses import replace

        if any(row.key == key and row.replies_since for row in self.rows):
            rows = [replace(r, replies_since=0) if r.key == key else r for r in self.rows]
            self._show_rows(rows, self.note)

    def _detail(self, index: int) -> None:
        self.current = index
        row = self.row
        if row is None:
            return
        detail = self.query_one("#contributions-detail", Static)
        if self.guide_for == row.key:
            detail.update(guide_text(row))
        else:
            detail.update(detail_text(row))
        self.refresh_bindings()

    # -- what the learner can do --------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        row = self.row
        if action == "ping":
            return row is not None and row.state == "open" and row.quiet_days is not None
        if action == "ready":
            return row is not None and row.kind is ContributionKind.PULL and row.draft
        if action == "change":
            return row is not None and row.review is ReviewDecision.CHANGES_REQUESTED
        if action == "next_issue":
            return row is not None and row.merged
        if action == "guide":
            return row is not None and row.state == "open"
        return True

    def action_guide(self) -> None:
        row = self.row
        if row is None:
            return
        self.guide_for = None if self.guide_for == row.key else row.key
        self._detail(self.current or 0)

    def action_ping(self) -> None:
        row = self.row
        if row is None or row.quiet_days is None:
            return
        from onboard.ui.screens.confirm import Confirmed, PublicActionDialog

        key = f"ping:{row.where}"

        def confirmed(answer: Confirmed | None) -> None:
            if answer and answer.text:
                self.onboard.drafts[key] = answer.text  # kept until the post succeeds
                self._post_ping(row, answer.text, key)

        self.app.push_screen(
            PublicActionDialog(
                PublicAction(ActionKind.COMMENT, row.where),
                heading=f"A polite ping on {row.where}",
                button="Post the ping",
                text=self.onboard.drafts.get(key, ping_template(row.kind.value, row.quiet_days)),
                what="ping",
            ),
            confirmed,
        )

    @work(thread=True, exclusive=True, group="act")
    def _post_ping(self, row: ContributionRow, text: str, key: str) -> None:
        from onboard.flows.contributions import post_ping

        try:
            url = post_ping(self.onboard.forge, row, text)
        except (ForgeError, ValueError) as error:
            message = f"{error}\nYour ping is kept: press p to try again."
            self.app.call_from_thread(self.notify, message, severity="error", timeout=15)
            return
        self.onboard.drafts.pop(key, None)
        done = f"Your ping is posted: {url}"
        deliver(self, self.notify, done, news=done)
        deliver(self, self.action_refresh)

    def action_ready(self) -> None:
        row = self.row
        if row is None or not row.draft:
            return
        from onboard.ui.screens.confirm import Confirmed, PublicActionDialog

        def confirmed(answer: Confirmed | None) -> None:
            if answer is not None:
                self._mark_ready(row)

        self.app.push_screen(
            PublicActionDialog(
                PublicAction(ActionKind.READY, row.where),
                heading=f"Mark {row.where} ready for review",
                button="Mark ready for review",
            ),
            confirmed,
        )

    @work(thread=True, exclusive=True, group="act")
    def _mark_ready(self, row: ContributionRow) -> None:
        from onboard.flows.contributions import mark_ready

        try:
            mark_ready(self.onboard.forge, row)
        except (ForgeError, ValueError) as error:
            self.app.call_from_thread(self.notify, str(error), severity="error", timeout=15)
            return
        done = f"{row.where} is ready for review: maintainers are told."
        deliver(self, self.notify, done, news=done)
        deliver(self, self.action_refresh)

    def action_change(self) -> None:
        """Back to the change on the same branch.

        The hook: an app with ``open_make_change(repo, issue)`` (the *Make the change* screen)
        gets the call; until then the issue's own screen is opened when the journey is on that
        project, with the branch named, else the learner is told where to go.
        """
        row = self.row
        if row is None:
            return
        app = self.onboard
        issue = row.record.issue
        make_change = getattr(app, "open_make_change", None)
        same = (app.journey.project or "").lower() == row.record.repo.lower()
        branch = app.journey.work_branch if same else None
        if make_change is not None and same:
            make_change(RepoRef.parse(row.record.repo), issue)
        elif same and issue is not None:
            app.open_issue(issue)
        else:
            self.notify(
                f"Your journey is on {app.journey.project or 'no project'}: choose "
                f"{row.record.repo} to change {row.where}.",
                severity="warning",
            )
            return
        if branch:
            self.notify(
                f"Change your branch {branch} (from the issue: Make the change), commit, "
                "and push again: the pull request follows your branch."
            )

    def action_next_issue(self) -> None:
        row = self.row
        if row is None or not row.merged:
            return
        app = self.onboard
        repo = RepoRef.parse(row.record.repo)
        if (app.journey.project or "").lower() == repo.full_name.lower() and app.has_clone:
            app.open_issues()
        else:
            app.choose_project(repo)

    def _celebrate(self, row: ContributionRow) -> None:
        if row.key in self.celebrated:
            return
        self.celebrated.add(row.key)
        banner = self.query_one("#contributions-celebration", Static)
        text = Text("🎉 Merged! ", style="bold magenta", end="")
        text.append_text(safe_text(row.where, style="bold"))
        text.append(" is part of the project now. Press n for a next issue of ")
        text.append_text(safe_text(row.record.repo, style="bold"))
        text.append(".")
        banner.update(text)
        banner.display = True
        self.notify(f"{row.where} was merged. Congratulations!", title="🎉 Merged")

    def action_back(self) -> None:
        if len(self.app.screen_stack) > 2:
            self.app.pop_screen()
