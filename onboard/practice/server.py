"""The practice forge's HTTP pipeline: auth, rate windows, faults, ETags, the route table.

Requests flow through :meth:`ForgeApp.handle`, which is independent of the socket layer
(:mod:`.httpd`): it authenticates, charges the caller's rate-limit window, dispatches to a route,
turns failures into GitHub's error bodies, adds the conditional-request machinery and records the
request. The routes themselves live in :mod:`.routes`, one module a resource; this module adds
its own ``/rate_limit``, since the windows are the pipeline's. The forge must never crash on bad
input, because every test and every learner relies on it, so every exception becomes a JSON 500
and the server keeps serving.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import hashlib
import re
import secrets
import threading
import time
import traceback
from dataclasses import dataclass
from http import HTTPStatus
from pathlib import Path

from onboard.practice import payloads
from onboard.practice.context import ForgeContext
from onboard.practice.exchange import JSON_TYPE, ApiError, Request, Response, Route, Routes
from onboard.practice.faults import REFUSING, Fault, Faults
from onboard.practice.routes import ROUTES
from onboard.practice.store import RateWindow, Store

RATE_DOCS = "https://docs.github.com/rest/overview/resources-in-the-rest-api#rate-limiting"
SECONDARY_DOCS = (
    "https://docs.github.com/free-pro-team@latest/rest/overview/rate-limits-for-the-rest-api"
    "#about-secondary-rate-limits"
)
VARY = "Accept, Authorization, Cookie, X-GitHub-OTP,Accept-Encoding, Accept, X-Requested-With"
EXPOSE = (
    "ETag, Link, Location, Retry-After, X-GitHub-OTP, X-RateLimit-Limit, X-RateLimit-Remaining, "
    "X-RateLimit-Used, X-RateLimit-Resource, X-RateLimit-Reset, X-OAuth-Scopes, "
    "X-Accepted-OAuth-Scopes, X-Poll-Interval, X-GitHub-Media-Type, X-GitHub-SSO, "
    "X-GitHub-Request-Id, Deprecation, Sunset"
)
#: Top-level path words that are API routes, never ``/{owner}/{repo}`` web pages.
RESERVED = {
    "repos",
    "repositories",
    "users",
    "user",
    "search",
    "rate_limit",
    "orgs",
    "graphql",
    "_avatars",
}


def resource_of(path: str) -> str:
    """The rate-limit window a request to ``path`` counts against, named as GitHub names it."""
    if path.startswith("/search/"):
        return "search"
    if path.rstrip("/") == "/graphql":
        return "graphql"
    return "core"


@dataclass(frozen=True)
class RequestRecord:
    """One served request, as tests and the admin view see it.

    ``fault`` names the fault mode that hit the request (see :mod:`.faults`); a ``reset``
    request got no response at all and is recorded with ``status`` 0.
    """

    method: str
    path: str
    query: dict[str, list[str]]
    status: int
    authenticated: bool
    error: str | None = None
    fault: str | None = None


@dataclass
class Limits:
    """Rate limits per window; tests shrink them to reach exhaustion quickly."""

    core: int = 5000
    anonymous_core: int = 60
    search: int = 30
    anonymous_search: int = 10
    #: GraphQL points per hour; GitHub's GraphQL API has no anonymous allowance at all.
    graphql: int = 5000
    core_period: int = 3600
    search_period: int = 60


#: The pipeline's own routes, matched before :data:`~onboard.practice.routes.ROUTES`:
#: ``/rate_limit`` reads the rate windows, which are the pipeline's.
_PIPELINE_ROUTES = Routes()


# ---------------------------------------------------------------------------- the application


class ForgeApp(ForgeContext):
    """GitHub's REST semantics over a :class:`Store` and a directory of bare git repositories.

    The app is the :class:`ForgeContext` its route handlers are given, plus the pipeline around
    them: latency, faults, the request log, and the route table.
    """

    def __init__(self, store: Store, git_root: Path, limits: Limits) -> None:
        super().__init__(store, git_root)
        self.limits = limits
        #: Seconds added to every HTTP response (simulated network round trip).
        self.latency = 0.0
        self.faults = Faults()
        self._log: list[RequestRecord] = []
        self._log_lock = threading.Lock()
        self._routes: tuple[Route, ...] = (*_PIPELINE_ROUTES, *ROUTES)

    # ------------------------------------------------------------------ request log

    @property
    def requests(self) -> list[RequestRecord]:
        with self._log_lock:
            return list(self._log)

    def clear_requests(self) -> None:
        with self._log_lock:
            self._log.clear()

    def _record(
        self, req: Request, status: int, error: str | None = None, fault: str | None = None
    ) -> None:
        record = RequestRecord(
            req.method, req.raw_path, req.query, status, req.viewer is not None, error, fault
        )
        with self._log_lock:
            self._log.append(record)

    # ------------------------------------------------------------------ routing

    def _match(self, method: str, path: str) -> tuple[Route, dict[str, str]] | None:
        for route in self._routes:
            params = route.match(method, path)
            if params is None:
                continue
            if route.web_page and params["owner"] in RESERVED:
                continue
            return route, params
        return None

    def _rewrite_repository_id(self, path: str) -> str:
        """``/repositories/{id}/...`` (used in GitHub's Link headers) -> ``/repos/{o}/{r}/...``."""
        match = re.match(r"^/repositories/(\d+)(/.*)?$", path)
        if not match:
            return path
        record = self.store.get_repo_by_id(int(match.group(1)))
        if record is None:
            return "/repositories/missing"
        return f"/repos/{record['full_name']}{match.group(2) or ''}"

    # ------------------------------------------------------------------ the request pipeline

    def handle(self, req: Request) -> Response:
        """Serve one request completely; never raises."""
        error_text: str | None = None
        fault: Fault | None = None
        try:
            auth_ok, req.viewer = self._authenticate(req.headers.get("authorization"))
            fault = self.faults.take(req.method, req.path)
            self.maintainer.tick()  # what is due happens before anyone can see it
            if fault is not None and fault.kind in REFUSING:
                response = self._refuse(req, fault)
            else:
                response = self._handle(req, auth_ok)
                if fault is not None:
                    response = self._degrade(response, fault)
        except Exception as exc:  # the forge must keep serving whatever happens
            error_text = "".join(traceback.format_exception(exc))
            response = Response(500, payloads.error("Server Error", payloads.DOCS, 500))
            with contextlib.suppress(Exception):
                response.headers.update(self._base_headers(req))
        status = 0 if response.reset else response.status
        self._record(req, status, error_text, fault.kind if fault else None)
        return response

    def _refuse(self, req: Request, fault: Fault) -> Response:
        """Answer for a fault that keeps the request from being served."""
        headers = self._base_headers(req)
        headers["Cache-Control"] = "no-cache"
        if fault.kind == "reset":
            return Response(0, None, headers, reset=True)
        if fault.kind == "unauthorized":
            body = payloads.error("Bad credentials", payloads.DOCS, 401)
            return Response(401, body, headers)
        if fault.kind in ("html", "redirect"):
            page = (
                "<!DOCTYPE html><html><head><title>Sign in to the network</title></head>"
                "<body><h1>Welcome!</h1><p>Please accept the terms to continue.</p></body></html>"
            )
            if fault.kind == "redirect":
                headers["Location"] = str(fault["location"])
            return Response(int(fault["status"]), page, headers, "text/html; charset=utf-8")
        if fault.kind == "error":
            status = int(fault["status"])
            message = fault["message"] or _reason(status)
            return Response(status, payloads.error(message, payloads.DOCS, status), headers)
        resource = resource_of(req.path)
        _key, limit, _period = self.bucket(req, resource)
        request_id = headers["X-GitHub-Request-Id"]
        if fault.kind == "rate_limit" and resource == "graphql":
            return self._graphql_rate_limited(req, headers, limit, int(fault["reset_in"]))
        if fault.kind == "rate_limit":
            who = f"user ID {self._user_id(req.viewer)}" if req.viewer else f"{req.client}"
            message = (
                f"API rate limit exceeded for {who}. If you reach out to GitHub Support for "
                f"help, please include the request ID {request_id}."
            )
            reset = int(time.time()) + int(fault["reset_in"])
            headers.update(
                {
                    "X-RateLimit-Limit": str(limit),
                    "X-RateLimit-Remaining": "0",
                    "X-RateLimit-Reset": str(reset),
                    "X-RateLimit-Used": str(limit),
                    "X-RateLimit-Resource": resource,
                }
            )
            return Response(403, {"message": message, "documentation_url": RATE_DOCS}, headers)
        # secondary_rate_limit
        message = (
            "You have exceeded a secondary rate limit. Please wait a few minutes before you try "
            f"again. If you reach out to GitHub Support for help, please include the request ID "
            f"{request_id}."
        )
        headers["Retry-After"] = str(int(fault["retry_after"]))
        body = {"message": message, "documentation_url": SECONDARY_DOCS}
        return Response(int(fault["status"]), body, headers)

    def _graphql_rate_limited(
        self, req: Request, headers: dict[str, str], limit: int, reset_in: int
    ) -> Response:
        """GitHub's answer to a GraphQL query past the primary limit: status 200, no data, a
        ``RATE_LIMITED`` error, and ``X-RateLimit-Remaining: 0`` until the reset."""
        headers.update(
            {
                "X-RateLimit-Limit": str(limit),
                "X-RateLimit-Remaining": "0",
                "X-RateLimit-Reset": str(int(time.time()) + reset_in),
                "X-RateLimit-Used": str(limit),
                "X-RateLimit-Resource": "graphql",
            }
        )
        message = f"API rate limit already exceeded for user ID {self._user_id(req.viewer)}."
        body = {
            "errors": [{"type": "RATE_LIMITED", "code": "graphql_rate_limit", "message": message}]
        }
        return Response(200, body, headers)

    def _degrade(self, response: Response, fault: Fault) -> Response:
        """Apply a fault to a response that was served normally."""
        if fault.kind in ("latency", "timeout"):
            response.delay += float(fault["seconds"])
        elif fault.kind == "malformed":
            whole = response.encode() or b'{"message":"Server Error"}'
            headers = {k: v for k, v in response.headers.items() if k != "ETag"}
            response = Response(200, whole[: max(1, len(whole) // 2)], headers, JSON_TYPE)
        return response

    def _handle(self, req: Request, auth_ok: bool) -> Response:
        viewer = req.viewer
        path = self._rewrite_repository_id(req.path)
        is_web = False
        matched = self._match("GET" if req.method == "HEAD" else req.method, path)
        if matched is not None:
            is_web = matched[0].web_page
        if not auth_ok:
            body = payloads.error("Bad credentials", payloads.DOCS, 401)
            return self._finish(req, Response(401, body), None)
        if is_web and matched is not None:
            return self._finish(req, self._dispatch(req, matched), None)
        resource = resource_of(path)
        if path.rstrip("/") == "/rate_limit":
            return self._finish(req, self._dispatch(req, matched), "core")
        if resource == "graphql":
            # A query costs its score in points, known only once it is parsed: the route spends
            # them (see :meth:`spend`). Anonymous callers get its 401 and touch no window.
            response = self._dispatch(req, matched)
            return self._finish(req, response, resource if viewer is not None else None)
        key, limit, period = self.bucket(req, resource)
        allowed, _ = self.store.charge(key, resource, limit, period)
        if not allowed:
            who = (
                f"user ID {self._user_id(viewer)}."
                if viewer
                else (
                    f"{req.client}. (But here's the good news: Authenticated requests get a higher "
                    "rate limit. Check out the documentation for more details.)"
                )
            )
            body = {"message": f"API rate limit exceeded for {who}", "documentation_url": RATE_DOCS}
            return self._finish(req, Response(403, body), resource)
        response = self._dispatch(req, matched)
        response = self._conditional(req, response)
        if response.status == 304 and viewer is not None:
            self.store.refund(key, resource)  # authenticated 304s are free on GitHub
        return self._finish(req, response, resource)

    def _dispatch(self, req: Request, matched: tuple[Route, dict[str, str]] | None) -> Response:
        if matched is None:
            return Response(404, payloads.error("Not Found", payloads.DOCS, 404))
        route, params = matched
        try:
            return route.handler(self, req, **params)
        except ApiError as err:
            return Response(err.status, err.body, dict(err.headers))

    def _authenticate(self, header: str | None) -> tuple[bool, str | None]:
        """``(credentials acceptable, login)``; no header is fine (anonymous)."""
        if not header:
            return True, None
        scheme, _, credential = header.strip().partition(" ")
        credential = credential.strip()
        scheme = scheme.lower()
        if scheme == "basic":
            try:
                decoded = base64.b64decode(credential, validate=True).decode("utf-8")
            except (binascii.Error, UnicodeDecodeError):
                return False, None
            credential = decoded.partition(":")[2]
        elif scheme not in ("token", "bearer"):
            return False, None
        login = self.store.user_for_token(credential) if credential else None
        return (login is not None), login

    def _user_id(self, login: str | None) -> int:
        record = self.store.get_user(login or "")
        return int(record["id"]) if record else 0

    def bucket(self, req: Request, resource: str) -> tuple[str, int, int]:
        """The caller's rate-limit window for ``resource``: (key, limit, period in seconds)."""
        limits = self.limits
        if resource == "search":
            limit = limits.search if req.viewer else limits.anonymous_search
            period = limits.search_period
        elif resource == "graphql":
            limit, period = (limits.graphql if req.viewer else 0), limits.core_period
        else:
            limit = limits.core if req.viewer else limits.anonymous_core
            period = limits.core_period
        key = f"user:{req.viewer}" if req.viewer else f"ip:{req.client}"
        return key, limit, period

    def spend(self, req: Request, resource: str, points: int) -> RateWindow | None:
        key, limit, period = self.bucket(req, resource)
        allowed, window = self.store.charge(key, resource, limit, period, points)
        return window if allowed else None

    def _conditional(self, req: Request, response: Response) -> Response:
        """Add the ETag to successful GETs and answer 304 when the client already has it."""
        if req.method not in ("GET", "HEAD") or response.status != 200:
            return response
        body = response.encode()
        etag = f'W/"{hashlib.sha256(body).hexdigest()}"'
        response.headers["ETag"] = etag
        cache = "private" if req.viewer else "public"
        response.headers["Cache-Control"] = f"{cache}, max-age=60, s-maxage=60"
        response.headers["Vary"] = VARY
        wanted = req.headers.get("if-none-match", "")
        tags = {t.strip() for t in wanted.split(",") if t.strip()}
        strong = etag[2:]
        if tags & {etag, strong, "*"}:
            return Response(304, None, response.headers)
        return response

    def _finish(self, req: Request, response: Response, resource: str | None) -> Response:
        headers = self._base_headers(req)
        if resource is not None:
            key, limit, period = self.bucket(req, resource)
            window = self.store.rate_window(key, resource, limit, period)
            headers.update(
                {
                    "X-RateLimit-Limit": str(window.limit),
                    "X-RateLimit-Remaining": str(window.remaining),
                    "X-RateLimit-Reset": str(window.reset),
                    "X-RateLimit-Used": str(window.used),
                    "X-RateLimit-Resource": resource,
                }
            )
        if response.status >= 400 or req.method not in ("GET", "HEAD"):
            headers.setdefault("Cache-Control", "no-cache")
        headers.update(response.headers)
        response.headers = headers
        return response

    def _base_headers(self, req: Request) -> dict[str, str]:
        headers = {
            "X-GitHub-Media-Type": "github.v3; format=json",
            "x-github-api-version-selected": "2022-11-28",
            "X-GitHub-Request-Id": ":".join(secrets.token_hex(n).upper() for n in (2, 3, 4, 4, 4)),
            "Access-Control-Expose-Headers": EXPOSE,
            "Access-Control-Allow-Origin": "*",
            "X-Frame-Options": "deny",
            "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "origin-when-cross-origin, strict-origin-when-cross-origin",
        }
        if req.viewer is not None:
            headers["X-OAuth-Scopes"] = "repo, read:org"
            headers["X-Accepted-OAuth-Scopes"] = "repo" if req.path.startswith("/repos") else ""
        return headers


@_PIPELINE_ROUTES.get(r"/rate_limit")
def get_rate_limit(app: ForgeApp, req: Request) -> Response:
    """The caller's core and search windows (served uncharged, see :meth:`ForgeApp._handle`)."""
    windows = {}
    for resource in ("core", "search", "graphql"):
        key, limit, period = app.bucket(req, resource)
        window = app.store.rate_window(key, resource, limit, period)
        windows[resource] = {
            "limit": window.limit,
            "used": window.used,
            "remaining": window.remaining,
            "reset": window.reset,
        }
    return Response(
        200, payloads.rate_limit(windows["core"], windows["search"], windows["graphql"])
    )


def _reason(status: int) -> str:
    """GitHub's message for a server error status."""
    if status == 500:
        return "Server Error"
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Server Error"
