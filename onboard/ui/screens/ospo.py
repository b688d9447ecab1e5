"""The OSPO view, for a mentor or an open source program office lead: which upstreams need
help now (``u``), and what the team gave back (``c``).

The same flows as ``onboard ospo`` run in a thread worker (they read files and ask the forge
many searches); the screen shows their results. Repository names, logins and links come from
the forge and a hand-written team file, so every cell goes through :func:`safe_text`. The
highlighted row's detail (how each signal was computed; the searches behind each count) is
shown under the table, so every number can be checked.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Input, Static

from onboard.core.ospo.queries import METRICS
from onboard.core.ospo.report import ContributionsReport
from onboard.core.ospo.signals import UpstreamNeed
from onboard.core.ospo.team import Team, TeamError, load_team
from onboard.flows.ospo import count_contributions, read_upstreams, upstream_needs
from onboard.forge.base import ForgeError
from onboard.ui.columns import ColumnSpec
from onboard.ui.keys import Keys
from onboard.ui.safe import safe_text
from onboard.ui.screens.base import JourneyScreen
from onboard.ui.threads import deliver, deliverer
from onboard.ui.widgets.fitted_table import FittedRow, FittedTable

NEED_COLUMNS = (
    ColumnSpec("repo", "Upstream", flex=2, min_width=16),
    ColumnSpec("need", "Need"),
    ColumnSpec("lanes", "Help welcome", flex=2, min_width=12),
    ColumnSpec("review", "Awaiting review", flex=1, min_width=8),
    ColumnSpec("unanswered", "No reply", flex=1, min_width=6),
    ColumnSpec("bus", "Merged by"),
)
#: Short headings of the metrics, in :data:`METRICS` order (their labels are for reports).
_HEADINGS = ("Issues opened", "Commented", "PRs opened", "Merged", "Reviews")
PEOPLE_COLUMNS = (
    ColumnSpec("login", "Person", flex=2, min_width=12),
    *(ColumnSpec(m.key, h) for m, h in zip(METRICS, _HEADINGS, strict=True)),
    ColumnSpec("shared", "Shared"),
)


class OspoScreen(JourneyScreen):
    CSS_PATH = "ospo.tcss"
    KEYS_TITLE = "OSPO view"
    AUTO_FOCUS = "#ospo-upstreams"
    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("ctrl+u", "upstreams", "Upstreams that need help"),
        Binding("ctrl+t", "contributions", "What the team gave"),
    ]

    def __init__(
        self,
        upstreams: Path | None = None,
        team: Path | None = None,
        since: date | None = None,
        until: date | None = None,
    ) -> None:
        super().__init__()
        self.start_upstreams = upstreams or Path.cwd()
        self.start_team = team
        self.since = since or date.today() - timedelta(days=90)
        self.until = until or date.today()
        self.needs: list[UpstreamNeed] = []
        self.report: ContributionsReport | None = None
        self.need_keys = Keys[int]()
        self.person_keys = Keys[int]()

    def compose_body(self) -> ComposeResult:
        with Vertical(id="ospo-body"):
            yield Static("For open source program offices", id="ospo-heading", classes="heading")
            with Horizontal(classes="ospo-form"):
                yield Static("Upstreams", classes="ospo-label")
                yield Input(
                    value=str(self.start_upstreams),
                    placeholder="a project folder, manifest, SBOM or OWNER/REPO list",
                    id="ospo-upstreams",
                )
            with Horizontal(classes="ospo-form"):
                yield Static("Team file", classes="ospo-label")
                yield Input(
                    value=str(self.start_team or ""),
                    placeholder="team.toml",
                    id="ospo-team",
                )
                yield Static("from", classes="ospo-word")
                yield Input(value=self.since.isoformat(), id="ospo-since", classes="ospo-date")
                yield Static("to", classes="ospo-word")
                yield Input(value=self.until.isoformat(), id="ospo-until", classes="ospo-date")
            yield Static("", id="ospo-status", classes="status-line")
            yield FittedTable(NEED_COLUMNS, id="ospo-needs")
            yield FittedTable(PEOPLE_COLUMNS, id="ospo-people")
            yield Static("", id="ospo-detail")
            yield Static(
                "Enter in Upstreams (or Ctrl+U): which need help. Enter in the team file "
                "(or Ctrl+T): what your people gave back, with the searches behind each count.",
                id="ospo-hint",
                classes="muted",
            )

    def on_mount(self) -> None:
        self.query_one("#ospo-people", FittedTable).display = False
        self._set_status("Press Enter to measure the upstreams.")

    def _set_status(self, message: str, style: str = "") -> None:
        self.query_one("#ospo-status", Static).update(safe_text(message, style=style))

    # -- asking -------------------------------------------------------------------------

    @on(Input.Submitted, "#ospo-upstreams")
    def action_upstreams(self) -> None:
        path = Path(self.query_one("#ospo-upstreams", Input).value.strip()).expanduser()
        if not path.exists():
            self._set_status(f"{path} does not exist: type a folder, manifest or list.", "red")
            return
        self._show_table("#ospo-needs")
        self._set_status(f"Measuring the upstreams behind {path}…")
        self.measure(path)

    @on(Input.Submitted, "#ospo-team, #ospo-since, #ospo-until")
    def action_contributions(self) -> None:
        upstreams = Path(self.query_one("#ospo-upstreams", Input).value.strip()).expanduser()
        team_text = self.query_one("#ospo-team", Input).value.strip()
        if not team_text:
            self._set_status("Type the path of your team file (team.toml) first.", "yellow")
            self.query_one("#ospo-team", Input).focus()
            return
        try:
            since = date.fromisoformat(self.query_one("#ospo-since", Input).value.strip())
            until = date.fromisoformat(self.query_one("#ospo-until", Input).value.strip())
        except ValueError:
            self._set_status("The dates must be written YYYY-MM-DD.", "red")
            return
        if until < since:
            self._set_status(f"{until} is before {since}.", "red")
            return
        try:
            team = load_team(Path(team_text).expanduser())
        except TeamError as error:
            self._set_status(str(error), "red")
            return
        if not upstreams.exists():
            self._set_status(f"{upstreams} does not exist: type a folder, manifest or list.", "red")
            return
        self._show_table("#ospo-people")
        self._set_status(f"Counting what {len(team.people)} people gave back…")
        self.count(team, upstreams, since, until)

    def _show_table(self, which: str) -> None:
        for name in ("#ospo-needs", "#ospo-people"):
            self.query_one(name, FittedTable).display = name == which
        self.query_one(which, FittedTable).loading = True
        self.query_one("#ospo-detail", Static).update("")

    @work(thread=True, exclusive=True, group="ospo")
    def measure(self, path: Path) -> None:
        say = deliverer(self, self._set_status)
        try:
            repos, untraced = read_upstreams(path)
            if not repos:
                deliver(self, self._failed, f"No GitHub repository found behind {path}.")
                return
            needs, upstreams = upstream_needs(self.onboard.forge, repos, progress=say)
        except (ForgeError, ValueError, OSError) as error:
            deliver(self, self._failed, str(error))
            return
        notes = [f"{old} is now {new}" for old, new in upstreams.renamed.items()]
        notes += [f"{name}: {why}" for name, why in upstreams.missing.items()]
        notes += [f"{len(untraced)} dependencies not traced"] if untraced else []
        deliver(self, self._show_needs, needs, notes)

    @work(thread=True, exclusive=True, group="ospo")
    def count(self, team: Team, path: Path, since: date, until: date) -> None:
        say = deliverer(self, self._set_status)
        try:
            repos, _untraced = read_upstreams(path)
            if not repos:
                deliver(self, self._failed, f"No GitHub repository found behind {path}.")
                return
            report = count_contributions(
                self.onboard.forge,
                team,
                repos,
                since,
                until,
                progress=say,  # type: ignore[arg-type]
            )
        except (ForgeError, ValueError, OSError) as error:
            deliver(self, self._failed, str(error))
            return
        deliver(self, self._show_report, report)

    def _failed(self, message: str) -> None:
        for name in ("#ospo-needs", "#ospo-people"):
            self.query_one(name, FittedTable).loading = False
        self._set_status(message, "red")

    # -- showing ------------------------------------------------------------------------

    def _show_needs(self, needs: list[UpstreamNeed], notes: list[str]) -> None:
        self.needs = needs
        table = self.query_one("#ospo-needs", FittedTable)
        table.loading = False
        self.need_keys = Keys[int]()
        table.set_rows(
            FittedRow(key=self.need_keys.add(n.repo, i), cells=_need_cells(n))
            for i, n in enumerate(needs)
        )
        summary = f"{_plural(len(needs))}, most in need first"
        self._set_status(" · ".join([summary, *notes]))
        if needs:
            table.focus()
            self._need_detail(0)

    def _show_report(self, report: ContributionsReport) -> None:
        self.report = report
        table = self.query_one("#ospo-people", FittedTable)
        table.loading = False
        rows = report.person_rows()
        self.person_keys = Keys[int]()
        table.set_rows(
            FittedRow(key=self.person_keys.add(str(r["login"]), i), cells=_person_cells(r))
            for i, r in enumerate(rows)
        )
        notes = [f"{old} is now {new}" for old, new in report.renamed.items()]
        summary = (
            f"{report.since} to {report.until} over {_plural(len(report.upstreams))}; "
            "≥ is a lower bound"
        )
        self._set_status(" · ".join([summary, *notes]))
        if rows:
            table.focus()
            self._person_detail(0)

    @on(DataTable.RowHighlighted, "#ospo-needs")
    def need_highlighted(self, event: DataTable.RowHighlighted) -> None:
        index = self.need_keys.get(event.row_key.value)
        if index is not None:
            self._need_detail(index)

    @on(DataTable.RowHighlighted, "#ospo-people")
    def person_highlighted(self, event: DataTable.RowHighlighted) -> None:
        index = self.person_keys.get(event.row_key.value)
        if index is not None:
            self._person_detail(index)

    def _need_detail(self, index: int) -> None:
        if not 0 <= index < len(self.needs):
            return
        need = self.needs[index]
        text = Text(end="")
        for signal in need.signals:
            if text:
                text.append("\n")
            text.append(f"{signal.label}: ", style="bold")
            text.append_text(safe_text(signal.value))
            text.append(f"  ({signal.how})", style="dim")
        for problem in need.problems:
            text.append("\n")
            text.append_text(safe_text(f"note: {problem}", style="yellow", max_length=300))
        self.query_one("#ospo-detail", Static).update(text)

    def _person_detail(self, index: int) -> None:
        rows = self.report.person_rows() if self.report else []
        if not 0 <= index < len(rows):
            return
        row = rows[index]
        text = Text(end="")
        upstreams = row["upstreams"]
        assert isinstance(upstreams, dict)
        for repo, per in upstreams.items():
            if text:
                text.append("\n")
            text.append_text(safe_text(repo, style="bold"))
            done = ", ".join(f"{m.label} {per[m.key]}" for m in METRICS if per[m.key])
            text.append(f": {done}")
        if not upstreams:
            text.append("No activity found in these upstreams over this range.", style="dim")
        searches = row["searches"]
        assert isinstance(searches, dict)
        asked = sum(len(urls) for urls in searches.values())
        text.append(
            f"\n{asked} searches behind these counts (onboard ospo contributions "
            "--format md links each one).",
            style="dim",
        )
        shared = row["shared"]
        assert isinstance(shared, list)
        for link in shared:
            text.append("\nshared: ", style="bold")
            text.append_text(safe_text(link, max_length=300))
        self.query_one("#ospo-detail", Static).update(text)

    def action_back(self) -> None:
        if len(self.app.screen_stack) > 2:
            self.app.pop_screen()


def _need_cells(need: UpstreamNeed) -> tuple[Text, ...]:
    values = {signal.key: signal for signal in need.signals}

    def cell(key: str) -> Text:
        signal = values[key]
        return safe_text(signal.value, style="" if signal.enough_data else "dim italic")

    return (
        safe_text(need.repo, style="bold"),
        Text(str(need.score), style="bold red" if need.score >= 4 else "", justify="right"),
        safe_text(", ".join(need.lanes) or "-"),
        cell("awaiting_review"),
        cell("unanswered"),
        cell("bus_factor"),
    )


def _person_cells(row: dict[str, object]) -> tuple[Text, ...]:
    counts, bounds, shared = row["counts"], row["lower_bound"], row["shared"]
    assert isinstance(counts, dict) and isinstance(bounds, list) and isinstance(shared, list)
    return (
        safe_text(row["login"], style="bold"),
        *(
            Text(("≥" if m.key in bounds else "") + str(counts[m.key]), justify="right")
            for m in METRICS
        ),
        Text(str(len(shared)), justify="right"),
    )


def _plural(count: int) -> str:
    return f"{count} upstream{'s' if count != 1 else ''}"
