"""``/search/issues`` follows GitHub's rules and qualifiers, checked with PyGithub and raw HTTP."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import github
import pytest
import requests

from onboard.practice import PracticeForge
from onboard.practice.search import SearchError, parse, tokenize

from .conftest import REFERENCE, make_client

# Seed reference: (repo, number) of every seeded issue/PR that the queries below can touch.
HD, TC, KW = "practice/hello-docs", "practice/tiny-calc", "practice/kind-words"


def found(forge: PracticeForge, read_session: requests.Session, q: str, **params: str) -> list[str]:
    response = read_session.get(f"{forge.api_url}/search/issues", params={"q": q, **params})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["incomplete_results"] is False
    assert body["total_count"] == len(body["items"])
    return [
        f"{item['repository_url'].split('/repos/')[1]}#{item['number']}" for item in body["items"]
    ]


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        (f"is:issue is:open repo:{TC}", {f"{TC}#{n}" for n in (1, 2, 4, 6, 8, 9)}),
        (f"is:pr repo:{TC}", {f"{TC}#5", f"{TC}#7"}),
        (f"type:pr repo:{TC}", {f"{TC}#5", f"{TC}#7"}),
        (
            f"is:issue state:closed repo:{TC} repo:{HD}",
            {f"{TC}#3", f"{HD}#4", f"{HD}#5", f"{HD}#6"},
        ),
        (
            'is:issue label:"good first issue"',
            {f"{HD}#1", f"{HD}#2", f"{KW}#1", f"{KW}#7", f"{KW}#8"},
        ),
        ("is:issue label:GOOD-FIRST-ISSUE is:open", {f"{TC}#1", f"{TC}#2"}),
        (
            'is:issue is:open label:"good first issue","good-first-issue","🌱 good first issue"',
            {f"{HD}#1", f"{HD}#2", f"{HD}#3", f"{KW}#1", f"{TC}#1", f"{TC}#2"},
        ),
        ("is:issue label:good-first-issue,question", {f"{TC}#1", f"{TC}#2", f"{TC}#3", f"{KW}#2"}),
        ("is:issue label:good-first-issue label:bug", {f"{TC}#1"}),
        (f"is:issue repo:{TC} -label:good-first-issue", {f"{TC}#{n}" for n in (4, 6, 8, 9)}),
        (f"is:issue is:open repo:{TC} no:assignee", {f"{TC}#{n}" for n in (1, 4, 6, 9)}),
        (f"is:issue repo:{TC} assignee:sam-contrib", {f"{TC}#2"}),
        ("is:issue author:river-new", {f"{KW}#2", f"{KW}#5"}),
        (f"is:issue repo:{TC} comments:>1", {f"{TC}#{n}" for n in (2, 6, 8, 9)}),
        (f"is:issue repo:{HD} comments:0", {f"{HD}#3"}),
        (f"is:issue repo:{KW} comments:<1", {f"{KW}#2", f"{KW}#5"}),
        ("is:issue no:label", set()),
        ("is:issue average in:title", {f"{TC}#1", f"{TC}#8"}),
        ('is:issue "node --test"', {f"{KW}#2", f"{KW}#5"}),
        ("is:issue RECIEVE", {f"{HD}#1"}),
        ("is:issue archived:false is:open label:translation", {f"{HD}#2"}),
        ("is:issue archived:true", set()),
        ("is:issue user:practice label:design", {f"{KW}#3"}),
        ("is:issue label:bug OR label:question", {f"{TC}#1", f"{KW}#2", f"{TC}#8"}),
        (
            "is:issue NOT label:good-first-issue repo:practice/tiny-calc",
            {f"{TC}#{n}" for n in (4, 6, 8, 9)},
        ),
    ],
)
def test_search_qualifiers(
    read_forge: PracticeForge, read_session: requests.Session, q: str, expected: set[str]
) -> None:
    assert set(found(read_forge, read_session, q)) == expected


def test_search_dates_relative_to_seed(
    read_forge: PracticeForge, read_session: requests.Session
) -> None:
    cutoff = (datetime.now(UTC) - timedelta(days=12)).strftime("%Y-%m-%d")
    recent = set(found(read_forge, read_session, f"is:issue repo:{TC} created:>{cutoff}"))
    assert recent == {f"{TC}#1"}
    old = set(found(read_forge, read_session, f"is:issue repo:{TC} updated:<{cutoff}"))
    assert old == {f"{TC}#3", f"{TC}#4", f"{TC}#8", f"{TC}#9"}


def test_search_sorting(read_forge: PracticeForge, read_session: requests.Session) -> None:
    q = f"is:issue repo:{TC}"
    by_created = [f"{TC}#{n}" for n in (8, 9, 4, 3, 2, 6, 1)]
    assert found(read_forge, read_session, q, sort="created", order="asc") == by_created
    # most comments first; equal counts (two each) by last update
    assert found(read_forge, read_session, q, sort="comments")[:4] == [
        f"{TC}#{n}" for n in (6, 2, 9, 8)
    ]
    # "best match" (no sort) is ordered by last update, newest first
    by_update = [f"{TC}#{n}" for n in (6, 2, 1, 4, 3, 9, 8)]
    assert found(read_forge, read_session, q) == by_update


def test_search_item_shape_matches_reference(
    read_forge: PracticeForge, read_session: requests.Session
) -> None:
    ref = json.loads((REFERENCE / "search-issues.json").read_text(encoding="utf-8"))
    body = read_session.get(
        f"{read_forge.api_url}/search/issues", params={"q": f"is:issue repo:{TC}"}
    ).json()
    assert list(body) == list(ref)
    assert list(body["items"][0]) == list(ref["items"][0])
    assert body["items"][0]["score"] == 1.0


def test_search_pagination_with_pygithub(read_forge: PracticeForge) -> None:
    gh = make_client(read_forge, per_page=2)
    try:
        result = gh.search_issues("is:issue", sort="created", order="desc")
        assert result.totalCount == 20
        titles = [issue.title for issue in result]
        assert len(titles) == 20 and len(set(titles)) == 20
    finally:
        gh.close()


def test_search_link_header(read_forge: PracticeForge, read_session: requests.Session) -> None:
    response = read_session.get(
        f"{read_forge.api_url}/search/issues", params={"q": "is:issue is:open", "per_page": "3"}
    )
    link = response.headers["Link"]
    assert f"<{read_forge.api_url}/search/issues?q=is%3Aissue+is%3Aopen&per_page=3&page=2>" in link
    assert 'rel="next"' in link and 'rel="last"' in link


def _error(read_forge: PracticeForge, read_session: requests.Session, q: str) -> requests.Response:
    response = read_session.get(f"{read_forge.api_url}/search/issues", params={"q": q})
    assert response.status_code == 422
    return response


def test_query_must_say_issue_or_pr(
    read_forge: PracticeForge, read_session: requests.Session
) -> None:
    response = _error(read_forge, read_session, "label:bug repo:practice/tiny-calc")
    assert response.json() == {
        "message": "Validation Failed",
        "errors": [
            {
                "message": "Query must include 'is:issue' or 'is:pull-request'",
                "resource": "Search",
                "field": "q",
                "code": "invalid",
            }
        ],
        "documentation_url": "https://docs.github.com/v3/search/",
        "status": "422",
    }
    gh = make_client(read_forge)
    try:
        with pytest.raises(github.GithubException) as info:
            list(gh.search_issues("label:bug"))
        assert info.value.status == 422
    finally:
        gh.close()


def test_query_length_and_operator_limits(
    read_forge: PracticeForge, read_session: requests.Session
) -> None:
    long = "is:issue " + "x" * 250
    message = _error(read_forge, read_session, long).json()["errors"][0]["message"]
    assert message == "The search is longer than 256 characters."
    exactly = "is:issue " + "x" * (256 - len("is:issue "))
    assert read_session.get(f"{read_forge.api_url}/search/issues", params={"q": exactly}).ok
    six = "is:issue " + " OR ".join(f"label:l{i}" for i in range(7))
    assert "AND / OR / NOT" in _error(read_forge, read_session, six).json()["errors"][0]["message"]
    five = "is:issue " + " OR ".join(f"label:l{i}" for i in range(6))
    assert read_session.get(f"{read_forge.api_url}/search/issues", params={"q": five}).ok
    missing = read_session.get(f"{read_forge.api_url}/search/issues")
    assert missing.status_code == 422


def test_parser_units() -> None:
    assert tokenize('is:issue label:"a b","c" -label:x "two words" plain') == [
        "is:issue",
        'label:"a b","c"',
        "-label:x",
        '"two words"',
        "plain",
    ]
    query = parse("is:pr repo:A/B repo:c/d")
    assert query.kinds == {"pr"} and query.repos == ["a/b", "c/d"]
    with pytest.raises(SearchError):
        parse("repo:a/b")
    # An unknown qualifier is searched for as text, as GitHub does.
    assert len(parse("is:issue foo:bar").clauses) == 1


def test_draft_qualifier_matches_pull_requests_by_draft_state(
    practice_forge: PracticeForge,
) -> None:
    import requests

    practice_forge.store.add_issue(
        "practice/tiny-calc", "Work in progress", is_pull=True, head="main", draft=True
    )

    def numbers(query: str) -> set[int]:
        response = requests.get(
            f"{practice_forge.api_url}/search/issues",
            params={"q": query},
            headers={"Authorization": f"token {practice_forge.token}"},
            timeout=10,
        )
        return {item["number"] for item in response.json()["items"]}

    ready = numbers("is:pr is:open draft:false repo:practice/tiny-calc")
    drafts = numbers("is:pr is:open draft:true repo:practice/tiny-calc")
    assert ready == {5, 7}
    assert len(drafts) == 1 and not drafts & ready
    assert numbers("is:issue draft:false repo:practice/tiny-calc") == set()
