"""One HTTP exchange as the forge's pipeline and its routes see it, and the route table's parts.

The pipeline (:mod:`.server`) and every route module (:mod:`.routes`) speak in these terms:
a parsed :class:`Request` in, a :class:`Response` out, or an :class:`ApiError` raised for GitHub's
error bodies. The helpers here are the ones many routes need to read a request (the viewer, the
page window) and to shape an answer (404s, 422s, the paginated ``Link`` header).

A route module owns a :class:`Routes` and registers its handlers on it with ``@routes.get(...)``
or ``@routes.post(...)``; :mod:`.routes` gathers the modules' tables into the one the pipeline
dispatches through. Nothing here knows the socket layer or the forge's state.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, TypeVar
from urllib.parse import unquote, urlencode

from onboard.practice import payloads

JSON_TYPE = "application/json; charset=utf-8"
#: The path of one repository in the API; most routes extend it.
REPO = r"/repos/(?P<owner>[^/]+)/(?P<repo>[^/]+)"


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

    def encode(self) -> bytes:
        """The body as sent: bytes as they are, text as UTF-8, anything else as compact JSON."""
        if self.body is None:
            return b""
        if isinstance(self.body, bytes):
            return self.body
        if isinstance(self.body, str):
            return self.body.encode("utf-8")
        return json.dumps(self.body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def require_auth(req: Request, doc: str) -> str:
    """The viewer's login; GitHub's 401 "Requires authentication" for anonymous requests."""
    if req.viewer is None:
        raise ApiError(401, payloads.error("Requires authentication", doc, 401))
    return req.viewer


# ---------------------------------------------------------------------------- pages of results


def parse_int(value: str | None, default: int, base: int = 10) -> int:
    try:
        return int(value, base) if value is not None else default
    except ValueError:
        return default


def page_window(req: Request) -> tuple[int, int]:
    """``page`` (from 1) and ``per_page`` (1 to 100; 30 when missing, zero or nonsense)."""
    per_page = parse_int(req.param("per_page"), 30)
    per_page = 30 if per_page < 1 else min(per_page, 100)
    return max(1, parse_int(req.param("page"), 1)), per_page


def paginate(
    req: Request, items: list[Any], link_base: str, *, cap: int | None = None
) -> tuple[list[Any], dict[str, str]]:
    """Slice ``items`` for ``page``/``per_page`` and build GitHub's ``Link`` header."""
    page, per_page = page_window(req)
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


# ---------------------------------------------------------------------------- the route table

#: A route handler: ``handler(forge, request, **path_parameters) -> Response``, where ``forge`` is
#: the :class:`~onboard.practice.context.ForgeContext` serving the request.
Handler = Callable[..., Response]
_H = TypeVar("_H", bound=Handler)


@dataclass(frozen=True)
class Route:
    """A method and a path pattern (anchored, optional trailing slash) answered by a handler.

    ``web_page`` routes are the HTML pages at ``/{owner}/{repo}...``; the pipeline serves them
    without rate limits or ETags, and never for an ``owner`` that is an API word.
    """

    method: str
    pattern: re.Pattern[str]
    handler: Handler
    web_page: bool = False

    def match(self, method: str, path: str) -> dict[str, str] | None:
        """The path parameters (URL-decoded) when this route answers ``method path``."""
        if method != self.method:
            return None
        found = self.pattern.match(path)
        if found is None:
            return None
        return {k: unquote(v) for k, v in found.groupdict().items()}


class Routes:
    """The routes one module contributes, in registration order."""

    def __init__(self) -> None:
        self._routes: list[Route] = []

    def add(self, method: str, pattern: str, *, web_page: bool = False) -> Callable[[_H], _H]:
        """Decorator: register the decorated handler for ``method`` on ``pattern``."""

        def register(handler: _H) -> _H:
            self._routes.append(Route(method, re.compile(f"^{pattern}/?$"), handler, web_page))
            return handler

        return register

    def get(self, pattern: str, *, web_page: bool = False) -> Callable[[_H], _H]:
        return self.add("GET", pattern, web_page=web_page)

    def post(self, pattern: str) -> Callable[[_H], _H]:
        return self.add("POST", pattern)

    def put(self, pattern: str) -> Callable[[_H], _H]:
        return self.add("PUT", pattern)

    def __iter__(self) -> Iterator[Route]:
        return iter(self._routes)
