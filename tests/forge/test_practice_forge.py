"""The practice forge answers like GitHub: real PyGithub over a real socket, no fakes."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import github
import pytest
import requests

from onboard.practice import PRACTICE_USER, PracticeForge, RequestRecord

from .conftest import REFERENCE, make_client

TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")


def reference(name: str) -> object:
    return json.loads((REFERENCE / name).read_text(encoding="utf-8"))


def link_pages(header: str) -> dict[str, str]:
    return {rel: url for url, rel in re.findall(r'<([^>]+)>; rel="(\w+)"', header)}


# ---------------------------------------------------------------------------- repositories


def test_repo_payload_has_githubs_fields_nulls_and_urls(
    forge: PracticeForge, http: requests.Session, auth: dict[str, str]
) -> None:
    ref = reference("repo.json")
    assert isinstance(ref, dict)
    body = http.get(f"{forge.api_url}/repos/practice/tiny-calc", headers=auth).json()

    assert list(body) == list(ref), "same fields in the same order as GitHub"
    assert list(body["owner"]) == list(ref["owner"])
    assert list(body["license"]) == list(ref["license"])
    assert body["owner"]["type"] == "Organization"
    assert body["organization"] == body["owner"]
    assert body["mirror_url"] is None
    assert body["fork"] is False and "parent" not in body
    assert body["license"]["spdx_id"] == "MIT"
    assert body["permissions"] == {
        "admin": False,
        "maintain": False,
        "push": False,
        "triage": False,
        "pull": True,
    }
    git_port = forge.git_url.rsplit(":", 1)[1].rstrip("/")
    assert body["clone_url"] == f"git://127.0.0.1:{git_port}/practice/tiny-calc.git"
    assert body["git_url"] == body["clone_url"]
    assert body["html_url"] == f"{forge.api_url}/practice/tiny-calc"
    assert body["url"] == f"{forge.api_url}/repos/practice/tiny-calc"
    assert body["forks_count"] == 2  # sam-contrib's and alex-helper's forks
    assert body["open_issues_count"] == 8  # 6 open issues + 2 open pull requests
    assert all(TIMESTAMP.match(body[k]) for k in ("created_at", "updated_at", "pushed_at"))

    by_id = http.get(f"{forge.api_url}/repositories/{body['id']}", headers=auth).json()
    assert by_id == body

    anonymous = http.get(f"{forge.api_url}/repos/practice/tiny-calc").json()
    assert "permissions" not in anonymous


def test_missing_repo_and_unknown_routes_answer_githubs_404(
    forge: PracticeForge, http: requests.Session
) -> None:
    missing = http.get(f"{forge.api_url}/repos/practice/nope")
    assert missing.status_code == 404
    assert missing.json() == {
        "message": "Not Found",
        "documentation_url": "https://docs.github.com/rest/repos/repos#get-a-repository",
        "status": "404",
    }
    unknown = http.get(f"{forge.api_url}/definitely/not/a/route")
    assert unknown.status_code == 404
    assert unknown.json() == {
        "message": "Not Found",
        "documentation_url": "https://docs.github.com/rest",
        "status": "404",
    }
    assert http.delete(f"{forge.api_url}/repos/practice/hello-docs").status_code == 404
    assert http.patch(f"{forge.api_url}/repos/practice/hello-docs", json={}).status_code == 404


def test_pygithub_reads_repo_user_and_org(forge: PracticeForge, gh: github.Github) -> None:
    repo = gh.get_repo("practice/hello-docs")
    assert repo.full_name == "practice/hello-docs"
    assert repo.default_branch == "main"
    assert repo.owner.login == "practice"
    assert repo.organization.login == "practice"
    assert repo.license.spdx_id == "MIT"
    assert "documentation" in repo.topics
    assert gh.get_user().login == PRACTICE_USER
    mia = gh.get_user("maintainer-mia")
    assert mia.name == "Mia Okafor"
    assert mia.type == "User"


def test_response_headers_match_github(
    forge: PracticeForge, http: requests.Session, auth: dict[str, str]
) -> None:
    response = http.get(f"{forge.api_url}/repos/practice/hello-docs", headers=auth)
    h = response.headers
    assert h["Content-Type"] == "application/json; charset=utf-8"
    assert h["X-GitHub-Media-Type"] == "github.v3; format=json"
    assert h["Server"] == "onboard-practice-forge"
    assert re.fullmatch(r'W/"[0-9a-f]{64}"', h["ETag"])
    assert h["Cache-Control"] == "private, max-age=60, s-maxage=60"
    assert h["X-OAuth-Scopes"] == "repo, read:org"
    assert "X-Accepted-OAuth-Scopes" in h and "Vary" in h and "Date" in h
    assert h["X-RateLimit-Limit"] == "5000"
    assert h["X-RateLimit-Resource"] == "core"
    assert int(h["X-RateLimit-Reset"]) > time.time()
    assert re.fullmatch(r"[0-9A-F:]+", h["X-GitHub-Request-Id"])
    assert int(h["Content-Length"]) == len(response.content)
    assert "Link" in h["Access-Control-Expose-Headers"]


# ---------------------------------------------------------------------------- issues & labels


def test_issue_payloads_have_reference_shape(
    forge: PracticeForge, http: requests.Session, auth: dict[str, str]
) -> None:
    ref = reference("repo-issues-page.json")
    assert isinstance(ref, list)
    ref_pull, ref_issue = ref[0], ref[2]
    page = http.get(
        f"{forge.api_url}/repos/practice/tiny-calc/issues", params={"state": "all"}, headers=auth
    ).json()
    pull = next(i for i in page if "pull_request" in i)
    issue = next(i for i in page if "pull_request" not in i)
    assert list(pull) == list(ref_pull)
    assert list(issue) == list(ref_issue)
    assert list(pull["pull_request"]) == list(ref_pull["pull_request"])
    assert list(issue["labels"][0]) == list(ref_issue["labels"][0])
    assert list(issue["reactions"]) == list(ref_issue["reactions"])
    assert pull["html_url"].endswith(f"/practice/tiny-calc/pull/{pull['number']}")
    assert issue["html_url"].endswith(f"/practice/tiny-calc/issues/{issue['number']}")
    assert issue["milestone"] is None and issue["type"] is None
    assert issue["author_association"] in {"MEMBER", "CONTRIBUTOR", "NONE"}
    assert pull["author_association"] == "CONTRIBUTOR"
    closed = next(i for i in page if i["state"] == "closed")
    assert TIMESTAMP.match(closed["closed_at"]) and closed["state_reason"] == "completed"


def test_labels_listing_paginates_with_pygithub(forge: PracticeForge) -> None:
    gh = make_client(forge, per_page=2)
    try:
        names = [label.name for label in gh.get_repo("practice/hello-docs").get_labels()]
    finally:
        gh.close()
    assert len(names) == 12
    assert {"good first issue", "🌱 good first issue", "translation", "triage"} <= set(names)
    pages = [r for r in forge.requests if r.path.endswith("/labels")]
    assert len(pages) == 6
    assert pages[1].path.startswith("/repositories/")  # Link uses GitHub's id form


def test_label_payload_matches_reference(
    forge: PracticeForge, http: requests.Session, auth: dict[str, str]
) -> None:
    ref = reference("labels.json")
    assert isinstance(ref, list)
    labels = http.get(f"{forge.api_url}/repos/practice/hello-docs/labels", headers=auth).json()
    gfi = next(lbl for lbl in labels if lbl["name"] == "good first issue")
    assert list(gfi) == list(ref[0])
    assert gfi["color"] == "7057ff" and gfi["description"] == "Good for newcomers"
    assert gfi["default"] is True
    assert gfi["url"].endswith("/repos/practice/hello-docs/labels/good%20first%20issue")
    sprout = next(lbl for lbl in labels if lbl["name"].startswith("🌱"))
    assert sprout["url"].endswith("/labels/%F0%9F%8C%B1%20good%20first%20issue")


def test_issue_pagination_link_header_uses_repository_id(
    forge: PracticeForge, http: requests.Session, auth: dict[str, str]
) -> None:
    repo_id = http.get(f"{forge.api_url}/repos/practice/tiny-calc", headers=auth).json()["id"]
    url = f"{forge.api_url}/repos/practice/tiny-calc/issues?state=all&per_page=2"
    first = http.get(url, headers=auth)
    assert [i["number"] for i in first.json()] == [5, 7]
    links = link_pages(first.headers["Link"])
    base = f"{forge.api_url}/repositories/{repo_id}/issues?state=all&per_page=2"
    assert links == {"next": f"{base}&page=2", "last": f"{base}&page=5"}
    second = http.get(links["next"], headers=auth)
    assert [i["number"] for i in second.json()] == [1, 6]
    links2 = link_pages(second.headers["Link"])
    assert set(links2) == {"prev", "next", "last", "first"}
    last = http.get(links2["last"], headers=auth)
    assert [i["number"] for i in last.json()] == [8]
    assert set(link_pages(last.headers["Link"])) == {"prev", "first"}


def test_pygithub_iterates_issue_pages_and_sees_pull_requests(forge: PracticeForge) -> None:
    gh = make_client(forge, per_page=2)
    try:
        repo = gh.get_repo("practice/tiny-calc")
        issues = list(repo.get_issues(state="all"))
        assert [i.number for i in issues] == [5, 7, 1, 6, 2, 3, 4, 9, 8]
        pull_issue = issues[0]
        assert pull_issue.raw_data["pull_request"]["url"].endswith("/pulls/5")
        pr = pull_issue.as_pull_request()
        assert pr.head.label == "sam-contrib:friendlier-divide-error"
        assert pr.head.repo.full_name == "sam-contrib/tiny-calc"
        assert pr.base.ref == "main" and pr.user.login == "sam-contrib"
        assert repo.get_issues(state="all").totalCount == 9
    finally:
        gh.close()


@pytest.mark.parametrize(
    ("params", "numbers"),
    [
        ({}, [5, 7, 1, 6, 2, 4, 9, 8]),
        ({"state": "closed"}, [3]),
        ({"labels": "GOOD-FIRST-ISSUE"}, [1, 2]),
        ({"labels": "good-first-issue,bug"}, [1]),
        ({"labels": "good-first-issue", "state": "all"}, [1, 2, 3]),
        ({"assignee": "none"}, [5, 7, 1, 6, 4, 9]),
        ({"assignee": "*"}, [2, 8]),
        ({"assignee": "sam-contrib"}, [2]),
        ({"creator": "alex-helper"}, [7, 1, 4, 8]),
        ({"sort": "created", "direction": "asc"}, [8, 9, 4, 2, 6, 1, 7, 5]),
        ({"sort": "comments", "direction": "desc"}, [9, 8, 6, 2, 5, 4, 1, 7]),
    ],
)
def test_issue_list_filters(
    read_forge: PracticeForge, params: dict[str, str], numbers: list[int]
) -> None:
    response = requests.get(
        f"{read_forge.api_url}/repos/practice/tiny-calc/issues",
        params=params,
        headers={"Authorization": f"token {read_forge.token}"},
        timeout=10,
    )
    assert response.status_code == 200
    assert [i["number"] for i in response.json()] == numbers


def test_since_filter_and_fork_issues_disabled(forge: PracticeForge, gh: github.Github) -> None:
    recent = datetime.now(UTC) - timedelta(days=6, hours=12)
    numbers = [i.number for i in gh.get_repo("practice/tiny-calc").get_issues(since=recent)]
    # #5, #7, #6 and #2 were updated 1, 3, 3 and 6 days ago; #1 was last updated 7 days ago
    assert numbers == [5, 7, 6, 2]
    with pytest.raises(github.GithubException) as info:
        list(gh.get_repo("sam-contrib/tiny-calc").get_issues())
    assert info.value.status == 410


def test_single_issue_and_comments(forge: PracticeForge, gh: github.Github) -> None:
    issue = gh.get_repo("practice/tiny-calc").get_issue(2)
    assert issue.title == "Add a median() function"
    assert [a.login for a in issue.assignees] == ["sam-contrib"]
    comments = list(issue.get_comments())
    assert [c.user.login for c in comments] == ["sam-contrib", "maintainer-mia"]
    assert comments[0].body.startswith("Can I work on this?")
    assert comments[0].raw_data["author_association"] == "CONTRIBUTOR"
    assert comments[1].raw_data["author_association"] == "MEMBER"
    assert issue.comments == 2
    with pytest.raises(github.UnknownObjectException):
        gh.get_repo("practice/tiny-calc").get_issue(99)


def test_create_comment_bumps_issue(
    forge: PracticeForge, gh: github.Github, http: requests.Session
) -> None:
    issue = gh.get_repo("practice/kind-words").get_issue(2)
    before_count, before_updated = issue.comments, issue.updated_at
    comment = issue.create_comment("Have you tried opening a new terminal after installing?")
    assert comment.user.login == PRACTICE_USER
    assert comment.raw_data["author_association"] == "NONE"
    fresh = gh.get_repo("practice/kind-words").get_issue(2)
    assert fresh.comments == before_count + 1
    assert fresh.updated_at > before_updated
    assert fresh.get_comments().reversed[0].body.startswith("Have you tried")

    url = f"{forge.api_url}/repos/practice/kind-words/issues/2/comments"
    anonymous = http.post(url, json={"body": "hi"})
    assert anonymous.status_code == 401
    assert anonymous.json()["message"] == "Requires authentication"
    empty = http.post(url, json={}, headers={"Authorization": f"token {forge.token}"})
    assert empty.status_code == 422
    assert empty.json()["errors"][0]["field"] == "body"


# ---------------------------------------------------------------------------- auth & limits


def test_bad_token_is_rejected_everywhere(forge: PracticeForge, http: requests.Session) -> None:
    expected = {
        "message": "Bad credentials",
        "documentation_url": "https://docs.github.com/rest",
        "status": "401",
    }
    for path in ("/user", "/repos/practice/hello-docs", "/search/issues?q=is:issue", "/nope"):
        response = http.get(f"{forge.api_url}{path}", headers={"Authorization": "token wrong"})
        assert response.status_code == 401, path
        assert response.json() == expected
    bearer = http.get(f"{forge.api_url}/user", headers={"Authorization": f"Bearer {forge.token}"})
    assert bearer.json()["login"] == PRACTICE_USER
    bad = make_client(forge, token="opf_not_the_token")
    try:
        with pytest.raises(github.BadCredentialsException):
            bad.get_user().login  # noqa: B018 - the attribute access performs the request
    finally:
        bad.close()


def test_anonymous_user_endpoint_requires_auth(
    forge: PracticeForge, http: requests.Session
) -> None:
    response = http.get(f"{forge.api_url}/user")
    assert response.status_code == 401
    assert response.json() == {
        "message": "Requires authentication",
        "documentation_url": "https://docs.github.com/rest/users/users#get-the-authenticated-user",
        "status": "401",
    }


def test_etag_conditional_requests_and_rate_accounting(
    forge: PracticeForge, http: requests.Session, auth: dict[str, str]
) -> None:
    url = f"{forge.api_url}/repos/practice/hello-docs/issues"
    first = http.get(url, headers=auth)
    etag = first.headers["ETag"]
    remaining = int(first.headers["X-RateLimit-Remaining"])
    again = http.get(url, headers={**auth, "If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["ETag"] == etag
    assert int(again.headers["X-RateLimit-Remaining"]) == remaining  # free when authenticated

    http.post(f"{url}/1/comments", json={"body": "I'd like to try this!"}, headers=auth)
    changed = http.get(url, headers={**auth, "If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag

    anon = http.get(url)
    anon_remaining = int(anon.headers["X-RateLimit-Remaining"])
    assert anon.headers["Cache-Control"].startswith("public")
    anon_again = http.get(url, headers={"If-None-Match": anon.headers["ETag"]})
    assert anon_again.status_code == 304
    assert int(anon_again.headers["X-RateLimit-Remaining"]) == anon_remaining - 1


def test_anonymous_limit_exhaustion_returns_403_with_headers(
    forge_factory: Callable[..., PracticeForge], http: requests.Session
) -> None:
    forge = forge_factory(anonymous_core_limit=3)
    url = f"{forge.api_url}/repos/practice/hello-docs"
    remaining = [int(http.get(url).headers["X-RateLimit-Remaining"]) for _ in range(3)]
    assert remaining == [2, 1, 0]
    blocked = http.get(url)
    assert blocked.status_code == 403
    assert blocked.headers["X-RateLimit-Remaining"] == "0"
    assert blocked.headers["X-RateLimit-Limit"] == "3"
    assert blocked.json()["message"].startswith("API rate limit exceeded for 127.0.0.1.")
    assert blocked.json()["documentation_url"] == (
        "https://docs.github.com/rest/overview/resources-in-the-rest-api#rate-limiting"
    )
    # Signing in gives a separate, larger allowance; /rate_limit itself is free.
    auth = {"Authorization": f"token {forge.token}"}
    assert http.get(url, headers=auth).status_code == 200
    limits = http.get(f"{forge.api_url}/rate_limit").json()
    assert limits["resources"]["core"]["remaining"] == 0
    assert http.get(f"{forge.api_url}/rate_limit").json() == limits


def test_authenticated_exhaustion_raises_pygithubs_rate_limit_error(
    forge_factory: Callable[..., PracticeForge],
) -> None:
    forge = forge_factory(core_limit=2)
    gh = make_client(forge)
    try:
        gh.get_repo("practice/hello-docs")
        gh.get_repo("practice/tiny-calc")
        with pytest.raises(github.RateLimitExceededException) as info:
            gh.get_repo("practice/kind-words")
        assert info.value.headers["x-ratelimit-remaining"] == "0"
        core = gh.get_rate_limit().resources.core
        assert (core.limit, core.remaining) == (2, 0)
    finally:
        gh.close()


def test_search_has_its_own_rate_limit_resource(
    forge_factory: Callable[..., PracticeForge], http: requests.Session
) -> None:
    forge = forge_factory(search_limit=2)
    auth = {"Authorization": f"token {forge.token}"}
    url = f"{forge.api_url}/search/issues"
    ok = http.get(url, params={"q": "is:issue"}, headers=auth)
    assert ok.headers["X-RateLimit-Resource"] == "search"
    assert ok.headers["X-RateLimit-Limit"] == "2"
    http.get(url, params={"q": "is:issue"}, headers=auth)
    blocked = http.get(url, params={"q": "is:issue"}, headers=auth)
    assert blocked.status_code == 403
    assert blocked.headers["X-RateLimit-Resource"] == "search"
    core = http.get(f"{forge.api_url}/repos/practice/hello-docs", headers=auth)
    assert core.status_code == 200 and core.headers["X-RateLimit-Used"] == "1"


def test_rate_limit_endpoint_shape(forge: PracticeForge, http: requests.Session) -> None:
    ref = reference("rate-limit.json")
    assert isinstance(ref, dict)
    body = http.get(
        f"{forge.api_url}/rate_limit", headers={"Authorization": f"token {forge.token}"}
    )
    data = body.json()
    assert list(data) == list(ref)
    assert list(data["resources"]) == list(ref["resources"])
    assert data["resources"]["core"]["limit"] == 5000
    assert data["resources"]["search"]["limit"] == 30
    assert data["rate"] == data["resources"]["core"]


# ---------------------------------------------------------------------------- contents


def test_contents_of_contributing_decodes_like_github(
    forge: PracticeForge, gh: github.Github, http: requests.Session
) -> None:
    repo = gh.get_repo("practice/hello-docs")
    content = repo.get_contents("CONTRIBUTING.md")
    assert not isinstance(content, list)
    text = content.decoded_content.decode("utf-8")
    assert "Fork" in text and "pull request" in text
    raw = content.raw_data
    assert raw["type"] == "file" and raw["encoding"] == "base64"
    assert all(len(line) <= 60 for line in raw["content"].split("\n"))
    assert raw["content"].endswith("\n")
    assert raw["size"] == len(text.encode("utf-8"))
    blob = (
        subprocess.run(
            ["git", "hash-object", "--stdin"],
            input=text.encode("utf-8"),
            capture_output=True,
            check=True,
        )
        .stdout.decode()
        .strip()
    )
    assert raw["sha"] == blob
    assert set(raw["_links"]) == {"self", "git", "html"}

    listing = repo.get_contents("docs")
    assert isinstance(listing, list)
    assert {c.path for c in listing} == {
        "docs/faq.md",
        "docs/getting-started.md",
        "docs/index.md",
    }
    root = http.get(f"{forge.api_url}/repos/practice/hello-docs/contents/").json()
    assert {"README.md", "CONTRIBUTING.md", "LICENSE", "docs"} <= {e["name"] for e in root}

    with pytest.raises(github.UnknownObjectException):
        repo.get_contents("NOPE.md")
    old = http.get(
        f"{forge.api_url}/repos/practice/hello-docs/contents/CONTRIBUTING.md",
        params={"ref": "does-not-exist"},
    )
    assert old.status_code == 404
    assert old.json()["message"] == "No commit found for the ref does-not-exist"


# ---------------------------------------------------------------------------- robustness


def test_malformed_json_is_400_and_errors_become_500s(
    forge: PracticeForge, http: requests.Session, auth: dict[str, str]
) -> None:
    url = f"{forge.api_url}/repos/practice/hello-docs/issues/1/comments"
    bad = http.post(url, data=b"{not json", headers={**auth, "Content-Type": "application/json"})
    assert bad.status_code == 400
    assert bad.json()["message"] == "Problems parsing JSON"

    with forge.store.locked() as data:
        data["repos"]["practice/hello-docs"]["topics"] = None  # corrupt state on purpose
    broken = http.get(f"{forge.api_url}/repos/practice/hello-docs", headers=auth)
    assert broken.status_code == 500
    assert broken.json()["message"] == "Server Error"
    assert forge.requests[-1].status == 500
    assert "TypeError" in (forge.requests[-1].error or "")
    with forge.store.locked() as data:
        data["repos"]["practice/hello-docs"]["topics"] = []
    assert http.get(f"{forge.api_url}/repos/practice/hello-docs").status_code == 200


def test_request_log_records_every_request(
    forge: PracticeForge, http: requests.Session, auth: dict[str, str]
) -> None:
    forge.clear_requests()
    http.get(f"{forge.api_url}/repos/practice/tiny-calc/issues?state=all&per_page=2", headers=auth)
    http.get(f"{forge.api_url}/repos/practice/missing")
    assert forge.requests == [
        RequestRecord(
            "GET",
            "/repos/practice/tiny-calc/issues",
            {"state": ["all"], "per_page": ["2"]},
            200,
            True,
        ),
        RequestRecord("GET", "/repos/practice/missing", {}, 404, False),
    ]
    forge.clear_requests()
    assert forge.requests == []


def test_web_pages_for_open_in_browser(forge: PracticeForge, http: requests.Session) -> None:
    page = http.get(f"{forge.api_url}/practice/hello-docs")
    assert page.status_code == 200
    assert page.headers["Content-Type"].startswith("text/html")
    assert "hello-docs" in page.text and "Getting started" not in page.text[:10]
    issue = http.get(f"{forge.api_url}/practice/tiny-calc/issues/1")
    assert "average() ignores the last number" in issue.text
    assert "&lt;" not in issue.text or "<script" not in issue.text
    raw = http.get(f"{forge.api_url}/practice/hello-docs/raw/main/README.md")
    assert raw.text.startswith("# hello-docs")


# ---------------------------------------------------------------------------- lifecycle


def test_restart_keeps_state_token_and_ports(tmp_path: Path, http: requests.Session) -> None:
    data_dir = tmp_path / "practice"
    with PracticeForge(data_dir) as forge:
        token, api_url, git_url = forge.token, forge.api_url, forge.git_url
        auth = {"Authorization": f"token {token}"}
        http.post(
            f"{api_url}/repos/practice/tiny-calc/issues/1/comments",
            json={"body": "I'll give this a go!"},
            headers=auth,
        )
        assert (
            http.post(f"{api_url}/repos/practice/tiny-calc/forks", headers=auth).status_code == 202
        )
    assert (data_dir / "token").stat().st_mode & 0o777 == 0o600
    assert token not in (data_dir / "forge.json").read_text()
    http.close()  # drop keep-alive connections to the old server

    with PracticeForge(data_dir) as again:
        assert (again.token, again.api_url, again.git_url) == (token, api_url, git_url)
        with requests.Session() as fresh:
            auth = {"Authorization": f"token {token}"}
            comments = fresh.get(
                f"{api_url}/repos/practice/tiny-calc/issues/1/comments", headers=auth
            ).json()
            assert comments[-1]["body"] == "I'll give this a go!"
            fork = fresh.get(f"{api_url}/repos/{PRACTICE_USER}/tiny-calc", headers=auth).json()
            assert fork["fork"] is True
            assert fresh.get(f"{api_url}/user", headers=auth).json()["login"] == PRACTICE_USER


def test_stop_is_idempotent_and_releases_ports(tmp_path: Path) -> None:
    forge = PracticeForge(tmp_path / "f").start()
    api_url, git_url = forge.api_url, forge.git_url
    forge.stop()
    forge.stop()
    with pytest.raises(requests.ConnectionError):
        requests.get(f"{api_url}/rate_limit", timeout=2)
    git_port = int(git_url.rsplit(":", 1)[1].rstrip("/"))
    import socket

    with pytest.raises(OSError), socket.create_connection(("127.0.0.1", git_port), timeout=1):
        pass
    with pytest.raises(RuntimeError):
        _ = forge.api_url


def test_fresh_forge_starts_fast(tmp_path: Path) -> None:
    PracticeForge(tmp_path / "warm").start().stop()  # builds the seed cache if needed
    started = time.monotonic()
    forge = PracticeForge(tmp_path / "fresh").start()
    elapsed = time.monotonic() - started
    forge.stop()
    assert elapsed < 2.0


def test_unseeded_forge_has_only_the_learner(
    forge_factory: Callable[..., PracticeForge], http: requests.Session
) -> None:
    forge = forge_factory(seed=False)
    auth = {"Authorization": f"token {forge.token}"}
    assert http.get(f"{forge.api_url}/user", headers=auth).json()["login"] == PRACTICE_USER
    assert http.get(f"{forge.api_url}/repos/practice/hello-docs").status_code == 404


def test_store_admin_helpers_feed_the_api(forge: PracticeForge, gh: github.Github) -> None:
    forge.store.add_user("newbie")
    issue = forge.store.add_issue(
        "practice/hello-docs",
        "Add alt text to the logo",
        "## Why\n\nScreen readers need it.",
        labels=("good first issue", "accessibility"),
        user="newbie",
        created_days_ago=1,
    )
    forge.store.add_comment(
        "practice/hello-docs", issue["number"], "Great idea!", user="jo-maintainer"
    )
    fetched = gh.get_repo("practice/hello-docs").get_issue(issue["number"])
    assert fetched.title == "Add alt text to the logo"
    assert {lbl.name for lbl in fetched.labels} == {"good first issue", "accessibility"}
    assert fetched.comments == 1
    forge.store.set_repo_flags("practice/hello-docs", archived=True)
    assert gh.get_repo("practice/hello-docs").archived is True


def test_serve_runs_in_the_foreground_until_ctrl_c(tmp_path: Path) -> None:
    code = (
        "import sys; from pathlib import Path; from onboard.practice import serve; "
        f"sys.exit(serve(Path({str(tmp_path / 'served')!r})))"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", code],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        assert proc.stdout is not None
        lines = [proc.stdout.readline() for _ in range(5)]
        api_url = lines[1].split()[-1]
        token = lines[3].split()[-1]
        assert lines[4].split()[-1] == PRACTICE_USER
        assert lines[2].split()[-1].startswith("git://127.0.0.1:")
        user = requests.get(
            f"{api_url}/user", headers={"Authorization": f"token {token}"}, timeout=5
        )
        assert user.json()["login"] == PRACTICE_USER
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=10) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_hostile_input_never_breaks_the_server(
    forge: PracticeForge, http: requests.Session, auth: dict[str, str]
) -> None:
    api = forge.api_url
    contents = f"{api}/repos/practice/hello-docs/contents"
    # Dots are percent-encoded: clients would otherwise normalise them away before sending.
    for path in ("%2E%2E/%2E%2E/etc/passwd", "docs/%2E%2E/LICENSE", "%ZZ", "a//b", "-h", "%00"):
        assert http.get(f"{contents}/{path}").status_code == 404, path
    assert http.get(f"{contents}/README.md", params={"ref": "--output=/tmp/x"}).status_code == 404
    weird = [
        "/repos/practice/hello-docs/issues?per_page=abc&page=-3",
        "/repos/practice/hello-docs/issues?per_page=100000&page=999999999999",
        "/search/issues?q=is:issue%20label:%22unterminated",
        "/repos/%F0%9F%8C%B1/%00",
        "/repositories/999999/issues",
    ]
    for path in weird:
        assert http.get(f"{api}{path}", headers=auth).status_code in (200, 404, 422), path

    def chunked() -> Iterator[bytes]:
        yield b'{"body": "sent in '
        yield b'chunks"}'

    sent = http.post(
        f"{api}/repos/practice/hello-docs/issues/1/comments", data=chunked(), headers=auth
    )
    assert sent.status_code == 201 and sent.json()["body"] == "sent in chunks"
    not_object = http.post(f"{api}/repos/practice/hello-docs/pulls", json=[1, 2], headers=auth)
    assert not_object.status_code == 400
    assert all(r.status != 500 for r in forge.requests)


def test_search_results_are_capped_at_1000(
    forge_factory: Callable[..., PracticeForge], http: requests.Session
) -> None:
    forge = forge_factory(seed=False)
    forge.store.add_user("practice", type="Organization")
    forge.store.add_repo("practice", "busy")
    with forge.store.batch():
        for n in range(1005):
            forge.store.add_issue("practice/busy", f"Chore {n}", user="maintainer-mia")
    url = f"{forge.api_url}/search/issues"
    params = {"q": "is:issue repo:practice/busy", "per_page": "100"}
    first = http.get(url, params=params)
    assert first.json()["total_count"] == 1005
    assert 'page=10>; rel="last"' in first.headers["Link"]
    last = http.get(url, params={**params, "page": "10"})
    assert len(last.json()["items"]) == 100
    beyond = http.get(url, params={**params, "page": "11"})
    assert beyond.status_code == 422


def test_seed_history_is_deterministic_across_caches(
    forge_factory: Callable[..., PracticeForge], tmp_path: Path, http: requests.Session
) -> None:
    heads = []
    for name in ("cache-a", "cache-b"):
        forge = forge_factory(seed_cache=tmp_path / name)
        branches = http.get(f"{forge.api_url}/repos/practice/tiny-calc/branches").json()
        heads.append({b["name"]: b["commit"]["sha"] for b in branches})
        assert any((tmp_path / name).glob("onboard-seed-cache-*/complete"))
    assert heads[0] == heads[1]


def test_other_users_can_get_tokens(forge: PracticeForge, http: requests.Session) -> None:
    token = forge.store.add_token("maintainer-mia")
    me = http.get(f"{forge.api_url}/user", headers={"Authorization": f"token {token}"}).json()
    assert me["login"] == "maintainer-mia"
    repo = http.get(
        f"{forge.api_url}/repos/practice/hello-docs", headers={"Authorization": f"token {token}"}
    ).json()
    assert repo["permissions"]["push"] is True  # a member of the practice organization
