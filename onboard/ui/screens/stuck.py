""" "I'm stuck": say where and why, for the mentor, and see at once where to ask for help.

Being stuck is normal, and the commonest reason newcomers give up is not knowing whom to ask.
The dialog names the help channel of the session first, then records the step the learner was
at, which of the known newcomer barriers it is (so a mentor sees patterns across a room, not just
individuals) and their own words. When a "stuck" is already open it offers "I'm unstuck" instead.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, RadioButton, RadioSet, Static

from onboard.core.barriers import BARRIERS
from onboard.core.journey import STEP_TITLES, Step
from onboard.core.sessions.progress import MAX_TEXT, SessionEvent
from onboard.core.sessions.session import Session
from onboard.core.text.timefmt import ago
from onboard.ui.safe import safe_text
from onboard.ui.screens.issue import is_web_link

#: What each barrier means, in the learner's words, so they can pick one without a glossary.
BARRIER_HINTS = {
    "finding-a-task": "I don't know what to work on, or the task is unclear",
    "social-interaction": "I'm unsure how to ask, or nobody has answered",
    "previous-knowledge": "I don't know the language, tool or git command this needs",
    "documentation": "The instructions are missing, outdated or confusing",
    "technical-hurdles": "Something fails: installing, building, tests, git errors",
}


class StuckScreen(ModalScreen[SessionEvent | bool | None]):
    """Dismisses with a stuck :class:`SessionEvent`, ``True`` (unstuck now) or ``None``."""

    CSS_PATH = "stuck.tcss"
    BINDINGS = [Binding("escape", "dismiss(None)", "Close")]

    def __init__(
        self, session: Session, step: str, where: str, open_stuck: SessionEvent | None = None
    ) -> None:
        super().__init__()
        self.session = session
        self.step = step
        self.where = where
        self.open_stuck = open_stuck

    def compose(self) -> ComposeResult:
        with Vertical(id="stuck-dialog"):
            if self.open_stuck is not None:
                yield Static("Still stuck?", classes="heading")
                yield Static(self._open_text(), id="stuck-open")
            else:
                yield Static("Stuck? That is part of learning.", classes="heading")
            yield Static(self._help_text(), id="stuck-help")
            if self.open_stuck is None:
                yield Static(self._where_text(), id="stuck-where")
                with RadioSet(id="stuck-barrier"):
                    for key, title in BARRIERS.items():
                        yield RadioButton(
                            f"{title}: {BARRIER_HINTS[key]}", name=key, id=f"barrier-{key}"
                        )
                yield Input(
                    placeholder="What happened, in a few words (optional)",
                    max_length=MAX_TEXT,
                    id="stuck-text",
                )
            with Horizontal(id="stuck-actions"):
                if self.open_stuck is None:
                    yield Button("Tell my mentor", id="record", variant="primary")
                else:
                    yield Button("I'm unstuck now", id="unstuck", variant="success")
                if self._help_url():
                    yield Button("Open the help channel", id="open-help")
                yield Button("Close", id="close")

    def _help_url(self) -> str:
        help_ = self.session.help
        url = help_.url if help_ is not None else ""
        return url if is_web_link(url) or url.startswith("mailto:") else ""

    def _help_text(self) -> Text:
        text = Text(end="")
        help_ = self.session.help
        if help_ is not None:
            text.append("Where to ask: ", style="bold")
            text.append_text(safe_text(help_.name, max_length=200))
            if help_.url:
                text.append("\n  ")
                text.append_text(safe_text(help_.url, style="underline", max_length=300))
        mentor = self.session.mentor
        if mentor is not None:
            text.append("\n" if help_ is not None else "")
            text.append("Your mentor: ", style="bold")
            text.append_text(safe_text(mentor.name, max_length=100))
            if mentor.contact:
                text.append(" · ")
                text.append_text(safe_text(mentor.contact, max_length=300))
        if help_ is None and mentor is None:
            text.append("Raise your hand: your mentor is in the room.", style="bold")
        return text

    def _where_text(self) -> Text:
        try:
            title = STEP_TITLES[Step(self.step)]
        except ValueError:
            title = self.step
        text = Text("Your mentor will see that you are at ", end="")
        text.append(title.lower(), style="bold")
        text.append(". What kind of problem is it? (choose one, or none)")
        return text

    def _open_text(self) -> Text:
        event = self.open_stuck
        assert event is not None
        text = Text(f"You asked for help {ago(event.at)}", end="")
        if event.barrier in BARRIERS:
            text.append(f" ({BARRIERS[event.barrier].lower()})")
        if event.text:
            text.append(": ")
            text.append_text(safe_text(event.text, style="italic", max_length=300))
        text.append(". Solved? Tell your mentor with the button below.")
        return text

    @on(Button.Pressed, "#record")
    def record(self) -> None:
        pressed = self.query_one(RadioSet).pressed_button
        barrier = pressed.name if pressed is not None else None
        text = self.query_one("#stuck-text", Input).value.strip()
        event = SessionEvent.stuck(self.step, barrier, text, screen=self.where)
        self.notify(
            "Recorded for your mentor. " + (self.session.help.name if self.session.help else ""),
            title="Help is on its way",
        )
        self.dismiss(event)

    @on(Input.Submitted, "#stuck-text")
    def submitted(self) -> None:
        self.record()

    @on(Button.Pressed, "#unstuck")
    def unstuck(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#open-help")
    def open_help(self) -> None:
        self.app.open_url(self._help_url())

    @on(Button.Pressed, "#close")
    def close(self) -> None:
        self.dismiss(None)
