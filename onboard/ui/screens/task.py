"""A pack task (a contribution without an issue): what to do, and where it starts."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Markdown, Static

from onboard.core.packs import Task
from onboard.ui.safe import safe_markdown, safe_text


class TaskScreen(ModalScreen[None]):
    CSS_PATH = "task.tcss"
    BINDINGS = [Binding("escape", "dismiss", "Close")]

    def __init__(self, task: Task) -> None:
        super().__init__()
        self.contribution_task = task

    def compose(self) -> ComposeResult:
        with Vertical(id="task-dialog"):
            heading = Text(f"{self.contribution_task.lane.title} · ", style="italic", end="")
            heading.append_text(safe_text(self.contribution_task.title, style="bold"))
            yield Static(heading, classes="heading")
            yield Markdown(
                safe_markdown(self.contribution_task.description), open_links=False, id="task-text"
            )
            if self.contribution_task.link:
                link = Text("Start here: ", end="")
                link.append_text(safe_text(self.contribution_task.link, max_length=300))
                yield Static(link, id="task-link")
            yield Static("Press Esc to go back.", classes="muted")
