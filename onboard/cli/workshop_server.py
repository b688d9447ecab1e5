"""The web server behind ``onboard serve``: textual-serve's, made safe for a workshop room.

textual-serve starts a fresh ``python -m onboard`` for each browser tab. This server refuses the
requests that could let another web site drive those apps (see :meth:`WorkshopServer.refusal`),
links pages to the address the browser used, and ends every tab's app when it stops. A module of
its own because it subclasses textual-serve's server: aiohttp and textual-serve are imported
only by ``onboard serve``, never by the other commands.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from aiohttp import web
from textual_serve.server import Server

from onboard.cli.serve import is_loopback, is_wildcard

#: Seconds to wait for every tab's app to quit, and its browser to close the connection, before
#: saying so; aiohttp then waits up to a minute more before cancelling what is left.
STOP_GRACE = 10.0

#: onboard's own page (``app_index.html``): nothing from another site, so it works offline.
PAGE_TEMPLATES = Path(__file__).with_name("web_page")


class WorkshopServer(Server):
    """textual-serve's server, guarded against other web sites and stopping every tab's app."""

    def __init__(
        self,
        command: str,
        *,
        host: str,
        port: int,
        public_url: str | None = None,
        practice: bool = False,
        session_title: str | None = None,
    ) -> None:
        super().__init__(
            command,
            host=host,
            port=port,
            title=page_title(practice=practice, session_title=session_title),
            public_url=public_url,
            templates_path=PAGE_TEMPLATES,
        )
        #: None: links in the page follow the address the browser used, which is the only one
        #: that works when bound to 0.0.0.0 (textual-serve would otherwise send browsers to
        #: ``http://0.0.0.0:PORT``).
        self.fixed_public_url = public_url
        self.loopback_only = is_loopback(host)
        self._tabs: set[asyncio.Task[Any]] = set()

    def refusal(self, request: web.Request) -> str | None:
        """Why ``request`` must be refused, or None.

        On loopback the Host must be a loopback name (a DNS-rebound page has its own name), and
        a browser's websocket must come from a page of this very server: browsers always send
        ``Origin`` and web pages cannot forge it.
        """
        if self.loopback_only and not is_loopback(request.url.host or ""):
            return "this onboard server only answers to addresses of this computer"
        origin = request.headers.get("Origin")
        if origin is not None and request.path == "/ws":
            parts = urlsplit(origin)
            if parts.netloc.lower() != request.host.lower():
                return "the app only talks to pages served by this onboard server"
        return None

    async def handle_index(self, request: web.Request) -> web.StreamResponse:
        if reason := self.refusal(request):
            raise web.HTTPForbidden(text=reason)
        if self.fixed_public_url is None:
            # Safe to set on the shared server: the template reads it before any await.
            self.public_url = f"{request.scheme}://{request.host}"
        return await super().handle_index(request)

    async def handle_websocket(self, request: web.Request) -> web.StreamResponse:
        if reason := self.refusal(request):
            raise web.HTTPForbidden(text=reason)
        task = asyncio.current_task()
        if task is not None:
            self._tabs.add(task)
        try:
            return await super().handle_websocket(request)
        finally:
            if task is not None:
                self._tabs.discard(task)

    async def on_startup(self, app: web.Application) -> None:
        # textual-serve stops gracefully on SIGINT and SIGTERM; a closed terminal (SIGHUP) must
        # too, unless it was started to survive one (nohup).
        if hasattr(signal, "SIGHUP") and signal.getsignal(signal.SIGHUP) is not signal.SIG_IGN:
            with contextlib.suppress(NotImplementedError, RuntimeError):
                asyncio.get_running_loop().add_signal_handler(signal.SIGHUP, self.request_exit)
        url = self.fixed_public_url or f"http://{_url_host(self.host)}:{self.port}"
        print(f"onboard is ready at {url} (open it in a web browser).", flush=True)
        if is_wildcard(self.host):
            print(f"Other computers use this computer's address: http://ADDRESS:{self.port}")
        print("Each browser tab gets its own app. Press Ctrl+C to stop.", flush=True)

    async def on_shutdown(self, app: web.Application) -> None:
        """Ask every tab's app to quit, and wait for them: nothing is left running."""
        tabs = list(self._tabs)
        for task in tabs:
            task.cancel()  # textual-serve then sends the app "quit" and waits for it to exit
        if tabs:
            _done, pending = await asyncio.wait(tabs, timeout=STOP_GRACE)
            if pending:  # an app finishing a clone or push, or a browser slow to say goodbye
                print(
                    f"onboard: still waiting for {len(pending)} tab(s) to close "
                    "(an app may be finishing a clone or a push)...",
                    file=sys.stderr,
                    flush=True,
                )


def page_title(*, practice: bool, session_title: str | None) -> str:
    """The browser tab's title: the session a room is following, else onboard's mode.

    jinja2 (through aiohttp_jinja2's default environment) escapes HTML in the page; the
    session's title is a mentor's text, so it is also cleaned of control characters."""
    from onboard.core.text.sanitize import clean

    name = "onboard (practice)" if practice else "onboard"
    if session_title and (title := clean(session_title, one_line=True).strip()):
        return f"{title} · {name}"
    return name


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host and not host.startswith("[") else host
