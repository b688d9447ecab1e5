"""HTTP side of the practice forge: routing, GitHub's headers, pagination, ETags, auth, limits.

The server is built on the stdlib's ``ThreadingHTTPServer`` so the forge adds no dependency and
runs wherever onboard runs. Requests flow through :meth:`ForgeApp.handle`, which is independent of
the socket layer: it authenticates, charges the caller's rate-limit window, dispatches to a route,
turns failures into GitHub's error bodies, adds the conditional-request machinery and records the
request. The forge must never crash on bad input, because every test and every learner relies on
it, so every exception becomes a JSON 500 and the server keeps serving.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import hashlib
import json
import math
import re
import secrets
import socket
import struct
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit

from onboard.practice import community, links, payloads
from onboard.practice.faults import REFUSING, Fault, Faults
from onboard.practice.gitdaemon import GitError, configure_bare, run_git
from onboard.practice.payloads import Urls
from onboard.practice.repo_search import SORTS as REPO_SORTS
from onboard.practice.repo_search import (
    RepoContext,
    label_key,
    parse_repo_query,
    repo_sort_key,
)
from onboard.practice.search import RESULT_CAP, Context, SearchError, parse, sort_key
from onboard.practice.store import Record, Store, iso, parse_iso

JSON_TYPE = "application/json; charset=utf-8"
SEARCH_DOCS = "https://docs.github.com/v3/search/"
RATE_DOCS = "https://docs.github.com/rest/overview/resources-in-the-rest-api#rate-limiting"
SECONDARY_DOCS = (
    "https://docs.github.com/free-pro-team@latest/rest/overview/rate-limits-for-the-rest-api"
    "#about-secondary-rate-limits"
)
REVIEW_DOCS = "https://docs.github.com/rest/pulls/reviews"
VARY = "Accept, Authorization, Cookie, X-GitHub-OTP,Accept-Encoding, Accept, X-Requested-With"
EXPOSE = (
    "ETag, Link, Location, Retry-After, X-GitHub-OTP, X-RateLimit-Limit, X-RateLimit-Remaining, "
    "X-RateLimit-Used, X-RateLimit-Resource, X-RateLimit-Reset, X-OAuth-Scopes, "
    "X-Accepted-OAuth-Scopes, X-Poll-Interval, X-GitHub-Media-Type, X-GitHub-SSO, "
    "X-GitHub-Request-Id, Deprecation, Sunset"
)
MAX_BODY = 10 * 1024 * 1024
#: Top-level path words that are API routes, never ``/{owner}/{repo}`` web pages.
RESERVED = {"repos", "repositories", "users", "user", "search", "rate_limit", "orgs", "_avatars"}
_SAFE_REF = re.compile(r"^[A-Za-z0-9._/@+-]+$")
#: A parsed search query, issues' or repositories'.
_Query = TypeVar("_Query")


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
    core_period: int = 3600
    search_period: int = 60


class ApiError(Exception):
    """Raised by routes to answer with a GitHub error body."""

    def __init__(self, status: int, body: dict[str, Any], headers: dict[str, str] | None = None):
        super().__init__(body.get("message", ""))
        self.status = status
        self.body = body
        self.headers = headers or {}


def not_found(doc: str = payloads.DOCS) -> ApiError:
    return ApiError(404, payloads.error("Not Found", doc, 404))


def invalid(errors: list[dict[str, Any]], doc: str = payloads.DOCS) -> ApiError:
    return ApiError(422, payloads.validation_failed(errors, doc))


@dataclass
class Request:
    method: str
    raw_path: str
    path: str
    query_pairs: list[tuple[str, str]]
    headers: dict[str, str]
    body: bytes
    client: str
    viewer: str | None = None

    @property
    def query(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for key, value in self.query_pairs:
            out.setdefault(key, []).append(value)
        return out

    def param(self, name: str, default: str | None = None) -> str | None:
        for key, value in self.query_pairs:
            if key == name:
                return value
        return default

    def json(self, *, optional: bool = False) -> dict[str, Any]:
        """The JSON object body; GitHub answers 400 "Problems parsing JSON" to anything else."""
        if not self.body.strip():
            if optional:
                return {}
            raise ApiError(400, payloads.error("Problems parsing JSON", payloads.DOCS, 400))
        try:
            value = json.loads(self.body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as exc:
            raise ApiError(
                400, payloads.error("Problems parsing JSON", payloads.DOCS, 400)
            ) from exc
        if not isinstance(value, dict):
            raise ApiError(400, payloads.error("Problems parsing JSON", payloads.DOCS, 400))
        return value


@dataclass
class Response:
    status: int
    body: Any = None  # JSON-able, or bytes for non-JSON
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = JSON_TYPE
    delay: float = 0.0  # seconds the socket layer waits before answering (faults)
    reset: bool = False  # close the connection without answering (the "reset" fault)


Handler = Callable[..., Response]


# ---------------------------------------------------------------------------- the application


class ForgeApp:
    """GitHub's REST semantics over a :class:`Store` and a directory of bare git repositories."""

    def __init__(self, store: Store, git_root: Path, limits: Limits) -> None:
        self.store = store
        self.git_root = git_root
        self.limits = limits
        self.urls = Urls(api="http://127.0.0.1:0", git="git://127.0.0.1:0/")
        #: Seconds added to every HTTP response (simulated network round trip).
        self.latency = 0.0
        self.faults = Faults()
        self._log: list[RequestRecord] = []
        self._log_lock = threading.Lock()
        self._fork_lock = threading.Lock()
        #: Seconds a new fork stays invisible (404, no git) after ``POST /forks``, like GitHub's
        #: asynchronous fork creation; 0 creates forks at once.
        self.fork_delay = 0.0
        self._pending_forks: dict[str, _PendingFork] = {}
        self._pending_lock = threading.Lock()
        self._pull_lock = threading.Lock()
        self._routes: list[tuple[str, re.Pattern[str], Handler]] = []
        self._web_handlers: set[str] = set()
        self._add_routes()

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

    # ------------------------------------------------------------------ routing table

    def _add_routes(self) -> None:
        repo = r"/repos/(?P<owner>[^/]+)/(?P<repo>[^/]+)"
        add = self._route
        add("GET", r"/user", self.get_authenticated_user)
        add("GET", r"/user/repos", self.list_my_repos)
        add("GET", r"/users/(?P<login>[^/]+)", self.get_user)
        add("GET", r"/users/(?P<login>[^/]+)/repos", self.list_user_repos)
        add("GET", r"/rate_limit", self.get_rate_limit)
        add("GET", r"/search/issues", self.search_issues)
        add("GET", r"/search/repositories", self.search_repositories)
        add("GET", repo, self.get_repo)
        add("GET", repo + r"/community/profile", self.get_community_profile)
        add("GET", repo + r"/labels", self.list_labels)
        add("GET", repo + r"/labels/(?P<name>[^/]+)", self.get_label)
        add("GET", repo + r"/branches", self.list_branches)
        add("GET", repo + r"/issues", self.list_issues)
        add("POST", repo + r"/issues", self.create_issue)
        add("GET", repo + r"/issues/(?P<number>\d+)", self.get_issue)
        add("GET", repo + r"/issues/(?P<number>\d+)/comments", self.list_comments)
        add("POST", repo + r"/issues/(?P<number>\d+)/comments", self.create_comment)
        add("GET", repo + r"/issues/comments/(?P<id>\d+)", self.get_comment)
        add("GET", repo + r"/issues/(?P<number>\d+)/timeline", self.list_timeline)
        add("GET", repo + r"/forks", self.list_forks)
        add("POST", repo + r"/forks", self.create_fork)
        add("GET", repo + r"/pulls", self.list_pulls)
        add("POST", repo + r"/pulls", self.create_pull)
        add("GET", repo + r"/pulls/(?P<number>\d+)", self.get_pull)
        add("GET", repo + r"/pulls/(?P<number>\d+)/reviews", self.list_reviews)
        add("POST", repo + r"/pulls/(?P<number>\d+)/reviews", self.create_review)
        add("GET", repo + r"/contents/?(?P<path>.*)", self.get_contents)
        # Plain web pages so "open in browser" works in practice mode.
        web = r"/(?P<owner>[^/]+)/(?P<repo>[^/]+)"
        add("GET", web, self.page_repo, web_page=True)
        add("GET", web + r"/(?P<kind>issues|pull)/(?P<number>\d+)", self.page_issue, web_page=True)
        add("GET", web + r"/raw/(?P<ref>[^/]+)/(?P<path>.+)", self.page_raw, web_page=True)

    def _route(
        self, method: str, pattern: str, handler: Handler, *, web_page: bool = False
    ) -> None:
        self._routes.append((method, re.compile(f"^{pattern}/?$"), handler))
        if web_page:
            self._web_handlers.add(handler.__name__)

    def _match(self, method: str, path: str) -> tuple[Handler, dict[str, str]] | None:
        for route_method, pattern, handler in self._routes:
            if route_method != method:
                continue
            match = pattern.match(path)
            if match is None:
                continue
            params = {k: unquote(v) for k, v in match.groupdict().items()}
            if handler.__name__ in self._web_handlers and params["owner"] in RESERVED:
                continue
            return handler, params
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
        if fault.kind == "error":
            status = int(fault["status"])
            message = fault["message"] or _reason(status)
            return Response(status, payloads.error(message, payloads.DOCS, status), headers)
        resource = "search" if req.path.startswith("/search/") else "core"
        _key, limit, _period = self._bucket(req, resource)
        request_id = headers["X-GitHub-Request-Id"]
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

    def _degrade(self, response: Response, fault: Fault) -> Response:
        """Apply a fault to a response that was served normally."""
        if fault.kind in ("latency", "timeout"):
            response.delay += float(fault["seconds"])
        elif fault.kind == "malformed":
            whole = self.encode(response) or b'{"message":"Server Error"}'
            headers = {k: v for k, v in response.headers.items() if k != "ETag"}
            response = Response(200, whole[: max(1, len(whole) // 2)], headers, JSON_TYPE)
        return response

    def _handle(self, req: Request, auth_ok: bool) -> Response:
        viewer = req.viewer
        path = self._rewrite_repository_id(req.path)
        is_web = False
        matched = self._match("GET" if req.method == "HEAD" else req.method, path)
        if matched is not None:
            is_web = matched[0].__name__ in self._web_handlers
        if not auth_ok:
            body = payloads.error("Bad credentials", payloads.DOCS, 401)
            return self._finish(req, Response(401, body), None)
        if is_web and matched is not None:
            return self._finish(req, self._dispatch(req, matched), None)
        resource = "search" if path.startswith("/search/") else "core"
        if path.rstrip("/") == "/rate_limit":
            return self._finish(req, self._dispatch(req, matched), "core")
        key, limit, period = self._bucket(req, resource)
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

    def _dispatch(self, req: Request, matched: tuple[Handler, dict[str, str]] | None) -> Response:
        if matched is None:
            return Response(404, payloads.error("Not Found", payloads.DOCS, 404))
        handler, params = matched
        try:
            return handler(req, **params)
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

    def _bucket(self, req: Request, resource: str) -> tuple[str, int, int]:
        limits = self.limits
        if resource == "search":
            limit = limits.search if req.viewer else limits.anonymous_search
            period = limits.search_period
        else:
            limit = limits.core if req.viewer else limits.anonymous_core
            period = limits.core_period
        key = f"user:{req.viewer}" if req.viewer else f"ip:{req.client}"
        return key, limit, period

    def _conditional(self, req: Request, response: Response) -> Response:
        """Add the ETag to successful GETs and answer 304 when the client already has it."""
        if req.method not in ("GET", "HEAD") or response.status != 200:
            return response
        body = self.encode(response)
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
            key, limit, period = self._bucket(req, resource)
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

    @staticmethod
    def encode(response: Response) -> bytes:
        if response.body is None:
            return b""
        if isinstance(response.body, bytes):
            return response.body
        if isinstance(response.body, str):
            return response.body.encode("utf-8")
        return json.dumps(response.body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")

    # ------------------------------------------------------------------ shared helpers

    def _repo(self, owner: str, repo: str, doc: str = payloads.DOCS) -> Record:
        record = self.store.get_repo(f"{owner}/{repo}")
        if record is None or self.fork_pending(record["full_name"]):
            raise not_found(doc)
        return record

    def _require_auth(self, req: Request, doc: str) -> str:
        if req.viewer is None:
            raise ApiError(401, payloads.error("Requires authentication", doc, 401))
        return req.viewer

    def _bare(self, full_name: str) -> Path:
        return self.git_root / f"{full_name}.git"

    def _paginate(
        self, req: Request, items: list[Any], link_base: str, *, cap: int | None = None
    ) -> tuple[list[Any], dict[str, str]]:
        """Slice ``items`` for ``page``/``per_page`` and build GitHub's ``Link`` header."""
        page, per_page = _page_window(req)
        available = len(items) if cap is None else min(len(items), cap)
        last = max(1, math.ceil(available / per_page))
        start = (page - 1) * per_page
        chunk = items[start : min(start + per_page, available)] if start < available else []
        pairs = [(k, v) for k, v in req.query_pairs if k != "page"]

        def url(n: int) -> str:
            return f"{link_base}?{urlencode([*pairs, ('page', str(n))])}"

        links: list[str] = []
        if page > 1:
            links.append(f'<{url(min(page - 1, last))}>; rel="prev"')
        if page < last:
            links.append(f'<{url(page + 1)}>; rel="next"')
            links.append(f'<{url(last)}>; rel="last"')
        if page > 1:
            links.append(f'<{url(1)}>; rel="first"')
        return chunk, ({"Link": ", ".join(links)} if links else {})

    def _list_link(self, record: Record, suffix: str) -> str:
        return f"{self.urls.api}/repositories/{record['id']}/{suffix}"

    # ------------------------------------------------------------------ users

    def get_authenticated_user(self, req: Request) -> Response:
        login = self._require_auth(
            req, "https://docs.github.com/rest/users/users#get-the-authenticated-user"
        )
        with self.store.locked() as data:
            return Response(200, payloads.user_detail(self.urls, data, login, private=True))

    def get_user(self, req: Request, login: str) -> Response:
        record = self.store.get_user(login)
        if record is None:
            raise not_found("https://docs.github.com/rest/users/users#get-a-user")
        with self.store.locked() as data:
            return Response(200, payloads.user_detail(self.urls, data, record["login"]))

    def _repos_of(self, req: Request, login: str, link_base: str) -> Response:
        with self.store.locked() as data:
            owned = sorted(
                (r for r in data["repos"].values() if r["owner"] == login),
                key=lambda r: r["full_name"].lower(),
            )
            page, headers = self._paginate(req, owned, link_base)
            body = [
                payloads.repo(self.urls, data, r["full_name"], viewer=req.viewer, detail=False)
                for r in page
            ]
        return Response(200, body, headers)

    def list_my_repos(self, req: Request) -> Response:
        login = self._require_auth(
            req,
            "https://docs.github.com/rest/repos/repos#list-repositories-for-the-authenticated-user",
        )
        return self._repos_of(req, login, f"{self.urls.api}/user/repos")

    def list_user_repos(self, req: Request, login: str) -> Response:
        record = self.store.get_user(login)
        if record is None:
            raise not_found("https://docs.github.com/rest/repos/repos#list-repositories-for-a-user")
        link = f"{self.urls.api}/users/{record['login']}/repos"
        return self._repos_of(req, record["login"], link)

    def get_rate_limit(self, req: Request) -> Response:
        windows = {}
        for resource in ("core", "search"):
            key, limit, period = self._bucket(req, resource)
            window = self.store.rate_window(key, resource, limit, period)
            windows[resource] = {
                "limit": window.limit,
                "used": window.used,
                "remaining": window.remaining,
                "reset": window.reset,
            }
        return Response(200, payloads.rate_limit(windows["core"], windows["search"]))

    # ------------------------------------------------------------------ repositories

    def get_repo(self, req: Request, owner: str, repo: str) -> Response:
        doc = "https://docs.github.com/rest/repos/repos#get-a-repository"
        record = self._repo(owner, repo, doc)
        with self.store.locked() as data:
            body = payloads.repo(self.urls, data, record["full_name"], viewer=req.viewer)
        return Response(200, body)

    def get_community_profile(self, req: Request, owner: str, repo: str) -> Response:
        doc = "https://docs.github.com/rest/metrics/community#get-community-profile-metrics"
        record = self._repo(owner, repo, doc)
        if record["fork"]:  # "The repository cannot be a fork."
            raise not_found(doc)
        full = record["full_name"]
        files: dict[str, str | None] = dict.fromkeys(community.KINDS)
        conduct_text = ""
        commit = self._resolve_commit(full, record["default_branch"])
        if commit is not None:
            files = community.find_files(self._bare(full), commit)
            conduct = files.get("code_of_conduct_file")
            if conduct is not None:
                conduct_text = community.read_file(self._bare(full), commit, conduct)
        with self.store.locked() as data:
            body = payloads.community_profile(self.urls, data, full, files, conduct_text)
        return Response(200, body)

    # ------------------------------------------------------------------ slow forks

    @property
    def _forking_root(self) -> Path:
        return self.git_root.with_name(self.git_root.name + "-forking")

    def fork_pending(self, full_name: str) -> bool:
        """Whether ``full_name`` is a fork GitHub would still be creating (finishing due ones)."""
        self.finish_forks(due_only=True)
        with self._pending_lock:
            return full_name.lower() in self._pending_forks

    def _hold_fork(self, full_name: str, building: Path, target: Path, delay: float) -> None:
        pending = _PendingFork(time.monotonic() + delay, building, target)
        timer = threading.Timer(delay, self.finish_forks, kwargs={"due_only": True})
        timer.daemon = True
        pending.timer = timer
        with self._pending_lock:
            self._pending_forks[full_name.lower()] = pending
        timer.start()

    def finish_forks(self, *, due_only: bool = False) -> None:
        """Move finished forks into place; all of them when the forge stops."""
        now = time.monotonic()
        with self._pending_lock:
            for key, pending in list(self._pending_forks.items()):
                if due_only and pending.ready_at > now:
                    continue
                if pending.timer is not None:
                    pending.timer.cancel()
                del self._pending_forks[key]
                with contextlib.suppress(OSError):  # a vanished build is simply never served
                    pending.target.parent.mkdir(parents=True, exist_ok=True)
                    pending.building.rename(pending.target)

    # ------------------------------------------------------------------ labels

    def list_labels(self, req: Request, owner: str, repo: str) -> Response:
        record = self._repo(owner, repo)
        labels = self.store.labels(record["full_name"])
        page, headers = self._paginate(req, labels, self._list_link(record, "labels"))
        body = [payloads.label(self.urls, record["full_name"], lbl) for lbl in page]
        return Response(200, body, headers)

    def get_label(self, req: Request, owner: str, repo: str, name: str) -> Response:
        record = self._repo(owner, repo)
        for lbl in self.store.labels(record["full_name"]):
            if lbl["name"].lower() == name.lower():
                return Response(200, payloads.label(self.urls, record["full_name"], lbl))
        raise not_found("https://docs.github.com/rest/issues/labels#get-a-label")

    def list_branches(self, req: Request, owner: str, repo: str) -> Response:
        record = self._repo(owner, repo)
        full = record["full_name"]
        out = run_git(
            ["for-each-ref", "--format=%(refname:short) %(objectname)", "refs/heads"],
            cwd=self._bare(full),
        ).stdout.decode()
        branches = [line.split(" ", 1) for line in out.splitlines() if line]
        page, headers = self._paginate(req, branches, self._list_link(record, "branches"))
        body = [
            {
                "name": name,
                "commit": {"sha": sha, "url": f"{self.urls.repo_api(full)}/commits/{sha}"},
                "protected": False,
            }
            for name, sha in page
        ]
        return Response(200, body, headers)

    def list_forks(self, req: Request, owner: str, repo: str) -> Response:
        record = self._repo(owner, repo)
        with self.store.locked() as data:
            forks = [r for r in data["repos"].values() if r["parent"] == record["full_name"]]
            forks.sort(key=lambda r: r["created_at"], reverse=True)
            page, headers = self._paginate(req, forks, self._list_link(record, "forks"))
            body = [
                payloads.repo(self.urls, data, r["full_name"], viewer=req.viewer, detail=False)
                for r in page
            ]
        return Response(200, body, headers)

    def create_fork(self, req: Request, owner: str, repo: str) -> Response:
        doc = "https://docs.github.com/rest/repos/forks#create-a-fork"
        viewer = self._require_auth(req, doc)
        params = req.json(optional=True)
        parent = self._repo(owner, repo, doc)
        with self._fork_lock:
            existing = self.store.find_fork(viewer, parent["full_name"])
            if existing is None and parent["owner"] == viewer:
                existing = parent  # GitHub hands back the repository itself
            if existing is None:
                existing = self._make_fork(viewer, parent, params)
        with self.store.locked() as data:
            body = payloads.repo(self.urls, data, existing["full_name"], viewer=viewer)
        return Response(202, body)

    def _make_fork(self, viewer: str, parent: Record, params: dict[str, Any]) -> Record:
        wanted = params.get("name") if isinstance(params.get("name"), str) else None
        base_name = wanted or parent["name"]
        if not re.fullmatch(r"[A-Za-z0-9._-]+", base_name) or base_name in (".", ".."):
            raise invalid([{"resource": "Repository", "field": "name", "code": "invalid"}])
        name, suffix = base_name, 0
        while self.store.get_repo(f"{viewer}/{name}") is not None:
            suffix += 1
            name = f"{base_name}-{suffix}"
        source, target = self._bare(parent["full_name"]), self._bare(f"{viewer}/{name}")
        delay = self.fork_delay
        # A slow fork is built outside the served tree, so neither the API nor git daemon
        # can see it until it is moved into place.
        building = self._forking_root / f"{viewer}/{name}.git" if delay > 0 else target
        building.parent.mkdir(parents=True, exist_ok=True)
        args = ["clone", "--bare", "-q"]
        if params.get("default_branch_only"):
            args += ["--single-branch", "--branch", parent["default_branch"]]
        run_git([*args, str(source), str(building)])
        run_git(["remote", "remove", "origin"], cwd=building, check=False)
        configure_bare(building, read_only=False)
        if delay > 0:
            self._hold_fork(f"{viewer}/{name}", building, target, delay)
        record = self.store.add_repo(
            viewer,
            name,
            description=parent["description"],
            homepage=parent["homepage"],
            language=parent["language"],
            license=parent["license"],
            default_branch=parent["default_branch"],
            fork_of=parent["full_name"],
            created_days_ago=0,
            pushed_at=parent["pushed_at"],
            size=parent["size"],
        )
        return record

    # ------------------------------------------------------------------ issues

    def _issues_enabled(self, record: Record) -> None:
        if not record["has_issues"]:
            raise ApiError(
                410,
                payloads.error(
                    "Issues are disabled for this repo", "https://docs.github.com/v3/issues/", 410
                ),
            )

    def list_issues(self, req: Request, owner: str, repo: str) -> Response:
        doc = "https://docs.github.com/rest/issues/issues#list-repository-issues"
        record = self._repo(owner, repo, doc)
        self._issues_enabled(record)
        full = record["full_name"]
        state = (req.param("state") or "open").lower()
        wanted_labels = [
            s.strip().casefold() for s in (req.param("labels") or "").split(",") if s.strip()
        ]
        assignee = req.param("assignee")
        creator = req.param("creator")
        mentioned = req.param("mentioned")
        milestone = req.param("milestone")
        since = req.param("since")
        sort = req.param("sort") or "created"
        direction = (req.param("direction") or "desc").lower()

        def keep(issue: Record) -> bool:
            if state in ("open", "closed") and issue["state"] != state:
                return False
            names = {n.casefold() for n in issue["labels"]}
            if any(lbl not in names for lbl in wanted_labels):
                return False
            people = {a.lower() for a in issue["assignees"]}
            if assignee is not None:
                if assignee.lower() == "none" and people:
                    return False
                if assignee == "*" and not people:
                    return False
                if assignee.lower() not in ("none", "*") and assignee.lower() not in people:
                    return False
            if creator and issue["user"].lower() != creator.lower():
                return False
            if mentioned and f"@{mentioned.lower()}" not in (issue["body"] or "").lower():
                return False
            if milestone not in (None, "none"):
                return False  # the practice forge has no milestones
            return not (since and issue["updated_at"] < _normalise_stamp(since))

        with self.store.locked() as data:
            comments = data["comments"][full]
            chosen = [i for i in self.store.issues(full) if keep(i)]

            def key(issue: Record) -> Any:
                if sort == "updated":
                    return (issue["updated_at"], issue["number"])
                if sort == "comments":
                    return (len(comments.get(str(issue["number"]), [])), issue["number"])
                return (issue["created_at"], issue["number"])

            chosen.sort(key=key, reverse=direction != "asc")
            page, headers = self._paginate(req, chosen, self._list_link(record, "issues"))
            body = [payloads.issue(self.urls, data, full, i) for i in page]
        return Response(200, body, headers)

    def get_issue(self, req: Request, owner: str, repo: str, number: str) -> Response:
        doc = "https://docs.github.com/rest/issues/issues#get-an-issue"
        record = self._repo(owner, repo, doc)
        full = record["full_name"]
        with self.store.locked() as data:
            issue = _issue_in(data, full, number, doc)
            return Response(200, payloads.issue(self.urls, data, full, issue, variant="single"))

    def create_issue(self, req: Request, owner: str, repo: str) -> Response:
        doc = "https://docs.github.com/rest/issues/issues#create-an-issue"
        viewer = self._require_auth(req, doc)
        record = self._repo(owner, repo, doc)
        params = req.json()
        self._issues_enabled(record)
        self._writable(record)
        title = params.get("title")
        if not isinstance(title, str) or not title.strip():
            raise invalid([{"resource": "Issue", "code": "missing_field", "field": "title"}], doc)
        body = params.get("body") if isinstance(params.get("body"), str) else None
        raw_labels = params.get("labels")
        labels = (
            [x for x in raw_labels if isinstance(x, str)] if isinstance(raw_labels, list) else []
        )
        issue = self.store.add_issue(
            record["full_name"], title, body, labels=labels, user=viewer, created_days_ago=0
        )
        with self.store.locked() as data:
            payload = payloads.issue(self.urls, data, record["full_name"], issue, variant="single")
        return Response(201, payload, {"Location": payload["url"]})

    def _writable(self, record: Record) -> None:
        if record["archived"]:
            raise ApiError(
                403, payloads.error("Repository was archived so is read-only.", payloads.DOCS, 403)
            )

    def list_comments(self, req: Request, owner: str, repo: str, number: str) -> Response:
        doc = "https://docs.github.com/rest/issues/comments#list-issue-comments"
        record = self._repo(owner, repo, doc)
        full = record["full_name"]
        since = req.param("since")
        with self.store.locked() as data:
            _issue_in(data, full, number, doc)
            chosen = [
                c
                for c in data["comments"][full][number]
                if not since or c["updated_at"] >= _normalise_stamp(since)
            ]
            page, headers = self._paginate(
                req, chosen, self._list_link(record, f"issues/{number}/comments")
            )
            body = [payloads.comment(self.urls, data, full, c) for c in page]
        return Response(200, body, headers)

    def get_comment(self, req: Request, owner: str, repo: str, id: str) -> Response:
        doc = "https://docs.github.com/rest/issues/comments#get-an-issue-comment"
        record = self._repo(owner, repo, doc)
        full = record["full_name"]
        with self.store.locked() as data:
            for comments in data["comments"][full].values():
                for c in comments:
                    if str(c["id"]) == id:
                        return Response(200, payloads.comment(self.urls, data, full, c))
        raise not_found(doc)

    def create_comment(self, req: Request, owner: str, repo: str, number: str) -> Response:
        doc = "https://docs.github.com/rest/issues/comments#create-an-issue-comment"
        viewer = self._require_auth(req, doc)
        record = self._repo(owner, repo, doc)
        params = req.json()
        full = record["full_name"]
        issue = self.store.get_issue(full, int(number))
        if issue is None:
            raise not_found(doc)
        self._writable(record)
        text = params.get("body")
        if not isinstance(text, str) or not text.strip():
            raise invalid(
                [{"resource": "IssueComment", "code": "missing_field", "field": "body"}], doc
            )
        if issue["locked"] and self.store.association(full, viewer) not in ("OWNER", "MEMBER"):
            raise ApiError(
                403,
                payloads.error("Unable to create comment because issue is locked.", doc, 403),
            )
        comment = self.store.add_comment(full, int(number), text, user=viewer)
        with self.store.locked() as data:
            payload = payloads.comment(self.urls, data, full, comment)
        return Response(201, payload, {"Location": payload["url"]})

    # ------------------------------------------------------------------ timeline

    def list_timeline(self, req: Request, owner: str, repo: str, number: str) -> Response:
        """Events, comments, cross-references and reviews of an issue or pull, oldest first."""
        doc = "https://docs.github.com/rest/issues/timeline#list-timeline-events-for-an-issue"
        record = self._repo(owner, repo, doc)
        full = record["full_name"]
        with self.store.locked() as data:
            _issue_in(data, full, number, doc)
            items: list[tuple[str, int, dict[str, Any]]] = []

            def add(stamp: str, payload: dict[str, Any]) -> None:
                items.append((stamp, len(items), payload))

            for event in data["events"][full].get(number, []):
                add(event["created_at"], payloads.timeline_event(self.urls, data, full, event))
            for comment in data["comments"][full].get(number, []):
                add(
                    comment["created_at"], payloads.timeline_comment(self.urls, data, full, comment)
                )
            for source_full, source, actor, stamp in links.cross_references(
                data, full, int(number)
            ):
                add(
                    stamp,
                    payloads.timeline_cross_reference(
                        self.urls, data, source_full, source, actor, stamp
                    ),
                )
            for review in links.submitted(data["reviews"][full].get(number, [])):
                add(review["submitted_at"], payloads.timeline_review(self.urls, data, full, review))
            items.sort(key=lambda item: (item[0], item[1]))
            page, headers = self._paginate(
                req,
                [item[2] for item in items],
                self._list_link(record, f"issues/{number}/timeline"),
            )
        return Response(200, page, headers)

    # ------------------------------------------------------------------ search

    def _search_query(self, req: Request, parse_q: Callable[[str], _Query]) -> _Query:
        """What both search endpoints check first, in GitHub's order and words: ``q`` is
        there, it parses, and the page asked for lies within the first 1,000 results."""
        q = req.param("q")
        if q is None or not q.strip():
            raise invalid([{"resource": "Search", "field": "q", "code": "missing"}], SEARCH_DOCS)
        try:
            query = parse_q(q)
        except SearchError as err:
            raise invalid(
                [{"message": err.message, "resource": "Search", "field": "q", "code": "invalid"}],
                SEARCH_DOCS,
            ) from err
        page, per_page = _page_window(req)
        if (page - 1) * per_page >= RESULT_CAP:
            raise ApiError(
                422,
                payloads.error(
                    "Cannot access beyond the first 1000 results, or the search may be invalid.",
                    SEARCH_DOCS,
                    422,
                ),
            )
        return query

    def search_issues(self, req: Request) -> Response:
        query = self._search_query(req, lambda q: parse(q, viewer=req.viewer))
        sort = req.param("sort") or query.sort
        order = (req.param("order") or query.order or "desc").lower()
        with self.store.locked() as data:
            found: list[Context] = []
            for full, issues in data["issues"].items():
                repo_record = data["repos"][full]
                linked = links.closing_links(data, full)
                reviews = data["reviews"].get(full, {})
                for issue in issues.values():
                    comments = data["comments"][full].get(str(issue["number"]), [])
                    ctx = Context(
                        repo_full_name=full,
                        repo=repo_record,
                        issue=issue,
                        comment_bodies=tuple(c["body"] for c in comments),
                        commenters=frozenset(c["user"] for c in comments),
                        linked=frozenset(linked.get(issue["number"], ())),
                        reviews=tuple(links.submitted(reviews.get(str(issue["number"]), []))),
                    )
                    if query.matches(ctx):
                        found.append(ctx)
            found.sort(key=sort_key(sort), reverse=order != "asc")
            chunk, headers = self._paginate(
                req, found, f"{self.urls.api}/search/issues", cap=RESULT_CAP
            )
            items = [
                payloads.issue(self.urls, data, c.repo_full_name, c.issue, variant="search")
                for c in chunk
            ]
        return Response(200, payloads.search_result(items, len(found)), headers)

    def search_repositories(self, req: Request) -> Response:
        """``/search/repositories``: qualifiers as in :mod:`.repo_search`, GitHub's shape."""
        query = self._search_query(req, parse_repo_query)
        sort = req.param("sort")
        order = (req.param("order") or "desc").lower()
        with self.store.locked() as data:
            found = [
                ctx
                for ctx in (_repo_context(data, r) for r in data["repos"].values())
                if not self.fork_pending(ctx.repo["full_name"]) and query.matches(ctx)
            ]
            key = repo_sort_key(sort if sort in REPO_SORTS else None, query)
            best_match = sort not in REPO_SORTS
            found.sort(key=key, reverse=best_match or order != "asc")
            chunk, headers = self._paginate(
                req, found, f"{self.urls.api}/search/repositories", cap=RESULT_CAP
            )
            items = [
                payloads.repo_search_item(
                    self.urls, data, c.repo["full_name"], round(query.score(c), 6)
                )
                for c in chunk
            ]
        return Response(200, payloads.search_result(items, len(found)), headers)

    # ------------------------------------------------------------------ pulls

    def list_pulls(self, req: Request, owner: str, repo: str) -> Response:
        doc = "https://docs.github.com/rest/pulls/pulls#list-pull-requests"
        record = self._repo(owner, repo, doc)
        full = record["full_name"]
        state = (req.param("state") or "open").lower()
        head = req.param("head")
        base = req.param("base")
        sort = req.param("sort") or "created"
        direction = (req.param("direction") or "desc").lower()

        def keep(issue: Record) -> bool:
            pr = issue["pull"]
            if pr is None:
                return False
            if state in ("open", "closed") and issue["state"] != state:
                return False
            if head:
                head_owner, _, head_ref = head.rpartition(":")
                if head_owner and pr["head_owner"].lower() != head_owner.lower():
                    return False
                if pr["head_ref"] != head_ref:
                    return False
            return not (base and pr["base_ref"] != base)

        with self.store.locked() as data:
            chosen = [i for i in self.store.issues(full) if keep(i)]
            field_name = "updated_at" if sort in ("updated", "popularity") else "created_at"
            chosen.sort(key=lambda i: (i[field_name], i["number"]), reverse=direction != "asc")
            page, headers = self._paginate(req, chosen, self._list_link(record, "pulls"))
            body = [payloads.pull(self.urls, data, full, i, detail=False) for i in page]
        return Response(200, body, headers)

    def get_pull(self, req: Request, owner: str, repo: str, number: str) -> Response:
        doc = "https://docs.github.com/rest/pulls/pulls#get-a-pull-request"
        record = self._repo(owner, repo, doc)
        full = record["full_name"]
        with self.store.locked() as data:
            issue = _issue_in(data, full, number, doc)
            if issue["pull"] is None:
                raise not_found(doc)
            return Response(200, payloads.pull(self.urls, data, full, issue))

    # ------------------------------------------------------------------ reviews

    def _pull_record(self, owner: str, repo: str, number: str, doc: str) -> tuple[Record, Record]:
        record = self._repo(owner, repo, doc)
        issue = self.store.get_issue(record["full_name"], int(number))
        if issue is None or issue["pull"] is None:
            raise not_found(doc)
        return record, issue

    def list_reviews(self, req: Request, owner: str, repo: str, number: str) -> Response:
        doc = f"{REVIEW_DOCS}#list-reviews-for-a-pull-request"
        record, _issue = self._pull_record(owner, repo, number, doc)
        full = record["full_name"]
        with self.store.locked() as data:
            visible = [
                r
                for r in data["reviews"][full].get(number, [])
                if r["state"] != "PENDING" or r["user"] == req.viewer
            ]
            page, headers = self._paginate(
                req, visible, self._list_link(record, f"pulls/{number}/reviews")
            )
            body = [payloads.review(self.urls, data, full, r) for r in page]
        return Response(200, body, headers)

    def create_review(self, req: Request, owner: str, repo: str, number: str) -> Response:
        doc = f"{REVIEW_DOCS}#create-a-review-for-a-pull-request"
        viewer = self._require_auth(req, doc)
        record, issue = self._pull_record(owner, repo, number, doc)
        params = req.json(optional=True)
        self._writable(record)
        full = record["full_name"]
        event = params.get("event")
        text = params.get("body") if isinstance(params.get("body"), str) else ""
        states = {"APPROVE": "APPROVED", "REQUEST_CHANGES": "CHANGES_REQUESTED"}
        states["COMMENT"] = "COMMENTED"
        if event in (None, ""):
            state = "PENDING"
        elif isinstance(event, str) and event.upper() in states:
            state = states[event.upper()]
        else:
            raise invalid(
                [{"resource": "PullRequestReview", "field": "event", "code": "invalid"}], doc
            )
        problem = None
        if state in ("CHANGES_REQUESTED", "COMMENTED") and not text.strip():
            kind = "REQUEST_CHANGES" if state == "CHANGES_REQUESTED" else "COMMENT"
            problem = f"Review body is required when using {kind}"
        elif state == "APPROVED" and issue["user"] == viewer:
            problem = "Can not approve your own pull request"
        elif state == "CHANGES_REQUESTED" and issue["user"] == viewer:
            problem = "Can not request changes on your own pull request"
        elif state == "PENDING" and any(
            r["state"] == "PENDING" and r["user"] == viewer
            for r in self.store.reviews(full, int(number))
        ):
            problem = "User can only have one pending review per pull request"
        if problem is not None:
            raise ApiError(422, payloads.error("Unprocessable Entity", doc, 422, [problem]))
        commit_id = params.get("commit_id") if isinstance(params.get("commit_id"), str) else None
        review = self.store.add_review(full, int(number), viewer, state, text, commit_id=commit_id)
        with self.store.locked() as data:
            return Response(200, payloads.review(self.urls, data, full, review))

    def _branch_sha(self, full_name: str, branch: str) -> str | None:
        if not branch or not _SAFE_REF.match(branch) or ".." in branch:
            return None
        proc = run_git(
            ["rev-parse", "--verify", "-q", f"refs/heads/{branch}^{{commit}}"],
            cwd=self._bare(full_name),
            check=False,
        )
        if proc.returncode != 0:
            return None
        return proc.stdout.decode().strip() or None

    def create_pull(self, req: Request, owner: str, repo: str) -> Response:
        doc = "https://docs.github.com/rest/pulls/pulls#create-a-pull-request"
        viewer = self._require_auth(req, doc)
        base_repo = self._repo(owner, repo, doc)
        params = req.json()
        full = base_repo["full_name"]
        self._writable(base_repo)
        missing = [
            {"resource": "PullRequest", "code": "missing_field", "field": name}
            for name in ("title", "head", "base")
            if not isinstance(params.get(name), str) or not params[name].strip()
        ]
        if missing:
            raise invalid(missing, doc)
        title: str = params["title"]
        head: str = params["head"].strip()
        base: str = params["base"].strip()
        head_owner, _, head_ref = head.rpartition(":")
        head_owner = head_owner or base_repo["owner"]
        head_repo = None
        if isinstance(params.get("head_repo"), str):
            head_repo = self.store.get_repo(f"{head_owner}/{params['head_repo']}")
        if head_repo is None:
            head_repo = self.store.network_repo(head_owner, full)
        head_invalid = invalid(
            [{"resource": "PullRequest", "field": "head", "code": "invalid"}], doc
        )
        base_sha = self._branch_sha(full, base)
        if base_sha is None:
            raise invalid([{"resource": "PullRequest", "field": "base", "code": "invalid"}], doc)
        if head_repo is None:
            raise head_invalid
        head_sha = self._branch_sha(head_repo["full_name"], head_ref)
        if head_sha is None:
            raise head_invalid
        with self._pull_lock:
            for issue in self.store.issues(full):
                pr = issue["pull"]
                if (
                    pr is not None
                    and issue["state"] == "open"
                    and pr["head_owner"].lower() == head_owner.lower()
                    and pr["head_ref"] == head_ref
                    and pr["base_ref"] == base
                ):
                    message = f"A pull request already exists for {head_owner}:{head_ref}."
                    raise invalid(
                        [{"resource": "PullRequest", "code": "custom", "message": message}], doc
                    )
            self._fetch_into(full, head_repo["full_name"], head_sha)
            if head_sha == base_sha or self._is_ancestor(full, head_sha, base_sha):
                message = f"No commits between {base} and {head_ref}"
                raise invalid(
                    [{"resource": "PullRequest", "code": "custom", "message": message}], doc
                )
            body = params.get("body") if isinstance(params.get("body"), str) else None
            issue = self.store.add_issue(
                full,
                title,
                body,
                user=viewer,
                created_days_ago=0,
                is_pull=True,
                head=f"{head_owner}:{head_ref}",
                base=base,
                head_sha=head_sha,
                base_sha=base_sha,
                draft=bool(params.get("draft", False)),
            )
            number = issue["number"]
            run_git(
                ["update-ref", f"refs/pull/{number}/head", head_sha],
                cwd=self._bare(full),
                check=False,
            )
        stats = self._diff_stats(full, base_sha, head_sha)
        self.store.update_pull(
            full,
            number,
            maintainer_can_modify=bool(params.get("maintainer_can_modify", True)),
            **stats,
        )
        if head_repo["full_name"] != full:
            self.store.touch_pushed(head_repo["full_name"])
        with self.store.locked() as data:
            payload = payloads.pull(self.urls, data, full, data["issues"][full][str(number)])
        return Response(201, payload, {"Location": payload["url"]})

    def _fetch_into(self, full: str, head_full: str, head_sha: str) -> None:
        """Bring the head commit's objects into the base repository, as GitHub does."""
        if head_full == full:
            return
        run_git(
            ["fetch", "-q", "--no-write-fetch-head", str(self._bare(head_full)), head_sha],
            cwd=self._bare(full),
        )

    def _is_ancestor(self, full: str, maybe_ancestor: str, commit: str) -> bool:
        proc = run_git(
            ["merge-base", "--is-ancestor", maybe_ancestor, commit],
            cwd=self._bare(full),
            check=False,
        )
        return proc.returncode == 0

    def _diff_stats(self, full: str, base_sha: str, head_sha: str) -> dict[str, int]:
        cwd = self._bare(full)
        try:
            commits = run_git(["rev-list", "--count", f"{base_sha}..{head_sha}"], cwd=cwd)
            numstat = run_git(["diff", "--numstat", f"{base_sha}...{head_sha}"], cwd=cwd)
        except GitError:
            return {}
        additions = deletions = files = 0
        for line in numstat.stdout.decode().splitlines():
            added, removed, _ = [*line.split("\t", 2), "", ""][:3]
            files += 1
            additions += int(added) if added.isdigit() else 0
            deletions += int(removed) if removed.isdigit() else 0
        return {
            "commits": int(commits.stdout.decode().strip() or 0),
            "additions": additions,
            "deletions": deletions,
            "changed_files": files,
        }

    # ------------------------------------------------------------------ contents

    def get_contents(self, req: Request, owner: str, repo: str, path: str) -> Response:
        doc = "https://docs.github.com/rest/repos/contents#get-repository-content"
        record = self._repo(owner, repo, doc)
        full = record["full_name"]
        ref = req.param("ref") or record["default_branch"]
        path = path.strip("/")
        commit = self._resolve_commit(full, ref)
        if commit is None:
            raise ApiError(404, payloads.error(f"No commit found for the ref {ref}", doc, 404))
        cwd = self._bare(full)
        env = {"GIT_LITERAL_PATHSPECS": "1"}
        if not path:
            return Response(200, self._listing(full, ref, commit, ""))
        if not _safe_path(path):
            raise not_found(doc)
        listed = run_git(["ls-tree", "-z", "-l", commit, "--", path], cwd=cwd, env=env, check=False)
        entries = _parse_ls_tree(listed.stdout) if listed.returncode == 0 else []
        entry = next((e for e in entries if e[4] == path), None)
        if entry is None:
            raise not_found(doc)
        mode, kind, sha, _size, _name = entry
        if kind == "tree":
            return Response(200, self._listing(full, ref, sha, path + "/"))
        if kind != "blob" or mode == "120000":
            kind_name = "symlink" if mode == "120000" else "submodule"
            return Response(
                200,
                payloads.content_entry(self.urls, full, ref, path, sha, int(_size or 0), kind_name),
            )
        raw = run_git(["cat-file", "blob", sha], cwd=cwd).stdout
        return Response(200, payloads.content_file(self.urls, full, ref, path, sha, raw))

    def _resolve_commit(self, full: str, ref: str) -> str | None:
        if not _SAFE_REF.match(ref) or ref.startswith("-") or ".." in ref:
            return None
        proc = run_git(
            ["rev-parse", "--verify", "-q", f"{ref}^{{commit}}"], cwd=self._bare(full), check=False
        )
        return proc.stdout.decode().strip() if proc.returncode == 0 else None

    def _listing(self, full: str, ref: str, tree: str, prefix: str) -> list[dict[str, Any]]:
        out = run_git(["ls-tree", "-z", "-l", tree], cwd=self._bare(full)).stdout
        listing = []
        for mode, kind, sha, size, name in _parse_ls_tree(out):
            kind_name = {"blob": "file", "tree": "dir", "commit": "submodule"}[kind]
            if mode == "120000":
                kind_name = "symlink"
            listing.append(
                payloads.content_entry(
                    self.urls,
                    full,
                    ref,
                    prefix + name,
                    sha,
                    int(size) if size.isdigit() else 0,
                    kind_name,
                )
            )
        return listing

    # ------------------------------------------------------------------ web pages

    def page_repo(self, req: Request, owner: str, repo: str) -> Response:
        record = self.store.get_repo(f"{owner}/{repo}")
        if record is None:
            return Response(404, "Not Found", content_type="text/plain; charset=utf-8")
        full = record["full_name"]
        readme = ""
        commit = self._resolve_commit(full, record["default_branch"])
        if commit is not None:
            proc = run_git(["show", f"{commit}:README.md"], cwd=self._bare(full), check=False)
            readme = proc.stdout.decode("utf-8", "replace") if proc.returncode == 0 else ""
        lines = [
            f"#{i['number']}  {i['title']}" for i in self.store.issues(full) if i["state"] == "open"
        ]
        sections = [
            ("About", record["description"] or ""),
            ("Clone", self.urls.clone(full)),
            ("Open issues and pull requests", "\n".join(lines) or "None yet."),
            ("README.md", readme),
        ]
        html = payloads.html_page(full, sections)
        return Response(200, html, content_type="text/html; charset=utf-8")

    def page_issue(self, req: Request, owner: str, repo: str, kind: str, number: str) -> Response:
        record = self.store.get_repo(f"{owner}/{repo}")
        issue = self.store.get_issue(record["full_name"], int(number)) if record else None
        if record is None or issue is None:
            return Response(404, "Not Found", content_type="text/plain; charset=utf-8")
        labels = ", ".join(issue["labels"]) or "none"
        sections = [
            (
                f"{issue['state']} · opened by {issue['user']} · labels: {labels}",
                issue["body"] or "",
            )
        ]
        for c in self.store.comments(record["full_name"], int(number)):
            sections.append((f"{c['user']} commented on {c['created_at']}", c["body"]))
        title = f"{issue['title']} · {record['full_name']}#{number}"
        return Response(
            200, payloads.html_page(title, sections), content_type="text/html; charset=utf-8"
        )

    def page_raw(self, req: Request, owner: str, repo: str, ref: str, path: str) -> Response:
        record = self.store.get_repo(f"{owner}/{repo}")
        commit = self._resolve_commit(record["full_name"], ref) if record else None
        if record is None or commit is None or not _safe_path(path):
            return Response(404, b"404: Not Found", content_type="text/plain; charset=utf-8")
        proc = run_git(
            ["show", f"{commit}:{path}"], cwd=self._bare(record["full_name"]), check=False
        )
        if proc.returncode != 0:
            return Response(404, b"404: Not Found", content_type="text/plain; charset=utf-8")
        return Response(200, proc.stdout, content_type="text/plain; charset=utf-8")


def _issue_in(data: Record, full: str, number: str, doc: str) -> Record:
    """Issue (or pull request) ``number`` of repository ``full``, or GitHub's 404 for ``doc``.

    Called with the store locked: ``data`` is the store's content.
    """
    issue: Record | None = data["issues"][full].get(number)
    if issue is None:
        raise not_found(doc)
    return issue


def _page_window(req: Request) -> tuple[int, int]:
    """``page`` (from 1) and ``per_page`` (1 to 100; 30 when missing, zero or nonsense)."""
    per_page = _int(req.param("per_page"), 30)
    per_page = 30 if per_page < 1 else min(per_page, 100)
    return max(1, _int(req.param("page"), 1)), per_page


def _int(value: str | None, default: int, base: int = 10) -> int:
    try:
        return int(value, base) if value is not None else default
    except ValueError:
        return default


def _reason(status: int) -> str:
    """GitHub's message for a server error status."""
    if status == 500:
        return "Server Error"
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Server Error"


def _safe_path(path: str) -> bool:
    """A repository-relative path git can be asked about: no traversal, no control bytes."""
    if any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in path):
        return False
    return all(part not in ("", ".", "..") for part in path.split("/"))


def _normalise_stamp(text: str) -> str:
    try:
        return iso(parse_iso(text))
    except ValueError:
        return text


def _parse_ls_tree(out: bytes) -> list[tuple[str, str, str, str, str]]:
    """``git ls-tree -z -l`` records: (mode, type, sha, size, path)."""
    entries = []
    for raw in out.split(b"\0"):
        if not raw:
            continue
        meta, _, name = raw.partition(b"\t")
        mode, kind, sha, size = meta.decode().split(maxsplit=3)
        entries.append((mode, kind, sha, size.strip(), name.decode("utf-8", "replace")))
    return entries


@dataclass
class _PendingFork:
    """A fork still "being created": built in ``building``, served once moved to ``target``."""

    ready_at: float  # time.monotonic()
    building: Path
    target: Path
    timer: threading.Timer | None = None


_GOOD_FIRST = "good first issue"
_HELP_WANTED = "help wanted"


def _repo_context(data: dict[str, Any], record: Record) -> RepoContext:
    """A repository with its open good-first and help-wanted issue counts (pulls excluded)."""
    full = record["full_name"]
    good = wanted = 0
    for issue in data["issues"].get(full, {}).values():
        if issue["state"] != "open" or issue["pull"] is not None:
            continue
        keys = {label_key(name) for name in issue["labels"]}
        good += _GOOD_FIRST in keys
        wanted += _HELP_WANTED in keys
    forks = sum(1 for r in data["repos"].values() if r["parent"] == full)
    return RepoContext(record, good, wanted, forks)


# ---------------------------------------------------------------------------- socket layer


class _Handler(BaseHTTPRequestHandler):
    """Adapts the stdlib handler to :class:`ForgeApp`; silent, keep-alive capable."""

    protocol_version = "HTTP/1.1"
    server_version = "onboard-practice-forge"
    timeout = 30  # idle keep-alive connections must not pin threads forever
    server: ForgeHTTPServer

    def version_string(self) -> str:
        return self.server_version

    def log_message(self, format: str, *args: Any) -> None:
        """Silenced: stderr output would draw over a Textual screen."""

    def setup(self) -> None:
        super().setup()
        self.server.track(self.connection, add=True)

    def finish(self) -> None:
        with contextlib.suppress(OSError):
            super().finish()
        self.server.track(self.connection, add=False)

    def _read_body(self) -> bytes | None:
        """The request body (plain or chunked); ``None`` when it is unreadable or too large."""
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            chunks: list[bytes] = []
            total = 0
            while True:
                line = self.rfile.readline(1024).split(b";")[0].strip()
                size = _int(line.decode("ascii", "replace") or "x", -1, base=16)
                if size < 0:
                    return None
                if size == 0:
                    while self.rfile.readline(1024).strip():
                        pass  # trailers
                    return b"".join(chunks)
                total += size
                if total > MAX_BODY:
                    return None
                chunks.append(self.rfile.read(size))
                self.rfile.readline(8)
        length = _int(self.headers.get("Content-Length") or "0", -1)
        if length < 0 or length > MAX_BODY:
            return None
        return self.rfile.read(length) if length else b""

    def _serve(self) -> None:
        parts = urlsplit(self.path)
        body = self._read_body()
        if body is None:
            self._write(
                Response(400, payloads.error("Problems parsing JSON", payloads.DOCS, 400)), None
            )
            self.close_connection = True
            return
        request = Request(
            method=self.command,
            raw_path=parts.path,
            path=parts.path or "/",
            query_pairs=parse_qsl(parts.query, keep_blank_values=True),
            headers={k.lower(): v for k, v in self.headers.items()},
            body=body,
            client=self.client_address[0],
        )
        response = self.server.app.handle(request)
        delay = self.server.app.latency + response.delay
        if delay > 0 and self.server.stopping.wait(delay):
            response.reset = True  # the forge is stopping: let go of held connections now
        if response.reset:
            self._reset()
            return
        self._write(response, request)

    def _reset(self) -> None:
        """Drop the connection with a TCP reset instead of an answer."""
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        # The socket really closes (sending the reset) once its last file object is closed.
        with contextlib.suppress(OSError, ValueError):
            self.rfile.close()
        with contextlib.suppress(OSError):
            self.connection.close()

    def _write(self, response: Response, request: Request | None) -> None:
        payload = b"" if response.status == 304 else ForgeApp.encode(response)
        try:
            self.send_response(response.status)
            if response.status != 304:
                self.send_header("Content-Type", response.content_type)
            for name, value in response.headers.items():
                self.send_header(name, value)
            if response.status != 304:
                self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            if payload and self.command != "HEAD":
                self.wfile.write(payload)
        except OSError:
            self.close_connection = True

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = _serve


class ForgeHTTPServer(ThreadingHTTPServer):
    """Threaded server that knows its open connections so ``stop()`` can really stop."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], app: ForgeApp) -> None:
        self.app = app
        #: Set by ``stop()``; requests held by latency or timeout faults wake up and let go.
        self.stopping = threading.Event()
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        super().__init__(address, _Handler)

    @property
    def port(self) -> int:
        return int(self.server_address[1])

    def track(self, conn: socket.socket, *, add: bool) -> None:
        with self._connections_lock:
            if add:
                self._connections.add(conn)
            else:
                self._connections.discard(conn)

    def close_connections(self) -> None:
        """End keep-alive connections, so a stopped forge no longer answers old clients."""
        with self._connections_lock:
            connections = list(self._connections)
        for conn in connections:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Silenced: a client hanging up mid-response is not worth a traceback on the TUI."""


def make_server(host: str, port: int, app: ForgeApp) -> ForgeHTTPServer:
    """Bind ``port`` if possible (so clones' remotes stay valid), else any free port."""
    if port:
        try:
            return ForgeHTTPServer((host, port), app)
        except OSError:
            pass
    return ForgeHTTPServer((host, 0), app)
