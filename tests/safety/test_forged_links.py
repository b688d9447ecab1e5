"""A server's pagination links are never followed to another host, so the token (sent in the
Authorization header) only ever goes to the configured API.

Two tiny real HTTP servers on loopback: the "API" answers with a ``Link: rel="next"`` pointing at
the "other" server on another port; the other server counts every connection it is offered.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from onboard.core.models import RepoRef
from onboard.forge.base import ForgeConfig, ForgeError
from onboard.forge.cache import ResponseCache
from onboard.forge.github import GitHubForge

TOKEN = "ghp_" + "t0ken" * 8
REPO = RepoRef.parse("octo/hello")

#: (path without query) -> (JSON body, Link header or None); ``{api}``/``{other}`` are filled in.
Routes = dict[str, tuple[Any, str | None]]


@dataclass
class Seen:
    connections: int = 0
    requests: list[tuple[str, str | None]] = field(default_factory=list)  # (path, Authorization)


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, seen: Seen, routes: Callable[[], Routes]) -> None:
        self.seen = seen
        self.routes = routes
        super().__init__(("127.0.0.1", 0), _Handler)

    def verify_request(self, request: Any, client_address: Any) -> bool:
        self.seen.connections += 1  # counted before a single byte of the request is read
        return True


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0]
        self.server.seen.requests.append((self.path, self.headers.get("Authorization")))
        body, link = self.server.routes().get(path, ({"message": "Not Found"}, None))
        payload = json.dumps(body).encode()
        self.send_response(200 if path in self.server.routes() else 404)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(payload)))
        if link:
            self.send_header("Link", link)
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@dataclass
class Pair:
    api_url: str
    other_url: str
    api: Seen
    other: Seen
    routes: Routes


@pytest.fixture
def servers() -> Iterator[Pair]:
    routes: Routes = {}
    api_seen, other_seen = Seen(), Seen()
    api = _Server(api_seen, lambda: routes)
    other = _Server(other_seen, lambda: routes)
    threads = [
        threading.Thread(target=s.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        for s in (api, other)
    ]
    for thread in threads:
        thread.start()
    try:
        yield Pair(
            f"http://127.0.0.1:{api.server_address[1]}",
            f"http://127.0.0.1:{other.server_address[1]}",
            api_seen,
            other_seen,
            routes,
        )
    finally:
        for server in (api, other):
            server.shutdown()
            server.server_close()


def forge_for(pair: Pair, tmp_path: Path) -> GitHubForge:
    config = ForgeConfig(api_url=pair.api_url, token=TOKEN, token_source="GH_TOKEN", timeout=5)
    return GitHubForge(config, cache=ResponseCache(tmp_path / "cache"))


def search_page(link: str) -> tuple[Any, str]:
    return {"total_count": 200, "incomplete_results": False, "items": []}, link


def test_search_link_to_another_port_is_refused_before_any_request(
    servers: Pair, tmp_path: Path
) -> None:
    servers.routes["/search/issues"] = search_page(
        f'<{servers.other_url}/search/issues?q=x&page=2>; rel="next"'
    )
    with pytest.raises(ForgeError) as caught:
        forge_for(servers, tmp_path).good_first_issues([REPO])
    assert "sent a pagination link to another host; stopped" in str(caught.value)
    assert TOKEN not in str(caught.value)
    assert servers.other.connections == 0
    assert servers.other.requests == []
    # The configured API did get the first request, with the token: the check is not simply
    # "never authenticate".
    assert servers.api.requests[0][0].startswith("/search/issues")
    assert servers.api.requests[0][1] == f"token {TOKEN}"


@pytest.mark.parametrize(
    "link",
    [
        "http://localhost:{api_port}/search/issues?page=2",  # same machine, another host name
        "https://127.0.0.1:{api_port}/search/issues?page=2",  # another scheme
        "http://127.0.0.1/search/issues?page=2",  # default port 80
        "//127.0.0.1:{other_port}/search/issues?page=2",  # protocol-relative
        "http://127.0.0.1:{api_port}@127.0.0.1:{other_port}/search/issues",  # userinfo trick
        "search/issues?page=2",  # relative to nothing in particular
    ],
    ids=["other-name", "other-scheme", "default-port", "protocol-relative", "userinfo", "bare"],
)
def test_every_other_origin_is_refused(servers: Pair, tmp_path: Path, link: str) -> None:
    api_port = servers.api_url.rsplit(":", 1)[1]
    other_port = servers.other_url.rsplit(":", 1)[1]
    target = link.format(api_port=api_port, other_port=other_port)
    servers.routes["/search/issues"] = search_page(f'<{target}>; rel="next"')
    with pytest.raises(ForgeError, match="another host"):
        forge_for(servers, tmp_path).good_first_issues([REPO])
    assert len(servers.api.requests) == 1  # nothing after the first page, not even to itself
    assert servers.other.connections == 0


def test_links_on_the_configured_api_are_followed(servers: Pair, tmp_path: Path) -> None:
    timeline = f"/repos/{REPO.full_name}/issues/1/timeline"
    port = servers.api_url.rsplit(":", 1)[1]
    event = [{"event": "labeled", "id": 1}]
    servers.routes[timeline] = (event, f'<{servers.api_url}/page-two?page=2>; rel="next"')
    # An upper-case scheme and host name the same origin; a path-only link stays on it too.
    servers.routes["/page-two"] = (event, f'<HTTP://127.0.0.1:{port}/page-three>; rel="next"')
    servers.routes["/page-three"] = (event, '</page-four>; rel="next"')
    servers.routes["/page-four"] = (event, None)
    forge_for(servers, tmp_path).timeline(REPO, 1)
    paths = [path.split("?", 1)[0] for path, _ in servers.api.requests]
    assert paths == [timeline, "/page-two", "/page-three", "/page-four"]
    assert all(auth == f"token {TOKEN}" for _, auth in servers.api.requests)
    assert servers.other.connections == 0


def test_a_link_back_to_itself_cannot_loop_forever(servers: Pair, tmp_path: Path) -> None:
    timeline = f"/repos/{REPO.full_name}/issues/1/timeline"
    servers.routes[timeline] = ([], f'<{servers.api_url}{timeline}>; rel="next"')
    forge_for(servers, tmp_path).timeline(REPO, 1)
    assert len(servers.api.requests) == 2  # the first page, then one empty page ends it


def test_a_label_list_linking_elsewhere_stops_before_any_request(
    servers: Pair, tmp_path: Path
) -> None:
    # labels() pages through the list with the same checked pagination as every other list
    # (PyGithub's own paging is no longer used), so a next link to another host stops it.
    labels = f"/repos/{REPO.full_name}/labels"
    label = {"name": "good first issue", "color": "7057ff", "description": None}
    servers.routes[labels] = ([label], f'<{servers.other_url}{labels}?page=2>; rel="next"')
    with pytest.raises(ForgeError) as caught:
        forge_for(servers, tmp_path).labels(REPO)
    assert "pagination link to another host" in str(caught.value)
    assert "Your token was not sent there" in str(caught.value)
    assert servers.other.connections == 0
