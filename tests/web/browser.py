"""What the web tests read and do in a real browser tab: the app's output, and joining a room.

xterm.js draws the terminal on a canvas, so there is no text in the DOM to read. What the app
*sent* is read instead: every websocket frame the page received, joined and stripped of escape
sequences. That is exactly what xterm drew, and the page's own ``-first-byte`` class proves xterm
received it.
"""

from __future__ import annotations

import re
import time

from playwright.sync_api import BrowserContext, Page, WebSocket

DEADLINE = 20.0

#: CSI, OSC (ended by BEL or ST) and two-byte escape sequences: what a terminal does not print.
_ESCAPES = re.compile(rb"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-_]")


class Tab:
    """One browser tab on the server, with everything its app sent to the page's terminal."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.frames: list[bytes] = []
        self.sockets: list[WebSocket] = []
        page.on("websocket", self._watch)

    def _watch(self, socket: WebSocket) -> None:
        self.sockets.append(socket)
        socket.on("framereceived", self._received)

    def _received(self, payload: str | bytes) -> None:
        if isinstance(payload, bytes):  # app output; text frames are pings and pongs
            self.frames.append(payload)

    def screen_text(self) -> str:
        return _ESCAPES.sub(b"", b"".join(self.frames)).decode("utf-8", errors="replace")

    def forget(self) -> None:
        """Drop what was shown so far: the next wait only sees what comes after."""
        self.frames.clear()

    def wait_for_text(self, *wanted: str, deadline: float = DEADLINE) -> str:
        """Poll (letting Playwright deliver events) until every text arrived, or fail."""
        until = time.monotonic() + deadline
        while True:
            text = self.screen_text()
            missing = [w for w in wanted if w not in text]
            if not missing:
                return text
            if time.monotonic() > until:
                raise AssertionError(f"never shown: {missing}; the tab got:\n{text[-2000:]}")
            self.page.wait_for_timeout(100)


def open_tab(browser: BrowserContext, url: str) -> Tab:
    tab = Tab(browser.new_page())
    tab.page.goto(url, wait_until="domcontentloaded")  # fonts from the web never load here
    return tab


def send_join_form(tab: Tab, name: str, code: str | None = None) -> None:
    """Fill the page's join form as a learner does (keys only: the name field has the focus)."""
    page = tab.page
    page.wait_for_selector("#name:focus")
    page.keyboard.type(name)
    if code is not None:
        page.keyboard.press("Tab")
        page.keyboard.type(code)
    page.keyboard.press("Enter")


def join(tab: Tab, name: str, code: str | None = None) -> None:
    """Join the room: the page reloads on the learner's own app."""
    send_join_form(tab, name, code)
    tab.page.wait_for_selector(".textual-terminal")


def joined_tab(browser: BrowserContext, url: str, name: str, code: str | None = None) -> Tab:
    tab = open_tab(browser, url)
    join(tab, name, code)
    return tab
