"""Find a project on GitHub by topic and language, with its count of open beginner issues.

Only repositories that have beginner issues at all are listed (``good-first-issues:>0``), and
the count shown is of open, unassigned ones: what onboard would list on the next screen. The
highlighted repository's readiness signals are shown by the same
:class:`~onboard.ui.widgets.readiness.ReadinessView` as on the projects screen, asked at once:
a search result is looked at one by one, not scrolled through.
"""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import DataTable, Input, Static

from onboard.core.text.timefmt import ago
from onboard.forge.base import ForgeError, RepoSearchHit
from onboard.ui.columns import ColumnSpec
from onboard.ui.keys import Keys
from onboard.ui.safe import safe_text
from onboard.ui.screens.base import JourneyScreen
from onboard.ui.widgets.fitted_table import FittedRow, FittedTable
from onboard.ui.widgets.readiness import ReadinessView

#: Only the repository's name gives way (its whole name is in the panel beside the list).
COLUMNS = (
    ColumnSpec("repo", "Repository", flex=1, min_width=14),
    ColumnSpec("language", "Language", max_width=16),
    ColumnSpec("gfi", "Beginner"),
    ColumnSpec("stars", "★"),
    ColumnSpec("pushed", "Last push"),
)


class RepoSearchScreen(JourneyScreen):
    CSS_PATH = "repo_search.tcss"
    KEYS_TITLE = "Search GitHub"
    BINDINGS = [
        Binding("escape", "back", "Projects"),
        Binding("slash", "focus_topic", "New search"),
    ]

    class Found(Message):
        def __init__(self, hits: list[RepoSearchHit] | None, error: str | None) -> None:
            super().__init__()
            self.hits = hits
            self.error = error

    def __init__(self) -> None:
        super().__init__()
        #: What each row stands for; a search's pages can repeat a repository (see Keys).
        self._hits: Keys[RepoSearchHit] = Keys()

    def compose_body(self) -> ComposeResult:
        with Vertical(id="search-body"):
            with Horizontal(id="search-form"):
                yield Input(placeholder="topic, e.g. documentation", id="topic")
                yield Input(placeholder="language, e.g. python", id="language")
                yield Input(placeholder="words in name or description", id="words")
            yield Static(
                "Enter searches. Only projects with open beginner issues are listed.",
                id="search-status",
                classes="muted",
            )
            with Horizontal(id="search-results"):
                yield FittedTable(COLUMNS, id="hits")
                with VerticalScroll(id="hit-detail", classes="panel") as detail:
                    detail.border_title = "About this project"
                    yield Static("", id="hit-about")
                    yield ReadinessView(
                        lambda repo, labels: self.onboard.forge.readiness(repo, labels),
                        delay=0,
                        id="hit-readiness",
                    )

    def on_mount(self) -> None:
        self.query_one("#topic", Input).focus()

    @on(Input.Submitted)
    def search(self) -> None:
        topic = self.query_one("#topic", Input).value.strip() or None
        language = self.query_one("#language", Input).value.strip() or None
        words = self.query_one("#words", Input).value.strip()
        if not (topic or language or words):
            self._status("Type a topic, a language or some words first.")
            return
        self._status("Searching…")
        self.run_search(topic, language, words)

    @work(thread=True, exclusive=True, group="repo-search")
    def run_search(self, topic: str | None, language: str | None, words: str) -> None:
        try:
            hits = self.onboard.forge.search_repositories(topic, language, words)
        except ForgeError as error:
            self.post_message(self.Found(None, str(error)))
            return
        self.post_message(self.Found(hits, None))

    @on(Found)
    def show_hits(self, message: Found) -> None:
        table = self.query_one("#hits", FittedTable)
        self._hits.clear()
        if message.error is not None:
            table.set_rows([])
            self._status(message.error)
            return
        hits = message.hits or []
        rows: list[FittedRow] = []
        for hit in hits:
            count = "?" if hit.good_first_issues is None else str(hit.good_first_issues)
            if hit.good_first_issues is not None and not hit.good_first_issues_exact:
                count += "+"
            cells = [
                safe_text(hit.repo.full_name, max_length=200),
                safe_text(hit.language or "—", max_length=40),
                Text(count, justify="right"),
                Text(f"{hit.stars:,}", justify="right"),
                Text(ago(hit.pushed_at)),
            ]
            rows.append(FittedRow(key=self._hits.add(hit.repo.full_name, hit), cells=cells))
        table.set_rows(rows)
        plural = "y" if len(hits) == 1 else "ies"
        self._status(
            f"{len(hits)} repositor{plural} with open beginner issues. Enter chooses one."
            if hits
            else "No repository matches with open beginner issues. Try a broader topic."
        )
        if hits:
            table.focus()

    def _status(self, text: str) -> None:
        self.query_one("#search-status", Static).update(safe_text(text, one_line=False))

    @on(DataTable.RowHighlighted, "#hits")
    def show_hit(self, event: DataTable.RowHighlighted) -> None:
        hit = self._hits.get(event.row_key.value)
        if hit is None:
            return
        about = Text(end="")
        about.append_text(safe_text(hit.repo.full_name, style="bold"))
        about.append("\n")
        about.append_text(safe_text(hit.description or "(no description)", one_line=False))
        if hit.topics:
            about.append("\n")
            about.append_text(safe_text("topics: " + ", ".join(hit.topics), style="dim"))
        self.query_one("#hit-about", Static).update(about)
        self.query_one("#hit-readiness", ReadinessView).show_repo(hit.repo)

    @on(DataTable.RowSelected, "#hits")
    def choose(self, event: DataTable.RowSelected) -> None:
        hit = self._hits.get(event.row_key.value)
        if hit is not None:
            self.app.pop_screen()
            self.onboard.choose_project(hit.repo)

    def action_focus_topic(self) -> None:
        self.query_one("#topic", Input).focus()

    def action_back(self) -> None:
        self.app.pop_screen()
