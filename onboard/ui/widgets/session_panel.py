"""Guided mode's agenda, always on screen: the time box you are in and the checkpoint to reach.

Wide terminals get a column on the right with the whole agenda; narrow ones a two-line strip
above the footer, so the learner's work keeps its room. The panel draws what the app's last
checkpoint poll produced (:attr:`OnboardApp.guided`); it never reads state or runs git itself.
Everything from the session file is the mentor's text, shown as inert text.
"""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.css.query import NoMatches
from textual.widgets import Static

from onboard.core.barriers import BARRIERS
from onboard.core.journey import Status
from onboard.core.sessions.guided import GuidedView, clock_text
from onboard.core.text.timefmt import ago
from onboard.flows.session_poll import SessionSnapshot
from onboard.ui.safe import safe_text

_MARKS = {Status.DONE: "✓", Status.CURRENT: "●", Status.TODO: "○"}
_STYLES = {Status.DONE: "green", Status.CURRENT: "bold", Status.TODO: "dim"}
STUCK_KEY = "F4"


def _clock(view: GuidedView) -> Text:
    text = Text(end="")
    if view.starts_in is not None:
        text.append(f"starts in {clock_text(view.starts_in)}", style="bold")
    elif view.session.total_minutes:
        text.append(f"{clock_text(view.elapsed)} of {clock_text(view.session.total_minutes)}")
    else:
        text.append(f"{clock_text(view.elapsed)} so far")
    text.append(f" · {view.reached} of {len(view.statuses)} checkpoints", style="dim")
    return text


def _now(view: GuidedView, *, one_line: bool) -> Text:
    text = Text(end="")
    if view.current is None:
        text.append("✓ Every checkpoint reached. Well done!", style="bold green")
        if not one_line:
            text.append("\nSend your mentor your report: Ctrl+P, then 'Export my progress report'.")
        return text
    text.append("Now: ", style="bold")
    text.append_text(safe_text(view.current.title, style="bold", max_length=120))
    if not one_line:
        text.append("\n  ")
        text.append_text(safe_text(view.current.evidence, style="dim", max_length=200))
    if view.behind_by:
        text.append("\n" if not one_line else " · ")
        text.append(f"{view.behind_by} min past the plan: ask for help?", style="yellow")
    return text


def _stuck(snapshot: SessionSnapshot, *, one_line: bool) -> Text:
    text = Text(end="")
    event = snapshot.open_stuck
    if event is not None:
        barrier = BARRIERS.get(event.barrier or "", "")
        text.append(f"Waiting for help (asked {ago(event.at)})", style="bold yellow")
        if barrier and not one_line:
            text.append(f" ({barrier.lower()})", style="yellow")
        text.append(f" · {STUCK_KEY}: I'm unstuck", style="dim")
        return text
    text.append(f"Stuck? {STUCK_KEY}", style="bold")
    help_ = snapshot.view.session.help
    if help_ is not None and not one_line:
        text.append(" · ")
        text.append_text(safe_text(help_.name, style="dim", max_length=120))
    return text


def _agenda(view: GuidedView) -> Table:
    """One row per time box: its mark, its title (wrapped under itself), its minutes."""
    table = Table.grid(padding=(0, 1))
    table.add_column(width=1)
    table.add_column(ratio=1, overflow="fold")
    table.add_column(justify="right", style="dim")
    for row in view.rows:
        skipped = row.checkpoint is not None and row.checkpoint.skipped
        style = "dim" if skipped else _STYLES[row.status]
        title = safe_text(row.item.title, style=style, max_length=80)
        if skipped:  # the project has no such step (no tests): say so, do not tick it
            title.append(" (skipped: not in this project)", style="dim italic")
        mark = "–" if skipped else _MARKS[row.status]
        table.add_row(Text(mark, style=style), title, f"{row.item.minutes}′")
    return table


def render_full(snapshot: SessionSnapshot) -> Group:
    view = snapshot.view
    text = safe_text(view.session.title, style="bold", max_length=120)
    text.append("\n")
    text.append_text(_clock(view))
    text.append("\n")
    parts: list[RenderableType] = [text]
    if view.rows:
        parts.append(_agenda(view))
    text = Text("\n", end="")
    text.append_text(_now(view, one_line=False))
    if snapshot.picks:
        text.append("\n\nMentor's picks", style="bold")
        for pick in snapshot.picks:
            text.append(f"\n#{pick.number} ", style="bold")
            text.append_text(safe_text(pick.note or str(pick.repo), max_length=120))
    parts.append(text)
    return Group(*parts)


def render_compact(snapshot: SessionSnapshot) -> Text:
    view = snapshot.view
    text = Text(end="")
    row = view.current_row
    if row is not None:
        text.append("● ", style="bold")
        text.append_text(safe_text(row.item.title, style="bold", max_length=60))
        text.append(" · ")
    text.append_text(_clock(view))
    text.append("\n")
    text.append_text(_now(view, one_line=True))
    text.append("  ")
    text.append_text(_stuck(snapshot, one_line=True))
    return text


class SessionPanel(Vertical):
    """Shows the app's latest :class:`SessionSnapshot`; the app calls :meth:`show` after polls."""

    DEFAULT_CLASSES = "panel"

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="session-full-scroll"):
            yield Static(id="session-full")
        yield Static(id="session-stuck")
        yield Static(id="session-compact")

    def on_mount(self) -> None:
        self.border_title = "Session"
        snapshot = getattr(self.app, "session_snapshot", None)
        if isinstance(snapshot, SessionSnapshot):
            self.show(snapshot)
        else:
            self.query_one("#session-full", Static).update("Checking your progress…")
            self.query_one("#session-compact", Static).update("Session: checking your progress…")

    def show(self, snapshot: SessionSnapshot) -> None:
        try:
            full = self.query_one("#session-full", Static)
            stuck = self.query_one("#session-stuck", Static)
            compact = self.query_one("#session-compact", Static)
        except NoMatches:  # being composed (on_mount draws the latest) or being removed
            return
        full.update(render_full(snapshot))
        stuck.update(_stuck(snapshot, one_line=False))
        compact.update(render_compact(snapshot))
