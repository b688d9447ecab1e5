"""Hand a thread worker's result back to a screen that may have closed meanwhile.

A newcomer can press Esc while a worker still reads the forge. Textual cancels the screen's
workers when it closes, but a thread cannot be interrupted: it finishes and calls back into a
screen whose widgets are gone, and ``query_one`` raises ``NoMatches`` on the UI thread (a crash).
``deliver`` drops such a late callback instead, unless it carries news the user must hear (a
comment posted, a pull request opened): that goes to the app's notifications.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.dom import DOMNode, NoScreen
from textual.screen import Screen


def deliver(
    node: DOMNode,
    callback: Callable[..., object],
    *args: Any,
    news: str | None = None,
    **kwargs: Any,
) -> None:
    """From a worker thread: run ``callback`` on the UI thread if ``node`` is still on screen.

    ``news`` is told through the app when the node has gone, so a result is never lost.
    """
    app = node.app

    def run() -> None:
        if on_screen(node):
            callback(*args, **kwargs)
        elif news:
            app.notify(news)

    app.call_from_thread(run)


def on_screen(node: DOMNode) -> bool:
    """Whether ``node`` belongs to a screen still on the app's stack.

    A popped screen stays attached for a moment while Textual removes its widgets, so
    ``is_attached`` alone lets a callback in that finds no widgets to update.
    """
    if node is node.app:
        return node.app.is_running
    if not node.is_attached:
        return False
    try:
        screen = node if isinstance(node, Screen) else node.screen
    except NoScreen:
        return False
    return screen in node.app.screen_stack


def deliverer(node: DOMNode, callback: Callable[[Any], object]) -> Callable[[Any], None]:
    """A one-argument progress callback for flows: ``deliver`` bound to a node and a callback."""
    return lambda value: deliver(node, callback, value)
