"""The guide reader: every guide of the installed packs, with a table of contents and progress.

Reachable from every screen with F1. Progress is the furthest point scrolled in each guide,
saved in the state file, so a newcomer sees what they have already read.
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Footer, Header, MarkdownViewer, OptionList
from textual.widgets.option_list import Option, OptionDoesNotExist

from onboard.core.barriers import BARRIERS
from onboard.core.packs.loading import Guide, Pack
from onboard.core.storage.state import StateError
from onboard.ui.keys import Keys
from onboard.ui.safe import safe_markdown, safe_text

if TYPE_CHECKING:
    from onboard.ui.app import OnboardApp

READ_THRESHOLD = 0.95
SHORT_GUIDE_DELAY = 1.0


def guide_key(pack: Pack, guide: Guide) -> str:
    return f"{pack.name}/{guide.id}"


def progress_mark(fraction: float) -> Text:
    if fraction >= READ_THRESHOLD:
        return Text("✓   ", style="green")
    if fraction > 0:
        return Text(f"{round(fraction * 100):>2}% ", style="yellow")
    return Text("○   ", style="dim")


class GuideScreen(Screen[None]):
    CSS_PATH = "guide.tcss"
    KEYS_TITLE = "Guides"
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Close guides"),
        Binding("t", "toggle_contents", "Contents"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.current: tuple[Pack, Guide] | None = None
        self.progress: dict[str, float] = {}
        #: The guide each option of the list stands for (option ids come from pack data).
        self._options: Keys[tuple[Pack, Guide]] = Keys()

    @property
    def onboard(self) -> OnboardApp:
        return cast("OnboardApp", self.app)

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="guide-body"):
            yield OptionList(id="guide-list")
            yield MarkdownViewer("", show_table_of_contents=False, open_links=False, id="guide")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "Guides"
        try:
            self.progress = self.onboard.store.guide_progress()
        except StateError:
            self.progress = {}
        viewer = self.query_one("#guide", MarkdownViewer)
        self.watch(viewer, "scroll_y", self._scrolled, init=False)
        self.query_one("#guide-list", OptionList).focus()
        self.packs_loaded()

    def packs_loaded(self) -> None:
        """Fill the list once the packs are read (they load in a worker at start-up)."""
        if not self.onboard.packs_ready:
            self.query_one("#guide-list", OptionList).add_option(
                Option("Loading guides…", disabled=True)
            )
            return
        self._fill_list()
        guides = self.onboard.guides
        if guides and self.current is None:
            self.run_worker(self.open_guide(*guides[0]), exclusive=True, group="open-guide")

    def _fill_list(self) -> None:
        option_list = self.query_one("#guide-list", OptionList)
        option_list.clear_options()
        self._options.clear()
        last_pack = None
        for pack, guide in self.onboard.guides:
            if pack.name != last_pack:
                if last_pack is not None:
                    option_list.add_option(None)
                option_list.add_option(
                    Option(safe_text(pack.title, style="bold italic"), disabled=True)
                )
                last_pack = pack.name
            label = progress_mark(self.progress.get(guide_key(pack, guide), 0.0))
            label.append_text(safe_text(guide.title))
            option_list.add_option(
                Option(label, id=self._options.add(guide_key(pack, guide), (pack, guide)))
            )
        self._highlight_current()

    def _highlight_current(self) -> None:
        """Keep the open guide highlighted, so arrow keys move on from it."""
        if self.current is None:
            return
        option_list = self.query_one("#guide-list", OptionList)
        option_id = self._options.first_id(guide_key(*self.current))
        with contextlib.suppress(OptionDoesNotExist):
            index = option_list.get_option_index(option_id or "")
            if option_list.highlighted != index:
                option_list.highlighted = index

    async def open_guide(self, pack: Pack, guide: Guide) -> None:
        self.current = None  # no progress is recorded while the new text is laid out
        barrier = f" · helps with: {BARRIERS[guide.barrier].lower()}" if guide.barrier else ""
        self.sub_title = f"{guide.title}{barrier}"
        viewer = self.query_one("#guide", MarkdownViewer)
        await viewer.document.update(safe_markdown(guide.read(pack.language)))
        viewer.scroll_home(animate=False)
        self.current = (pack, guide)
        self._highlight_current()
        # A guide shorter than the screen never scrolls; once it has been on screen a moment
        # (and layout has settled), it counts as read.
        self.set_timer(SHORT_GUIDE_DELAY, self._read_if_it_fits)

    def _read_if_it_fits(self) -> None:
        viewer = self.query_one("#guide", MarkdownViewer)
        if self.current is None:
            return
        if viewer.virtual_size.height == 0:  # not laid out yet (a busy machine): look again
            self.set_timer(SHORT_GUIDE_DELAY, self._read_if_it_fits)
        elif viewer.max_scroll_y == 0:
            self._scrolled(0.0, 0.0)

    @on(OptionList.OptionSelected, "#guide-list")
    @on(OptionList.OptionHighlighted, "#guide-list")
    async def choose(self, event: OptionList.OptionSelected | OptionList.OptionHighlighted) -> None:
        chosen = self._options.get(event.option.id)
        if chosen is None:
            return
        if self.current != chosen:
            await self.open_guide(*chosen)
        if isinstance(event, OptionList.OptionSelected):
            self.query_one("#guide", MarkdownViewer).focus()

    def _scrolled(self, _old: float, new: float) -> None:
        if self.current is None:
            return
        viewer = self.query_one("#guide", MarkdownViewer)
        reach = (
            1.0
            if viewer.max_scroll_y <= 0
            else (new + viewer.size.height) / (viewer.max_scroll_y + viewer.size.height)
        )
        key = guide_key(*self.current)
        if reach > self.progress.get(key, 0.0) + 0.05 or (
            reach >= READ_THRESHOLD > self.progress.get(key, 0.0)
        ):
            self.progress[key] = reach
            try:
                self.onboard.store.record_guide_progress(key, reach)
            except StateError as error:
                self.notify(str(error), severity="error")
            self._fill_list()

    def action_toggle_contents(self) -> None:
        viewer = self.query_one("#guide", MarkdownViewer)
        viewer.show_table_of_contents = not viewer.show_table_of_contents
