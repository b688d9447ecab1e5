"""Dialogs that show exactly what will be written in public, editable, before anything is sent."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static, TextArea

from onboard.ui.safe import safe_text


class CommentDialog(ModalScreen[str | None]):
    """Edit a comment, then post it (dismisses with the text) or cancel (``None``)."""

    CSS_PATH = "confirm.tcss"
    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]

    def __init__(self, heading: str, where: str, text: str, *, action: str) -> None:
        super().__init__()
        self.heading, self.where, self.text, self.action = heading, where, text, action

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.heading, classes="heading")
            note = Text("This will be posted publicly on ", end="")
            note.append_text(safe_text(self.where, style="bold"))
            note.append(". Edit it first; nothing is sent until you press the button.")
            yield Static(note, classes="dialog-note")
            yield TextArea(self.text, id="dialog-text", soft_wrap=True)
            with Horizontal(classes="dialog-actions"):
                yield Button(self.action, id="confirm", variant="success")
                yield Button("Cancel", id="cancel")

    @on(Button.Pressed, "#confirm")
    def confirm(self) -> None:
        self.dismiss(self.query_one("#dialog-text", TextArea).text)

    @on(Button.Pressed, "#cancel")
    def cancel(self) -> None:
        self.dismiss(None)


class PullDialog(ModalScreen[tuple[str, str] | None]):
    """Title and description of a draft pull request, confirmed before pushing and opening it."""

    CSS_PATH = "confirm.tcss"
    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]

    def __init__(self, where: str, branch: str, title: str, body: str) -> None:
        super().__init__()
        self.where, self.branch, self.title_text, self.body = where, branch, title, body

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("Open a draft pull request", classes="heading")
            note = Text("onboard will push branch ", end="")
            note.append_text(safe_text(self.branch, style="bold"))
            note.append(" to your fork and open a draft pull request on ")
            note.append_text(safe_text(self.where, style="bold"))
            note.append(". Drafts invite early feedback and are not merged.")
            yield Static(note, classes="dialog-note")
            yield Input(self.title_text, id="pull-title")
            yield TextArea(self.body, id="dialog-text", soft_wrap=True)
            with Horizontal(classes="dialog-actions"):
                yield Button("Push and open draft", id="confirm", variant="success")
                yield Button("Cancel", id="cancel")

    @on(Button.Pressed, "#confirm")
    def confirm(self) -> None:
        title = self.query_one("#pull-title", Input).value.strip()
        if title:
            self.dismiss((title, self.query_one("#dialog-text", TextArea).text))

    @on(Button.Pressed, "#cancel")
    def cancel(self) -> None:
        self.dismiss(None)
