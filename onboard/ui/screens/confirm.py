"""The one dialog for everything public: what happens, where, as whom, and the text, editable.

Every public action (fork, claim, review, pushing and opening a pull request) goes through
:class:`PublicActionDialog`, so the rule is the same everywhere: nothing is sent until the
button is pressed, a text with an untouched template placeholder is refused with the reason
(the dialog stays open, the text as it was), and the account it happens as is named.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static, TextArea

from onboard.core.public_actions import PublicAction, text_problem
from onboard.forge.base import ForgeError
from onboard.ui.safe import safe_text
from onboard.ui.threads import deliver


@dataclass(frozen=True)
class Confirmed:
    """What the newcomer agreed to send: the title and text as they left them."""

    title: str | None = None
    text: str | None = None


class PublicActionDialog(ModalScreen[Confirmed | None]):
    """Show a :class:`PublicAction`, let the newcomer edit its text, and return what to send."""

    CSS_PATH = "confirm.tcss"
    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]

    def __init__(
        self,
        action: PublicAction,
        *,
        heading: str,
        button: str,
        text: str | None = None,
        title: str | None = None,
        what: str = "comment",
        detail: str | None = None,
    ) -> None:
        super().__init__()
        self.action, self.heading, self.button = action, heading, button
        self.text, self.title_text, self.what = text, title, what
        #: Untrusted context shown under the summary (a repository's description).
        self.detail = detail

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.heading, classes="heading")
            yield Static(self._summary(), id="dialog-summary", classes="dialog-note")
            if self.detail:
                yield Static(safe_text(self.detail, max_length=300), classes="dialog-detail")
            if self.title_text is not None:
                yield Input(self.title_text, id="pull-title", placeholder="a short title")
            if self.text is not None:
                yield TextArea(self.text, id="dialog-text", soft_wrap=True)
                yield Static(
                    "Edit it first; nothing is sent until you press the button.",
                    classes="dialog-note",
                )
            yield Static("", id="dialog-problem", classes="dialog-problem")
            with Horizontal(classes="dialog-actions"):
                yield Button(self.button, id="confirm", variant="success")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#dialog-problem").display = False
        if self.action.who is None:
            self.find_who()

    def _summary(self) -> Text:
        text = Text("On ", end="")
        text.append_text(safe_text(self.action.where, style="bold"))
        if self.action.who:
            text.append(" as ")
            text.append_text(safe_text(self.action.who, style="bold"))
        text.append(", this ")
        text.append(self.action.consequence)
        return text

    @work(thread=True, exclusive=True, group="who")
    def find_who(self) -> None:
        """Name the signed-in account: "as whom" is part of what the newcomer agrees to."""
        forge = getattr(self.app, "forge", None)
        try:
            who = forge.whoami() if forge is not None else None
        except ForgeError:
            return
        if who:
            deliver(self, self._know_who, who)

    def _know_who(self, who: str) -> None:
        self.action = PublicAction(self.action.kind, self.action.where, who)
        self.query_one("#dialog-summary", Static).update(self._summary())

    @on(Button.Pressed, "#confirm")
    def confirm(self) -> None:
        title = (
            self.query_one("#pull-title", Input).value.strip()
            if self.title_text is not None
            else None
        )
        text = self.query_one("#dialog-text", TextArea).text if self.text is not None else None
        problem = None
        if title is not None and not title:
            problem = "A pull request needs a title."
        elif text is not None:
            problem = text_problem(text, what=self.what)
        if problem:
            box = self.query_one("#dialog-problem", Static)
            box.update(safe_text(problem, one_line=False))
            box.display = True
            self.query_one("#dialog-text" if text is not None else "#pull-title").focus()
            return
        self.dismiss(Confirmed(title, text))

    @on(Button.Pressed, "#cancel")
    def cancel(self) -> None:
        self.dismiss(None)
