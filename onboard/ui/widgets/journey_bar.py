"""The row of journey stages at the top of every screen: where you are, what comes next."""

from __future__ import annotations

from rich.text import Text
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


def render_journey(journey: Journey) -> Text:
    text = Text(end="")
    for index, (stage, status) in enumerate(journey.stage_statuses()):
        if index:
            text.append("  ›  ", style="dim")
        text.append(f" {_MARKS[status]} {_SHORT[stage]} ", style=_STYLES[status])
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

    def refresh_journey(self) -> None:
        journey = getattr(self.app, "journey", None)
        if isinstance(journey, Journey):
            self.update(render_journey(journey))
