"""A guide from a pack, rendered as Markdown with a table of contents."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Header, MarkdownViewer

from onboard.core.packs import Guide
from onboard.ui.safe import safe_markdown


class GuideScreen(Screen[None]):
    CSS_PATH = "guide.tcss"
    BINDINGS = [Binding("escape", "app.pop_screen", "Close guide")]

    def __init__(self, guide: Guide) -> None:
        super().__init__()
        self.guide = guide

    def compose(self) -> ComposeResult:
        yield Header()
        yield MarkdownViewer(
            safe_markdown(self.guide.read()),
            show_table_of_contents=True,
            open_links=False,
            id="guide",
        )
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = self.guide.title
        self.query_one(MarkdownViewer).focus()
