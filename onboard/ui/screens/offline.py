"""Shown when the forge cannot be reached: say so plainly and offer practice mode."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from onboard.ui.safe import safe_text


class OfflineScreen(ModalScreen[str | None]):
    """Dismisses with ``"practice"``, ``"retry"`` or ``None`` (keep going as is)."""

    CSS_PATH = "offline.tcss"
    BINDINGS = [Binding("escape", "dismiss(None)", "Close")]

    def __init__(self, reason: str, *, can_practice: bool) -> None:
        super().__init__()
        self.reason = reason
        self.can_practice = can_practice

    def compose(self) -> ComposeResult:
        with Vertical(id="offline-dialog"):
            yield Static("You seem to be offline", classes="heading")
            yield Static(safe_text(self.reason, one_line=False), id="offline-reason")
            yield Static(
                "You can still rehearse the whole journey with the practice forge: "
                "it runs on this computer and nobody sees what you do.",
                id="offline-offer",
            )
            with Horizontal(id="offline-actions"):
                if self.can_practice:
                    yield Button("Practise offline", id="practice", variant="primary")
                yield Button("Try again", id="retry")
                yield Button("Close", id="close")

    @on(Button.Pressed)
    def choose(self, event: Button.Pressed) -> None:
        self.dismiss(None if event.button.id == "close" else event.button.id)
