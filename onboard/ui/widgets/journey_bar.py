"""The row of journey stages at the top of every screen: where you are, what comes next."""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.widgets import Static

from onboard.core.journey import Journey, Stage, Status

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
        journey = getattr(self.app, "journey", None)
        if isinstance(journey, Journey):
            self.update(render_journey(journey, self.size.width or None))
