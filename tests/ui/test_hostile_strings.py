"""Property test: any string a stranger can write, shown by any of onboard's widgets, is inert.

Hypothesis generates strings rich in markup brackets, escape sequences, bidi controls and
surrogate-free unicode; each is shown through the same paths the screens use (title, table
cell, option, label chip, Markdown body); notifications have their own test. One app shows every
example in turn (starting one costs far more than showing a string); it must keep
running, never act, and never pass a control character to the terminal.
"""

from __future__ import annotations

import asyncio
import contextvars
import re
from collections.abc import Coroutine, Iterator
from typing import Any, TypeVar

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from textual.app import App, ComposeResult
from textual.widgets import DataTable, Markdown, OptionList, Static
from textual.widgets.option_list import Option

from onboard.core.models import Issue, Label, RepoRef
from onboard.ui.safe import safe_markdown, safe_text
from onboard.ui.screens.issue import label_chips

NASTY = [
    "[/]", "[", "]", "[b]", "[@click=app.quit]", "[link=https://evil.example]", "[/link]",
    "\x1b", "\x1b[2J", "\x1b]0;pwned\x07", "\x1b]8;;https://evil\x1b\\", "\x1b]52;c;eA==\x07",
    "\x9b31m", "\x07", "\x00", "\r", "\u202e", "\u2066", "\u200b", "\ufeff", "**", "`", "<script>",
]  # fmt: skip
hostile = st.lists(st.one_of(st.sampled_from(NASTY), st.text(max_size=8)), max_size=12).map("".join)
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
T = TypeVar("T")


class Showcase(App[None]):
    def compose(self) -> ComposeResult:
        yield Static(id="title")
        yield OptionList(id="options")
        yield DataTable(id="table")
        yield Static(id="chips")
        yield Markdown(id="body", open_links=False)


class Shown:
    """One Showcase app, started once for every example: each string replaces the last one."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        # Textual keeps the running app in context variables: every step runs in one context.
        self.context = contextvars.copy_context()
        self.app = Showcase()
        self._running = self.app.run_test(size=(100, 30))
        self.pilot = self._run(self._running.__aenter__())
        self.screen = self.app.screen

    def _run(self, step: Coroutine[Any, Any, T]) -> T:
        return self.loop.run_until_complete(self.loop.create_task(step, context=self.context))

    def __call__(self, text: str) -> tuple[bool, str]:
        return self._run(self._show(text))

    async def _show(self, text: str) -> tuple[bool, str]:
        app, pilot = self.app, self.pilot
        app.query_one("#title", Static).update(safe_text(text))
        options = app.query_one("#options", OptionList)
        options.clear_options()
        options.add_option(Option(safe_text(text)))
        table = app.query_one("#table", DataTable)
        table.clear(columns=True)
        table.add_column("cell")
        table.add_row(safe_text(text))
        issue = Issue(RepoRef("a", "b"), 1, text, "https://x", labels=(Label(text, text),))
        app.query_one("#chips", Static).update(label_chips(issue))
        await app.query_one("#body", Markdown).update(safe_markdown(text))
        for selector in ("#title", "#options", "#table", "#chips", "#body"):
            await pilot.click(selector)  # waits for the screen before and after each click
        # The same screen, nothing pushed or switched: no string acted.
        return app.is_running and app.screen is self.screen, app.export_screenshot()

    def close(self) -> None:
        try:
            self._run(self._running.__aexit__(None, None, None))
        finally:
            self.loop.close()


@pytest.fixture(scope="module")
def show() -> Iterator[Shown]:
    """Starting an app costs far more than showing a string: one app serves every example."""
    shown = Shown()
    yield shown
    shown.close()


# Every known-nasty piece is shown at least once, together; hypothesis adds mixes of its own.
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@example("".join(NASTY))
@given(hostile)
def test_any_string_is_shown_inertly(show: Shown, text: str) -> None:
    running, screenshot = show(text)
    assert running
    assert not CONTROL.search(screenshot)
