"""CompactFooter shows exactly what Textual's ``Footer(compact=True)`` shows, keys styled once."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import Button, Footer

from onboard.ui.widgets.compact_footer import CompactFooter

MOVES = Binding.Group("Move", compact=True)


class Frame(App[None]):
    """A screen with plain, grouped, hidden and disabled keys, and two places for the focus."""

    BINDINGS = [
        Binding("q", "quit", "Quit"),
        Binding("left", "move", "Back", group=MOVES),
        Binding("right", "move", "On", group=MOVES),
        Binding("f5", "refresh", "Refresh"),
        Binding("x", "nothing", "Hidden", show=False),
    ]

    def __init__(self, compact: bool) -> None:
        super().__init__()
        self.compact = compact

    def compose(self) -> ComposeResult:
        yield Button("one", id="one")
        yield Button("two", id="two")
        yield CompactFooter() if self.compact else Footer(compact=True)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return None if action == "refresh" else True  # shown, greyed out

    def action_move(self) -> None:
        """Nothing to move; the key is there to be shown."""


async def frames(compact: bool) -> tuple[str, str, list[set[str]]]:
    """The screen as SVG, before and after the focus moves, and every footer key's classes."""
    app = Frame(compact)
    async with app.run_test(size=(80, 6)) as pilot:
        await pilot.pause()
        first = app.export_screenshot()
        await pilot.press("tab")
        await pilot.pause()
        second = app.export_screenshot()
        classes = [set(key.classes) for key in app.query("FooterKey")]
    return first, second, classes


async def test_the_footer_looks_like_textuals_compact_footer_before_and_after_a_focus_change() -> (
    None
):
    ours = await frames(compact=True)
    textuals = await frames(compact=False)
    assert ours[0] == textuals[0]
    assert ours[1] == textuals[1]
    assert ours[2] == textuals[2]
    assert ours[2] and all("-compact" in classes for classes in ours[2])
    assert "Quit" in ours[1] and "Refresh" in ours[1] and "Hidden" not in ours[1]
