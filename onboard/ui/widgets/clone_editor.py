"""The in-app editor: a clone's files beside a code editor, for web mode and for anyone
without an editor of their own — enough to fix a typo, translate a page, change a few lines.

Files are the learner's own, but their contents came from strangers: a file holding terminal
control characters is refused (shown cleaned it would be saved changed), as are binary and huge
files; those are for a real editor.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Self

from rich.text import Text, TextType
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import DirectoryTree, Static, TextArea
from textual.widgets.directory_tree import DirEntry
from textual.widgets.text_area import LanguageDoesNotExist
from textual.widgets.tree import TreeNode

from onboard.core.storage.paths import display_path
from onboard.ui.safe import safe_text

#: Larger files are refused: TextArea holds the whole text, and no typo fix needs a megabyte.
MAX_BYTES = 512 * 1024
#: Control characters other than tab, line feed, carriage return and form feed.
_CONTROL = re.compile(rb"[\x00-\x08\x0b\x0e-\x1f\x7f]")
#: TextArea's built-in languages by file extension (highlighted when textual[syntax] is there).
LANGUAGES: dict[str, str] = {
    ".py": "python",
    ".md": "markdown",
    ".markdown": "markdown",
    ".json": "json",
    ".toml": "toml",
    ".yml": "yaml",
    ".yaml": "yaml",
    ".html": "html",
    ".htm": "html",
    ".css": "css",
    ".js": "javascript",
    ".mjs": "javascript",
    ".rs": "rust",
    ".go": "go",
    ".sql": "sql",
    ".java": "java",
    ".sh": "bash",
    ".bash": "bash",
    ".xml": "xml",
}


def language_for(path: Path) -> str | None:
    return LANGUAGES.get(path.suffix.lower())


def load_problem(path: Path, data: bytes) -> str | None:
    """Why ``data`` (the file at ``path``) is not for the in-app editor, or None."""
    if len(data) > MAX_BYTES:
        return f"{path.name} is {len(data) // 1024:,} KB: too big here. Open it in your editor."
    if b"\0" in data[:8192]:
        return f"{path.name} is a binary file: it cannot be edited as text."
    if _CONTROL.search(data):
        return f"{path.name} holds terminal control characters: open it in your own editor."
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return f"{path.name} is not UTF-8 text: open it in your own editor."
    return None


#: Folders the tree leaves out: git's own (nothing to edit there, and easy to break) and what
#: tools make (a project's ``.venv`` holds thousands of files nobody edits by hand).
HIDDEN = frozenset(
    {".git", ".venv", "node_modules", "__pycache__", ".tox", ".mypy_cache", ".pytest_cache"}
)


class CloneTree(DirectoryTree):
    """The clone's files, without git's folder and tools' caches."""

    def __init__(self, path: Path, **kwargs: object) -> None:
        super().__init__(path, **kwargs)  # type: ignore[arg-type]
        self.root.set_label(safe_text(display_path(path)))

    def filter_paths(self, paths: Iterable[Path]) -> Iterable[Path]:
        return [path for path in paths if path.name not in HIDDEN]

    def reset_node(
        self, node: TreeNode[DirEntry], label: TextType, data: DirEntry | None = None
    ) -> Self:
        """The root is named as the rest of onboard names paths: ``~/…``, no user name."""
        if node is self.root:
            label = safe_text(display_path(str(label)))
        return super().reset_node(node, label, data)


class CloneEditor(Vertical):
    """One file of the clone at a time, saved with Ctrl+S; says when changes are unsaved."""

    class Saved(Message):
        def __init__(self, path: Path) -> None:
            super().__init__()
            self.path = path

    def __init__(self, clone: Path, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.clone = clone.resolve()
        self.path: Path | None = None
        self.saved_text = ""

    def compose(self) -> ComposeResult:
        yield Static("Choose a file on the left to edit it here.", id="editor-file")
        yield TextArea.code_editor("", id="editor-text", read_only=True, soft_wrap=True)

    @property
    def text_area(self) -> TextArea:
        return self.query_one("#editor-text", TextArea)

    @property
    def dirty(self) -> bool:
        return self.path is not None and self.text_area.text != self.saved_text

    def open(self, path: Path) -> str | None:
        """Show ``path`` for editing; returns why not (and keeps the current file) if refused."""
        target = path.resolve()
        if not target.is_relative_to(self.clone) or not target.is_file():
            return "Only files inside your clone can be edited here."
        if self.dirty:
            return "Save your changes first (Ctrl+S), or undo them (Ctrl+Z)."
        try:
            data = target.read_bytes()
        except OSError as error:
            return f"{target.name} could not be read: {error.strerror or error}"
        problem = load_problem(target, data)
        if problem:
            return problem
        area = self.text_area
        area.load_text(data.decode("utf-8"))
        language = language_for(target)
        try:
            area.language = language if language in area.available_languages else None
        except LanguageDoesNotExist:  # a grammar missing after all: plain text will do
            area.language = None
        area.read_only = False
        self.path = target
        self.saved_text = area.text
        self._show_name()
        area.focus()
        return None

    def save(self) -> str | None:
        """Write the file; returns why it failed, or None."""
        if self.path is None:
            return "Choose a file first."
        text = self.text_area.text
        try:
            with self.path.open("w", encoding="utf-8", newline="") as handle:
                handle.write(text)
        except OSError as error:
            return f"{self.path.name} could not be saved: {error.strerror or error}"
        self.saved_text = text
        self._show_name()
        self.post_message(self.Saved(self.path))
        return None

    @on(TextArea.Changed, "#editor-text")
    def _changed(self) -> None:
        self._show_name()

    def _show_name(self) -> None:
        if self.path is None:
            return
        name = Text(end="")
        name.append_text(safe_text(str(self.path.relative_to(self.clone)), style="bold"))
        if self.dirty:
            name.append("  ● unsaved (Ctrl+S saves)", style="yellow")
        else:
            name.append("  saved", style="green")
        self.query_one("#editor-file", Static).update(name)
