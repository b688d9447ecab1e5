"""The row of journey stages at the top of every screen: where you are, what comes next.

Clicking "Make the change" once there is a branch for an issue opens that screen, from
anywhere: the bar promises the step, so it leads to it.
"""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.widgets import Static

from onboard.core.journey import Journey, Stage, Status
from onboard.core.models import Issue, RepoRef

_MARKS = {Status.DONE: "✓", Status.CURRENT: "●", Status.TODO: "○"}
_STYLES = {Status.DONE: "green", Status.CURRENT: "bold reverse", Status.TODO: "dim"}
_SHORT = {
    Stage.CHOOSE: "Choose a project",
    Stage.SETUP: "Set up",
    Stage.FIND: "Find a task",
    Stage.WORK: "Make the change",
    Stage.SHARE: "Open a PR",
}
#: On a narrow terminal (80 columns) the other stages take one word; the current one stays whole.
_SHORTEST = {
    Stage.CHOOSE: "Project",
    Stage.SETUP: "Set up",
    Stage.FIND: "Find",
    Stage.WORK: "Change",
    Stage.SHARE: "PR",
}


def stage_at(text: Text, column: int) -> Stage | None:
    """The stage whose name is drawn at ``column`` of ``text`` (from :func:`render_journey`)."""
    plain = text.plain
    for names in (_SHORT, _SHORTEST):
        for stage, name in names.items():
            start = plain.find(f" {name} ")
            while start != -1:
                if start <= column < start + len(name) + 2:
                    return stage
                start = plain.find(f" {name} ", start + 1)
    return None


def render_journey(journey: Journey, width: int | None = None) -> Text:
    """The stages in ``width`` cells if given: the full names, else shorter ones, never cut."""
    text = _render(journey, "  ›  ", short=False)
    if width is None or text.cell_len <= width:
        return text
    text = _render(journey, " › ", short=False)
    if text.cell_len <= width:
        return text
    return _render(journey, " › ", short=True)


def _render(journey: Journey, separator: str, *, short: bool) -> Text:
    text = Text(end="")
    for index, (stage, status) in enumerate(journey.stage_statuses()):
        if index:
            text.append(separator, style="dim")
        name = _SHORTEST[stage] if short and status is not Status.CURRENT else _SHORT[stage]
        text.append(f" {_MARKS[status]} {name} ", style=_STYLES[status])
    return text


class JourneyBar(Static):
    """Shows the app's current :class:`Journey`; call :meth:`refresh_journey` after changes."""

    DEFAULT_CSS = """
    JourneyBar {
        height: 1;
        padding: 0 1;
        background: $boost;
    }
    """

    def on_mount(self) -> None:
        self.refresh_journey()

    def on_resize(self, _event: events.Resize) -> None:
        self.refresh_journey()

    def refresh_journey(self) -> None:
        """Redraw the stages if they changed: an update asks for a layout of the whole screen.

        Most calls (every step of a setup, every resize) find the same stages; the text's
        style lives in its spans, which ``Text`` equality compares.
        """
        journey = getattr(self.app, "journey", None)
        if isinstance(journey, Journey):
            text = render_journey(journey, self.size.width or None)
            if text != self.content:
                self.update(text)

    def on_click(self, event: events.Click) -> None:
        journey = getattr(self.app, "journey", None)
        if not isinstance(journey, Journey) or journey.issue is None or not journey.work_branch:
            return
        text = render_journey(journey, self.content_size.width or None)
        if stage_at(text, event.x - self.styles.padding.left) is not Stage.WORK:
            return
        from onboard.ui.screens.change import ChangeScreen

        if isinstance(self.screen, ChangeScreen):
            return
        shown = getattr(self.screen, "issue", None)
        if isinstance(shown, Issue) and shown.number == journey.issue:
            self.app.push_screen(ChangeScreen(shown))
        else:
            open_change = getattr(self.app, "open_make_change", None)
            if open_change is not None:
                open_change(RepoRef.parse(journey.project or ""), journey.issue)
