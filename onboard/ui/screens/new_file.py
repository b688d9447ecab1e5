"""Asking for a new file's place in the clone: a translated page, a news fragment.

Only a path inside the clone is accepted (no ``..``, nothing in ``.git``); the file is created
empty by :func:`create_in_clone` and then opened in the in-app editor.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from onboard.ui.safe import safe_text


def path_problem(text: str) -> str | None:
    """Why ``text`` cannot be a new file's path relative to the clone, or None."""
    relative = PurePosixPath(text.strip())
    if not text.strip() or relative.is_absolute():
        return "Write the file's path inside your clone, such as docs/fr/index.md."
    if ".." in relative.parts or ".git" in relative.parts or any(ord(char) < 32 for char in text):
        return "The file must be inside your clone (no .., not in .git)."
    return None


def create_in_clone(clone: Path, text: str) -> Path:
    """Create (if new) the empty file ``text`` inside ``clone``, with its folders."""
    problem = path_problem(text)
    if problem:
        raise ValueError(problem)
    target = (clone / text.strip()).resolve()
    if not target.is_relative_to(clone.resolve()):
        raise ValueError("The file must be inside your clone.")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.touch(exist_ok=True)
    return target


class NewFileDialog(ModalScreen[str | None]):
    CSS_PATH = "new_file.tcss"
    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]

    def __init__(self, suggestion: str = "") -> None:
        super().__init__()
        self.suggestion = suggestion

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="new-file-dialog"):
            yield Static("A new file in your clone", classes="heading")
            yield Input(self.suggestion, placeholder="docs/fr/index.md", id="new-file-path")
            yield Static("Enter creates it and opens it here; Esc cancels.", classes="dialog-note")
            yield Static("", id="new-file-problem", classes="dialog-problem")

    @on(Input.Submitted, "#new-file-path")
    def submitted(self, event: Input.Submitted) -> None:
        problem = path_problem(event.value)
        if problem:
            self.query_one("#new-file-problem", Static).update(safe_text(problem))
            return
        self.dismiss(event.value.strip())
