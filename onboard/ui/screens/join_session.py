"""Join a mentor session from inside the app: the file's path, checked before anything changes.

The same validation as ``onboard --session FILE`` and ``onboard session validate`` runs in a
worker (it imports jsonschema), and every problem is listed with its line, so a learner can read
it out to their mentor. Nothing about the current journey changes until the file is valid.
"""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from onboard.core.sessions.session import Session, SessionError, load_session
from onboard.ui.safe import safe_text
from onboard.ui.threads import deliver

#: Problems listed in the dialog; the rest are counted (``onboard session validate`` has all).
SHOWN_PROBLEMS = 5


class JoinSessionDialog(ModalScreen[Session | None]):
    """Dismisses with the loaded :class:`Session`, or ``None`` when cancelled."""

    CSS_PATH = "join_session.tcss"
    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]

    def __init__(self, known_packs: list[str]) -> None:
        super().__init__()
        self.known_packs = known_packs

    def compose(self) -> ComposeResult:
        with Vertical(id="join-dialog"):
            yield Static("Join a mentor session", classes="heading")
            yield Static(
                "Your mentor gives you a session file (.toml): the agenda, the checkpoints "
                "and where to ask for help. Type or paste its path.",
                classes="muted",
            )
            yield Input(placeholder="~/Downloads/workshop.toml", id="join-path")
            yield Static(id="join-error", classes="error-box")
            with Horizontal(id="join-actions"):
                yield Button("Join", id="join", variant="primary")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#join-error").display = False

    @on(Button.Pressed, "#join")
    @on(Input.Submitted, "#join-path")
    def join(self) -> None:
        text = self.query_one("#join-path", Input).value.strip()
        if not text:
            self._show_error(Text("Type the path of the session file first."))
            return
        self.query_one("#join", Button).disabled = True
        self.load(Path(text).expanduser())

    @work(thread=True, exclusive=True, group="join-session")
    def load(self, path: Path) -> None:
        try:
            session = load_session(path, known_packs=self.known_packs)
        except SessionError as error:
            lines = [str(problem) for problem in error.problems[:SHOWN_PROBLEMS]]
            more = len(error.problems) - SHOWN_PROBLEMS
            if more > 0:
                lines.append(f"… and {more} more: run `onboard session validate {path}`")
            text = safe_text("\n".join(lines), one_line=False, max_length=4000)
            deliver(self, self._show_error, text)
            return
        deliver(self, self.dismiss, session)

    def _show_error(self, text: Text) -> None:
        box = self.query_one("#join-error", Static)
        box.update(text)
        box.display = True
        self.query_one("#join", Button).disabled = False

    @on(Button.Pressed, "#cancel")
    def cancel(self) -> None:
        self.dismiss(None)
