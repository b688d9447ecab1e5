"""What the newcomer knows and likes: used to rank suggestions, never shared."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, SelectionList, Static

from onboard.core.models import Lane, Preferences


class InterestsDialog(ModalScreen[Preferences | None]):
    CSS_PATH = "interests.tcss"
    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]

    def __init__(self, current: Preferences) -> None:
        super().__init__()
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(id="interests-dialog"):
            yield Static("Your interests", classes="heading")
            yield Static(
                "Suggestions that match rank higher. Nothing here leaves this computer.",
                classes="muted",
            )
            yield Static("Kinds of contribution you would enjoy:")
            yield SelectionList[str](
                *[(lane.title, lane.value, lane in self.current.lanes) for lane in Lane],
                id="interest-lanes",
            )
            yield Static("Languages you know (comma-separated):")
            yield Input(
                ", ".join(self.current.languages), placeholder="Python, Markdown", id="languages"
            )
            with Horizontal(id="interests-actions"):
                yield Button("Save", id="save", variant="success")
                yield Button("Cancel", id="cancel")

    @on(Button.Pressed, "#save")
    def save(self) -> None:
        lanes = tuple(Lane(value) for value in self.query_one(SelectionList).selected)
        text = self.query_one("#languages", Input).value
        languages = tuple(dict.fromkeys(part.strip() for part in text.split(",") if part.strip()))
        self.dismiss(Preferences(languages, lanes))

    @on(Button.Pressed, "#cancel")
    def cancel(self) -> None:
        self.dismiss(None)
