"""``GitHubForge.token_info()`` and the doctor's forge report, over real HTTP.

The practice forge answers like GitHub for its own (classic-style) token. Fine-grained and
under-scoped tokens are played by a tiny local server that sends exactly the headers GitHub
sends for them: no ``X-OAuth-Scopes`` at all, or a list without ``public_repo``.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from onboard.core.setup.doctor import CheckStatus, run_checks
from onboard.flows.doctor import forge_report, real_probes
from onboard.forge.base import ForgeAuthError, ForgeConfig, TokenInfo
from onboard.forge.github import GitHubForge
from onboard.practice import PracticeForge

#: token → the X-OAuth-Scopes header GitHub would send (None: no header, as for fine-grained).
TOKENS: dict[str, str | None] = {
    "ghp_limited": "read:user, gist",
    "ghp_noscopes": "",
    "github_pat_finegrained": None,
}


class _GitHubLike(BaseHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        return

    def do_GET(self) -> None:
        token = (self.headers.get("Authorization") or "").partition(" ")[2]
        self.server.seen.append((self.path, token))  # type: ignore[attr-defined]
        if token not in TOKENS:
            self._send(401, {"message": "Bad credentials"}, {})
            return
        headers = {
            "X-RateLimit-Limit": "5000",
            "X-RateLimit-Remaining": "4321",
            "X-RateLimit-Reset": str(int(time.time()) + 3600),
            "X-RateLimit-Resource": "core",
        }
        scopes = TOKENS[token]
        if scopes is not None:
            headers["X-OAuth-Scopes"] = scopes
            headers["X-Accepted-OAuth-Scopes"] = ""
        if self.path.startswith("/rate_limit"):
            core = {"limit": 5000, "remaining": 4321, "reset": int(time.time()) + 3600, "used": 1}
            body = {"resources": {"core": core, "search": core}, "rate": core}
        else:
            body = {"login": f"owner-of-{token.split('_')[-1]}", "id": 7, "type": "User"}
        self._send(200, body, headers)

    def _send(self, status: int, body: object, headers: dict[str, str]) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        for key, value in headers.items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(data)


@pytest.fixture
def github_like() -> Iterator[ThreadingHTTPServer]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _GitHubLike)
    server.seen = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def config_for(server: ThreadingHTTPServer, token: str) -> ForgeConfig:
    host, port = server.server_address[:2]
    return ForgeConfig(api_url=f"http://{host}:{port}", token=token, token_source="GH_TOKEN")


def test_practice_token_has_login_and_scopes(
    practice_forge: PracticeForge, forge_config: ForgeConfig
) -> None:
    forge = GitHubForge(forge_config)
    practice_forge.clear_requests()
    info = forge.token_info()
    assert info == TokenInfo("learner", ("repo", "read:org"))
    assert [(r.method, r.path) for r in practice_forge.requests] == [("GET", "/user")]
    assert forge.rate_limits["core"].limit == 5000


def test_token_info_is_never_served_from_cache(
    practice_forge: PracticeForge, forge_config: ForgeConfig
) -> None:
    forge = GitHubForge(forge_config)
    forge.token_info()
    practice_forge.clear_requests()
    forge.token_info()
    assert [r.status for r in practice_forge.requests] == [200]


def test_without_a_token_nothing_is_asked(practice_forge: PracticeForge) -> None:
    forge = GitHubForge(ForgeConfig(api_url=practice_forge.api_url, practice=True))
    practice_forge.clear_requests()
    assert forge.token_info() == TokenInfo(None, None)
    assert practice_forge.requests == []


def test_rejected_token_is_an_auth_error(practice_forge: PracticeForge) -> None:
    config = ForgeConfig(
        api_url=practice_forge.api_url, token="opf_wrong", token_source="GH_TOKEN", practice=True
    )
    with pytest.raises(ForgeAuthError, match="token from GH_TOKEN") as caught:
        GitHubForge(config).token_info()
    assert "opf_wrong" not in str(caught.value)


def test_fine_grained_token_lists_no_scopes(github_like: ThreadingHTTPServer) -> None:
    info = GitHubForge(config_for(github_like, "github_pat_finegrained")).token_info()
    assert info == TokenInfo("owner-of-finegrained", None)


def test_classic_token_scopes_are_split(github_like: ThreadingHTTPServer) -> None:
    assert GitHubForge(config_for(github_like, "ghp_limited")).token_info().scopes == (
        "read:user",
        "gist",
    )
    assert GitHubForge(config_for(github_like, "ghp_noscopes")).token_info().scopes == ()


def test_forge_report_and_checks_for_an_under_scoped_token(
    github_like: ThreadingHTTPServer,
) -> None:
    forge = GitHubForge(config_for(github_like, "ghp_limited"))
    report = forge_report(forge)
    assert (report.login, report.scopes) == ("owner-of-limited", ("read:user", "gist"))
    assert (report.rate_remaining, report.rate_limit) == (4321, 5000)
    assert {path for path, _ in github_like.seen} == {"/rate_limit", "/user"}  # type: ignore[attr-defined]
    checks = {c.id: c for c in run_checks(real_probes(forge), None, os_name="linux")}
    assert checks["token-scopes"].status is CheckStatus.WARN
    assert "read:user, gist" in checks["token-scopes"].detail


def test_forge_report_for_a_fine_grained_token(github_like: ThreadingHTTPServer) -> None:
    forge = GitHubForge(config_for(github_like, "github_pat_finegrained"))
    checks = {c.id: c for c in run_checks(real_probes(forge), None, os_name="linux")}
    assert checks["token"].status is CheckStatus.OK
    assert checks["token-scopes"].detail.startswith("fine-grained token: scopes not listed")


def test_forge_report_when_unreachable() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = ForgeConfig(api_url=f"http://127.0.0.1:{port}", token="x", token_source="GH_TOKEN")
    report = forge_report(GitHubForge(config))
    assert report.problem_kind == "unreachable"
    assert report.problem is not None and "Cannot reach" in report.problem


def test_forge_report_for_a_rejected_token(github_like: ThreadingHTTPServer) -> None:
    report = forge_report(GitHubForge(config_for(github_like, "ghp_revoked")))
    assert report.problem_kind == "auth"
    assert "ghp_revoked" not in (report.problem or "")
