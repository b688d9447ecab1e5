"""A worker's result for a screen that was just closed is dropped, never a crash (``deliver``)."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.screen import Screen
from textual.widgets import Static

from onboard.ui.threads import on_screen


class Reading(Screen[None]):
    def compose(self) -> ComposeResult:
        yield Static("reading…", id="status")


async def test_a_screen_just_popped_is_no_longer_on_screen_though_still_attached() -> None:
    app: App[None] = App()
    async with app.run_test() as pilot:
        screen = Reading()
        await app.push_screen(screen)
        status = screen.query_one("#status")
        assert on_screen(screen) and on_screen(status) and on_screen(app)
        app.pop_screen()  # Textual removes its widgets a moment later
        assert screen.is_attached  # what deliver used to check: it would call back in
        assert not on_screen(screen) and not on_screen(status)
        await pilot.pause()
        assert not on_screen(screen) and not on_screen(status)
