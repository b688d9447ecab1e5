"""Community profiles and repository search on the practice forge, in GitHub's shapes.

The community profile is derived from the files really present in a repository's git tree;
repository search understands the qualifiers onboard sends (and GitHub documents).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import github
import pytest
import requests

from onboard.practice import PRACTICE_USER, PracticeForge
from onboard.practice.gitdaemon import configure_bare, run_git
from onboard.practice.repo_search import label_key, parse_repo_query
from onboard.practice.search import SearchError

from .conftest import make_client

HD, TC, KW = "practice/hello-docs", "practice/tiny-calc", "practice/kind-words"
PROFILE_KEYS = [
    "health_percentage",
    "description",
    "documentation",
    "files",
    "updated_at",
    "content_reports_enabled",
]
FILE_KEYS = [
    "code_of_conduct",
    "code_of_conduct_file",
    "contributing",
    "issue_template",
    "pull_request_template",
    "license",
    "readme",
]


def profile(forge: PracticeForge, http: requests.Session, repo: str) -> dict[str, Any]:
    response = http.get(f"{forge.api_url}/repos/{repo}/community/profile")
    assert response.status_code == 200, response.text
    return response.json()


def names(forge: PracticeForge, http: requests.Session, q: str, **params: str) -> list[str]:
    response = http.get(f"{forge.api_url}/search/repositories", params={"q": q, **params})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["total_count"] == len(body["items"])
    return [item["full_name"] for item in body["items"]]


# ---------------------------------------------------------------------------- community profile


def test_profile_shape_and_a_recognised_code_of_conduct(
    read_forge: PracticeForge, read_session: requests.Session
) -> None:
    body = profile(read_forge, read_session, HD)
    assert list(body) == PROFILE_KEYS
    assert list(body["files"]) == FILE_KEYS
    assert body["health_percentage"] == 100
    files = body["files"]
    assert files["code_of_conduct"]["key"] == "contributor_covenant"
    assert files["code_of_conduct"]["html_url"].endswith("/blob/main/CODE_OF_CONDUCT.md")
    assert list(files["code_of_conduct_file"]) == ["url", "html_url"]
    assert files["contributing"]["url"].endswith(
        "/repos/practice/hello-docs/contents/CONTRIBUTING.md"
    )
    assert files["pull_request_template"]["html_url"].endswith(".github/PULL_REQUEST_TEMPLATE.md")
    assert files["issue_template"] is None
    assert files["license"]["spdx_id"] == "MIT"
    assert list(files["license"]) == ["name", "key", "spdx_id", "url", "html_url", "node_id"]
    assert body["content_reports_enabled"] is False  # reported: the owner is an organization


def test_a_project_without_a_code_of_conduct(
    read_forge: PracticeForge, read_session: requests.Session
) -> None:
    body = profile(read_forge, read_session, KW)
    assert body["health_percentage"] == 75
    assert body["files"]["code_of_conduct"] is None
    assert body["files"]["code_of_conduct_file"] is None
    assert body["files"]["contributing"] is not None


def test_an_issue_template_folder_counts(
    read_forge: PracticeForge, read_session: requests.Session
) -> None:
    files = profile(read_forge, read_session, TC)["files"]
    assert files["issue_template"]["url"].endswith("/contents/.github/ISSUE_TEMPLATE")


def _repo_with_files(forge: PracticeForge, name: str, files: dict[str, str]) -> str:
    """A learner-owned repository whose default branch holds ``files``."""
    forge.store.add_repo(PRACTICE_USER, name, license=None, description="Notes")
    bare = forge.git_root / PRACTICE_USER / f"{name}.git"
    run_git(["init", "-q", "--bare", "-b", "main", str(bare)])
    if files:
        work = bare.with_name(f"{name}-work")
        run_git(["init", "-q", "-b", "main", str(work)])
        for rel, text in files.items():
            (work / rel).parent.mkdir(parents=True, exist_ok=True)
            (work / rel).write_text(text, encoding="utf-8")
        run_git(["add", "-A"], cwd=work)
        identity = {"GIT_AUTHOR_NAME": "L", "GIT_AUTHOR_EMAIL": "l@practice.invalid"}
        identity |= {"GIT_COMMITTER_NAME": "L", "GIT_COMMITTER_EMAIL": "l@practice.invalid"}
        run_git(["commit", "-q", "-m", "files"], cwd=work, env=identity)
        run_git(["push", "-q", str(bare), "main"], cwd=work)
    configure_bare(bare)
    return f"{PRACTICE_USER}/{name}"


def test_files_are_found_in_github_folders_whatever_their_case(
    forge: PracticeForge, http: requests.Session, auth: dict[str, str]
) -> None:
    repo = _repo_with_files(
        forge,
        "notes",
        {
            "readme.rst": "Notes\n",
            ".github/contributing.md": "How to help\n",
            "docs/CODE_OF_CONDUCT.md": "Be excellent to each other.\n",
            "COPYING": "All rights reversed.\n",
            "docs/pull_request_template.md": "## What\n",
            "src/CONTRIBUTING.md": "not a place GitHub looks\n",
        },
    )
    http.headers.update(auth)
    body = profile(forge, http, repo)
    files = body["files"]
    assert files["readme"]["url"].endswith("/contents/readme.rst")
    assert files["contributing"]["url"].endswith("/contents/.github/contributing.md")
    assert files["code_of_conduct"] is None  # a text GitHub does not recognise...
    assert files["code_of_conduct_file"]["url"].endswith("/contents/docs/CODE_OF_CONDUCT.md")
    assert files["license"]["key"] == "other" and files["license"]["url"] is None
    assert files["pull_request_template"]["url"].endswith("/docs/pull_request_template.md")
    assert body["health_percentage"] == 100
    assert "content_reports_enabled" not in body  # a user's repository, not an organization's


def test_an_empty_repository_has_nothing(
    forge: PracticeForge, http: requests.Session, auth: dict[str, str]
) -> None:
    repo = _repo_with_files(forge, "empty", {})
    http.headers.update(auth)
    body = profile(forge, http, repo)
    assert body["health_percentage"] == 0
    assert all(value is None for value in body["files"].values())


def test_forks_and_unknown_repositories_have_no_profile(
    read_forge: PracticeForge, read_session: requests.Session
) -> None:
    for repo in ("sam-contrib/tiny-calc", "practice/nope"):
        response = read_session.get(f"{read_forge.api_url}/repos/{repo}/community/profile")
        assert response.status_code == 404
        assert response.json()["message"] == "Not Found"


# ---------------------------------------------------------------------------- repository search


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("good-first-issues:>0", {HD, TC, KW}),
        ("good-first-issues:>1", {HD, TC}),  # hello-docs 3 open, tiny-calc 2, kind-words 1
        ("good-first-issues:>2", {HD}),
        ("help-wanted-issues:>0", {TC, KW}),
        ("help-wanted-issues:>=3", {TC, KW}),
        ("topic:python", {TC}),
        ("topic:PYTHON", {TC}),
        ("topic:beginner-friendly", {HD, TC, KW}),
        ("topic:begin", set()),  # a topic matches whole, not in part
        ("topics:>4", {TC, KW}),
        ("language:javascript", {KW}),
        ("language:Python archived:false is:public", {TC}),
        ("calculator", {TC}),
        ("documentation site", {HD}),
        ("kind in:name", {KW}),
        ("kind in:description", {KW}),
        ("practice in:name", set()),
        ("stars:>20", {TC, KW}),
        ("stars:10..20", {HD}),
        ("user:practice", {HD, TC, KW}),
        ("repo:practice/kind-words", {KW}),
        ("tiny-calc", {TC}),
        ("tiny-calc fork:true", {TC, "sam-contrib/tiny-calc", "alex-helper/tiny-calc"}),
        ("tiny-calc fork:only", {"sam-contrib/tiny-calc", "alex-helper/tiny-calc"}),
        ("archived:true", set()),
        ("is:private", set()),
        ("license:mit user:practice", {HD, TC, KW}),
        ("language:python OR language:javascript", {TC, KW}),
        ("topic:practice -language:python", {HD, KW}),
        ("topic:practice NOT topic:writing", {HD, TC}),
        ("flavour:vanilla", set()),  # unknown qualifiers are searched as text
    ],
)
def test_repository_qualifiers(
    read_forge: PracticeForge, read_session: requests.Session, q: str, expected: set[str]
) -> None:
    assert set(names(read_forge, read_session, q)) == expected


def test_sorting(read_forge: PracticeForge, read_session: requests.Session) -> None:
    q = "user:practice"
    assert names(read_forge, read_session, q, sort="stars") == [TC, KW, HD]  # 42, 27, 18 stars
    assert names(read_forge, read_session, q, sort="stars", order="asc") == [HD, KW, TC]
    # pushed 2, 4 and 6 days ago
    assert names(read_forge, read_session, q, sort="updated") == [TC, HD, KW]
    assert names(read_forge, read_session, q, sort="help-wanted-issues")[-1] == HD
    # best match: a hit in the name weighs more than one in the description
    assert names(read_forge, read_session, "docs")[0] == HD


def test_item_shape_and_score(read_forge: PracticeForge, read_session: requests.Session) -> None:
    body = read_session.get(
        f"{read_forge.api_url}/search/repositories", params={"q": "calculator"}
    ).json()
    assert list(body) == ["total_count", "incomplete_results", "items"]
    item = body["items"][0]
    listed = read_session.get(f"{read_forge.api_url}/users/practice/repos").json()
    assert list(item) == [*next(r for r in listed if r["full_name"] == TC), "score"]
    assert item["topics"] == ["python", "calculator", "pytest", "beginner-friendly", "practice"]
    assert item["score"] > 1.0


def test_pagination_follows_github_link_headers(
    read_forge: PracticeForge, read_session: requests.Session
) -> None:
    url = f"{read_forge.api_url}/search/repositories"
    first = read_session.get(url, params={"q": "user:practice", "sort": "stars", "per_page": "2"})
    assert first.json()["total_count"] == 3
    assert [i["full_name"] for i in first.json()["items"]] == [TC, KW]
    links = requests.utils.parse_header_links(first.headers["Link"])
    following = next(link["url"] for link in links if link["rel"] == "next")
    assert following.startswith(url)
    second = read_session.get(following)
    assert [i["full_name"] for i in second.json()["items"]] == [HD]
    beyond = read_session.get(url, params={"q": "user:practice", "per_page": "100", "page": "11"})
    assert beyond.status_code == 422


@pytest.mark.parametrize(
    "q",
    ["", "   ", "x" * 257, "a OR b OR c OR d OR e OR f OR g"],
)
def test_bad_queries_are_422_like_github(
    read_forge: PracticeForge, read_session: requests.Session, q: str
) -> None:
    response = read_session.get(f"{read_forge.api_url}/search/repositories", params={"q": q})
    assert response.status_code == 422
    body = response.json()
    assert body["message"] == "Validation Failed"
    assert body["errors"][0]["resource"] == "Search"


def test_repository_search_spends_the_search_allowance(
    read_forge: PracticeForge, read_session: requests.Session
) -> None:
    response = read_session.get(f"{read_forge.api_url}/search/repositories", params={"q": "kind"})
    assert response.headers["X-RateLimit-Resource"] == "search"
    assert response.headers["ETag"]
    again = read_session.get(
        f"{read_forge.api_url}/search/repositories",
        params={"q": "kind"},
        headers={"If-None-Match": response.headers["ETag"]},
    )
    assert again.status_code == 304


def test_counts_follow_the_issues(forge: PracticeForge, http: requests.Session) -> None:
    http.headers["Authorization"] = f"token {forge.token}"
    assert names(forge, http, "good-first-issues:>1 language:javascript") == []
    forge.store.add_issue(KW, "Another kind word", labels=["🌱 Good-First-Issue"])
    assert names(forge, http, "good-first-issues:>1 language:javascript") == [KW]
    forge.store.set_repo_flags(KW, archived=True)
    assert names(forge, http, "archived:true") == [KW]
    # best match without words: by stars (tiny-calc 42, hello-docs 18)
    assert names(forge, http, "archived:false good-first-issues:>0") == [TC, HD]


def test_pygithub_can_search_repositories(read_forge: PracticeForge) -> None:
    gh = make_client(read_forge)
    try:
        found = gh.search_repositories("topic:beginner-friendly", sort="stars", order="desc")
        assert found.totalCount == 3
        repos = list(found)
    finally:
        gh.close()
    assert [repo.full_name for repo in repos] == [TC, KW, HD]
    assert all(isinstance(repo, github.Repository.Repository) for repo in repos)
    assert repos[0].topics[0] == "python"  # read from the search answer, no extra request


def test_query_parser_rules() -> None:
    assert parse_repo_query("kind words").words == ["kind", "words"]
    assert parse_repo_query("fork:only").forks == "only"
    with pytest.raises(SearchError, match="longer than 256"):
        parse_repo_query("a" * 257)
    assert label_key("🌱 Good-First-Issue") == "good first issue"
    assert label_key("help_wanted") == "help wanted"


def test_an_empty_forge_finds_nothing(tmp_path: Path) -> None:
    """A forge started without the seed answers an empty result, not an error."""
    with PracticeForge(tmp_path / "empty", seed=False) as forge:
        response = requests.get(
            f"{forge.api_url}/search/repositories", params={"q": "topic:python"}, timeout=10
        )
        assert response.status_code == 200
        assert response.json() == {"total_count": 0, "incomplete_results": False, "items": []}
