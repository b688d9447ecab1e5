"""The web server behind ``onboard serve``: textual-serve's, made safe for a workshop room.

textual-serve starts a fresh ``python -m onboard`` for each browser tab. This server starts it
in the profile of the learner whose cookie the browser sent (``POST /join`` makes one), serves
the mentor's dashboard at ``/mentor`` to whoever opened the printed secret address, refuses the
requests that could let another web site drive those apps (see :meth:`WorkshopServer.refusal`),
links pages to the address the browser used, and ends every tab's app when it stops. A module of
its own because it subclasses textual-serve's server: aiohttp and textual-serve are imported
only by ``onboard serve``, never by the other commands.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import logging
import os
import signal
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import aiohttp_jinja2
from aiohttp import web
from textual_serve.app_service import AppService
from textual_serve.server import Server, log, to_int

from onboard.cli.serve import is_loopback, is_wildcard
from onboard.core.sessions.room import SERVER_SECRETS, RoomInputError, learner_environment
from onboard.flows.room import Learner, Room

#: Seconds to wait for every tab's app to quit, and its browser to close the connection, before
#: saying so; aiohttp then waits up to a minute more before cancelling what is left.
STOP_GRACE = 10.0

#: onboard's own page (``app_index.html``): nothing from another site, so it works offline.
PAGE_TEMPLATES = Path(__file__).with_name("web_page")

#: The cookies that bring a learner back to their profile, and the mentor to the dashboard.
#: HttpOnly (no script reads them), SameSite=Strict (no other site's page sends them).
LEARNER_COOKIE = "onboard_learner"
MENTOR_COOKIE = "onboard_mentor"
COOKIE_DAYS = 30


class RoomAppService(AppService):
    """textual-serve's app process, started with an environment of our choosing."""

    def __init__(self, command: str, *, environment: Mapping[str, str], **kwargs: Any) -> None:
        super().__init__(command, **kwargs)
        self.environment = environment

    def _build_environment(self, width: int = 80, height: int = 24) -> dict[str, str]:
        textual = super()._build_environment(width, height)  # the web driver's settings
        return {**self.environment, **{k: v for k, v in textual.items() if k not in os.environ}}


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
        room: Room,
        mentor_key: str,
        mentor_command: str,
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
        self.room = room
        self.practice = practice
        self.guided = session_title is not None
        #: In the mentor's address only: whoever has it sees every learner's progress.
        self.mentor_key = mentor_key
        self.mentor_command = mentor_command

    def initialize_logging(self) -> None:
        super().initialize_logging()
        # aiohttp's access log would print the mentor's address (its secret) for every visit.
        logging.getLogger("aiohttp.access").setLevel(logging.WARNING)

    async def _make_app(self) -> web.Application:
        app = await super()._make_app()
        app.add_routes(
            [
                web.post("/join", self.handle_join, name="join"),
                web.get("/mentor", self.handle_mentor_page, name="mentor"),
                web.get("/mentor/ws", self.handle_mentor_websocket, name="mentor-websocket"),
                web.get("/mentor/{key}", self.handle_mentor_key),
            ]
        )
        return app

    def refusal(self, request: web.Request, *, websocket: bool = False) -> str | None:
        """Why ``request`` must be refused, or None.

        On loopback the Host must be a loopback name (a DNS-rebound page has its own name), and
        a browser's websocket must come from a page of this very server: browsers always send
        ``Origin`` and web pages cannot forge it.
        """
        if self.loopback_only and not is_loopback(request.url.host or ""):
            return "this onboard server only answers to addresses of this computer"
        origin = request.headers.get("Origin")
        if origin is not None and (websocket or request.path.endswith("/ws")):
            parts = urlsplit(origin)
            if parts.netloc.lower() != request.host.lower():
                return "the app only talks to pages served by this onboard server"
        return None

    async def handle_index(self, request: web.Request) -> web.StreamResponse:
        """The join form for a new browser; the learner's own app for one that joined."""
        if reason := self.refusal(request):
            raise web.HTTPForbidden(text=reason)
        learner = await self._learner(request)
        context = await self._page_context(request, "websocket")
        context["room"] = {
            "joined": learner is not None,
            "name": learner.name if learner else "",
            "needs_code": self.room.code is not None,
            "github": not self.practice,
        }
        return aiohttp_jinja2.render_template("app_index.html", request, context)

    async def _page_context(self, request: web.Request, websocket_route: str) -> dict[str, Any]:
        if self.fixed_public_url is None:
            # Safe to set on the shared server: the context is made before any await.
            self.public_url = f"{request.scheme}://{request.host}"
        # textual-serve's own template data (undecorated: it renders nothing), which awaits
        # nothing, so the public_url read there is this request's.
        page = Server.handle_index.__wrapped__  # type: ignore[attr-defined]
        context: dict[str, Any] = await page(self, request)
        return _with_websocket(context, self.public_url, request.app.router[websocket_route])

    async def _learner(self, request: web.Request) -> Learner | None:
        secret = request.cookies.get(LEARNER_COOKIE)
        if secret is None:
            return None
        return await asyncio.to_thread(self.room.find, secret)

    async def handle_join(self, request: web.Request) -> web.StreamResponse:
        """The join form: a profile of one's own, remembered by an HttpOnly cookie."""
        if reason := self.refusal(request, websocket=True):  # a form post: same-origin only
            raise web.HTTPForbidden(text=reason)
        try:
            form = await request.json()
            if not isinstance(form, dict):
                raise ValueError
        except ValueError:
            return web.json_response({"error": "expected a JSON object: name, code"}, status=400)
        try:
            secret, learner = await asyncio.to_thread(self.room.join, form)
        except RoomInputError as error:
            return web.json_response({"error": str(error)}, status=400)
        except Exception as error:  # a full disk, the practice forge refusing: say so
            log.error("A learner could not join: %s", type(error).__name__)
            return web.json_response(
                {"error": f"the server could not make your profile ({type(error).__name__})"},
                status=500,
            )
        response = web.json_response({"name": learner.name})
        self._set_cookie(response, LEARNER_COOKIE, secret, path="/")
        return response

    def _set_cookie(self, response: web.StreamResponse, name: str, value: str, path: str) -> None:
        response.set_cookie(
            name,
            value,
            max_age=COOKIE_DAYS * 24 * 3600,
            path=path,
            httponly=True,
            samesite="Strict",
            secure=self.public_url.startswith("https:"),
        )

    async def handle_websocket(self, request: web.Request) -> web.StreamResponse:
        if reason := self.refusal(request):
            raise web.HTTPForbidden(text=reason)
        learner = await self._learner(request)
        if learner is None:
            raise web.HTTPForbidden(text="join the room first (reload the page)")
        learner = await asyncio.to_thread(self.room.ensure_account, learner)
        environment = learner_environment(os.environ, learner.profile, practice=self.practice)
        return await self._run_app(request, self.command, environment)

    # -- the mentor ---------------------------------------------------------------------------

    def _is_mentor(self, request: web.Request) -> bool:
        given = request.cookies.get(MENTOR_COOKIE, "")
        return hmac.compare_digest(given.encode(), self.mentor_key.encode())

    async def handle_mentor_key(self, request: web.Request) -> web.StreamResponse:
        """The printed mentor address: trade its secret for a cookie, and drop it from the bar."""
        if reason := self.refusal(request):
            raise web.HTTPForbidden(text=reason)
        given = request.match_info["key"]
        if not hmac.compare_digest(given.encode(), self.mentor_key.encode()):
            raise web.HTTPNotFound()
        response = web.HTTPSeeOther("/mentor")
        self._set_cookie(response, MENTOR_COOKIE, self.mentor_key, path="/mentor")
        raise response

    async def handle_mentor_page(self, request: web.Request) -> web.StreamResponse:
        if reason := self.refusal(request):
            raise web.HTTPForbidden(text=reason)
        if not self._is_mentor(request):
            raise web.HTTPForbidden(text="open the mentor address onboard serve printed")
        context = await self._page_context(request, "mentor-websocket")
        context["application"] = {"name": f"Mentor · {self.title}"}
        context["room"] = {"joined": True, "name": "", "needs_code": False, "github": False}
        return aiohttp_jinja2.render_template("app_index.html", request, context)

    async def handle_mentor_websocket(self, request: web.Request) -> web.StreamResponse:
        if reason := self.refusal(request):
            raise web.HTTPForbidden(text=reason)
        if not self._is_mentor(request):
            raise web.HTTPForbidden(text="open the mentor address onboard serve printed")
        environment = {k: v for k, v in os.environ.items() if k not in SERVER_SECRETS}
        return await self._run_app(request, self.mentor_command, environment)

    async def _run_app(
        self, request: web.Request, command: str, environment: Mapping[str, str]
    ) -> web.StreamResponse:
        """textual-serve's websocket handler, with this app's command and environment."""
        task = asyncio.current_task()
        if task is not None:
            self._tabs.add(task)
        websocket = web.WebSocketResponse(heartbeat=15)
        width = to_int(request.query.get("width", "80"), 80)
        height = to_int(request.query.get("height", "24"), 24)
        app_service: AppService | None = None
        try:
            await websocket.prepare(request)
            app_service = RoomAppService(
                command,
                environment=environment,
                write_bytes=websocket.send_bytes,
                write_str=websocket.send_str,
                close=websocket.close,
                download_manager=self.download_manager,
                debug=self.debug,
            )
            await app_service.start(width, height)
            try:
                await self._process_messages(websocket, app_service)
            finally:
                await app_service.stop()
        except asyncio.CancelledError:
            await websocket.close()
        except Exception as error:
            log.exception(error)
        finally:
            if app_service is not None:
                await app_service.stop()
            if task is not None:
                self._tabs.discard(task)
        return websocket

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
        print("Each learner joins with their name and gets their own profile and app.", flush=True)
        if self.room.code is not None:
            print("Learners need the room code you chose to join.", flush=True)
        print(f"Learners' profiles and live reports: {self.room.learners}", flush=True)
        if not self.guided:
            print(
                'Without --session, learners have no checkpoints and no F4 "I\'m stuck": the '
                "mentor dashboard shows only what they export (onboard serve --session FILE).",
                flush=True,
            )
        # Printed here only (the access log is off): whoever has it sees the whole room.
        print(
            f"Mentor dashboard (keep this address to yourself): {url}/mentor/{self.mentor_key}",
            flush=True,
        )
        print("Press Ctrl+C to stop.", flush=True)

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


def _with_websocket(context: dict[str, Any], public_url: str, route: Any) -> dict[str, Any]:
    """``context`` with the page's websocket pointed at ``route`` on ``public_url``."""
    url = f"{public_url}{route.url_for()}"
    scheme = "wss:" if public_url.startswith("https") else "ws:"
    return {**context, "app_websocket_url": scheme + url.split(":", 1)[1]}
