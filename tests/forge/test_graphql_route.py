"""The practice forge's ``POST /graphql``: GitHub's answers to the queries onboard sends.

Its shapes are GitHub's (``data``; ``errors`` with ``type``, ``path`` and ``locations``; a 401
body; status 200 with ``RATE_LIMITED`` when the points are spent; ``X-RateLimit-Resource:
graphql``), and so are its rules (pagination bounds, unknown fields, the cost formula), so a
query the tests pass is one GitHub would answer the same way.
"""

from __future__ import annotations

from typing import Any

import pytest
import requests

from onboard.core.models import RepoRef
from onboard.forge.claim_evidence import build_plan
from onboard.practice import PracticeForge, links
from onboard.practice.payloads import node_id

REPO = RepoRef.parse("practice/hello-docs")


def ask(
    forge: PracticeForge, http: requests.Session, query: str, variables: Any = None, **more: Any
) -> requests.Response:
    headers = {"Authorization": f"token {forge.token}", **more.pop("headers", {})}
    body = {"query": query, **({"variables": variables} if variables is not None else {})}
    return http.post(f"{forge.api_url}/graphql", json=body, headers=headers, **more)


def first_issue(forge: PracticeForge) -> int:
    return next(i["number"] for i in forge.store.issues(REPO.full_name) if i["pull"] is None)


def test_without_a_token_it_is_githubs_401_and_no_window_is_charged(
    forge: PracticeForge, http: requests.Session
) -> None:
    response = http.post(f"{forge.api_url}/graphql", json={"query": "{ rateLimit { cost } }"})
    assert response.status_code == 401
    assert response.json() == {
        "message": "This endpoint requires you to be authenticated.",
        "documentation_url": (
            "https://docs.github.com/graphql/guides/forming-calls-with-graphql"
            "#authenticating-with-graphql"
        ),
    }
    assert "X-RateLimit-Resource" not in response.headers


def test_answers_carry_the_graphql_window_and_charge_the_query_cost(
    forge: PracticeForge, http: requests.Session
) -> None:
    plan = build_plan([(REPO, first_issue(forge))] * 1)
    first = ask(forge, http, plan.query, plan.variables)
    second = ask(forge, http, plan.query, plan.variables)
    assert first.status_code == second.status_code == 200
    assert first.headers["X-RateLimit-Resource"] == "graphql"
    assert first.headers["X-RateLimit-Limit"] == "5000"
    assert int(first.headers["X-RateLimit-Remaining"]) - 1 == int(
        second.headers["X-RateLimit-Remaining"]
    )
    rate = second.json()["data"]["rateLimit"]
    assert rate["cost"] == 1
    assert rate["remaining"] == int(second.headers["X-RateLimit-Remaining"])
    assert rate["resetAt"].endswith("Z")
    windows = http.get(
        f"{forge.api_url}/rate_limit", headers={"Authorization": f"token {forge.token}"}
    ).json()["resources"]
    assert windows["graphql"]["used"] == 2


@pytest.mark.parametrize(("issues", "points"), [(1, 1), (25, 1), (50, 2), (100, 4)])
def test_the_cost_follows_githubs_formula(
    forge: PracticeForge, http: requests.Session, issues: int, points: int
) -> None:
    """Four connections per issue, one "request" each: 400 for 100 issues, divided by 100."""
    number = first_issue(forge)
    plan = build_plan([(RepoRef("practice", f"hello-docs-{n}"), number) for n in range(issues)])
    answer = ask(forge, http, plan.query, plan.variables).json()
    assert answer["data"]["rateLimit"]["cost"] == points


def test_a_spent_window_answers_200_with_githubs_rate_limited_error(
    forge: PracticeForge, http: requests.Session
) -> None:
    forge.limits.graphql = 1
    plan = build_plan([(REPO, first_issue(forge))])
    assert "data" in ask(forge, http, plan.query, plan.variables).json()
    refused = ask(forge, http, plan.query, plan.variables)
    assert refused.status_code == 200
    assert refused.headers["X-RateLimit-Remaining"] == "0"
    assert refused.headers["X-RateLimit-Resource"] == "graphql"
    (error,) = refused.json()["errors"]
    assert error["type"] == "RATE_LIMITED"
    assert error["message"].startswith("API rate limit already exceeded for user ID ")
    assert "data" not in refused.json()


def test_the_rate_limit_fault_on_graphql_is_githubs_200_answer(
    forge: PracticeForge, http: requests.Session
) -> None:
    forge.faults.add("rate_limit", path="^/graphql", reset_in=120)
    refused = ask(forge, http, "{ rateLimit { cost } }")
    assert refused.status_code == 200
    assert refused.headers["X-RateLimit-Remaining"] == "0"
    assert refused.json()["errors"][0]["type"] == "RATE_LIMITED"


def test_missing_repositories_and_issues_are_null_with_not_found_errors(
    forge: PracticeForge, http: requests.Session
) -> None:
    number = first_issue(forge)
    plan = build_plan([(REPO, number), (REPO, 9999), (RepoRef.parse("nobody/nothing"), 1)])
    answer = ask(forge, http, plan.query, plan.variables).json()
    data = answer["data"]
    assert data["r0"]["i0"]["number"] == number
    assert data["r0"]["i1"] is None
    assert data["r1"] is None
    errors = {tuple(e["path"]): e for e in answer["errors"]}
    assert errors[("r0", "i1")]["type"] == "NOT_FOUND"
    assert errors[("r0", "i1")]["message"] == (
        "Could not resolve to an Issue with the number of 9999."
    )
    assert errors[("r1",)]["message"] == (
        "Could not resolve to a Repository with the name 'nobody/nothing'."
    )
    assert all(e["locations"] for e in answer["errors"])


def test_a_pull_request_is_not_an_issue(forge: PracticeForge, http: requests.Session) -> None:
    pull = next(i["number"] for i in forge.store.issues(REPO.full_name) if i["pull"])
    plan = build_plan([(REPO, pull)])
    answer = ask(forge, http, plan.query, plan.variables).json()
    assert answer["data"]["r0"]["i0"] is None
    assert answer["errors"][0]["type"] == "NOT_FOUND"


@pytest.mark.parametrize(
    ("query", "words"),
    [
        (
            "{ rateLimit { cost } viewerX { login } }",
            "Field 'viewerX' doesn't exist on type 'Query'",
        ),
        ("{ rateLimit { cost }", "Parse error on end of file"),
        ("{ rateLimit { cost } } }", 'Parse error on "}" (RCURLY)'),
        (
            '{ repository(owner: "a", name: "b") { issue(number: 1) '
            "{ comments { totalCount } } } }",
            "You must provide a `first` or `last` value to properly paginate the `comments`",
        ),
        (
            '{ repository(owner: "a", name: "b") { issue(number: 1) '
            "{ comments(last: 101) { totalCount } } } }",
            "Requesting 101 records on the `comments` connection exceeds the `last` limit",
        ),
        ('{ repository(owner: "a") { nameWithOwner } }', "missing required arguments: name"),
        ("{ rateLimit }", "returns RateLimit but has no selections"),
        (
            "query Q($x: Int = 1) { rateLimit { cost } }",
            "Variable $x is declared by Q but not used",
        ),
        ("subscription { rateLimit { cost } }", "answers no subscriptions"),
        ("{ ...missing }", "Fragment missing was used, but not defined"),
    ],
)
def test_a_query_that_does_not_validate_gets_errors_and_no_data(
    forge: PracticeForge, http: requests.Session, query: str, words: str
) -> None:
    response = ask(forge, http, query)
    assert response.status_code == 200
    answer = response.json()
    assert "data" not in answer
    assert any(words in error["message"] for error in answer["errors"]), answer


def test_a_required_variable_left_out_is_refused(
    forge: PracticeForge, http: requests.Session
) -> None:
    plan = build_plan([(REPO, first_issue(forge))])
    answer = ask(forge, http, plan.query, {**plan.variables, "k0": None}).json()
    assert answer["errors"][0]["message"] == "Variable $k0 of type Int! was provided invalid value"


def test_a_body_that_is_not_json_is_a_400(forge: PracticeForge, http: requests.Session) -> None:
    response = http.post(
        f"{forge.api_url}/graphql",
        data=b"{not json",
        headers={"Authorization": f"token {forge.token}"},
    )
    assert response.status_code == 400
    assert response.json()["message"] == "Problems parsing JSON"


def test_search_brings_the_same_issues_as_rest_search(
    forge: PracticeForge, http: requests.Session
) -> None:
    text = "is:issue is:open repo:practice/hello-docs repo:practice/kind-words"
    plan = build_plan((), [text])
    nodes = ask(forge, http, plan.query, plan.variables).json()["data"]["s0"]["nodes"]
    rest = http.get(f"{forge.api_url}/search/issues", params={"q": text, "per_page": 100}).json()
    assert {(n["repository"]["nameWithOwner"], n["number"]) for n in nodes} == {
        (i["repository_url"].split("/repos/")[1], i["number"]) for i in rest["items"]
    }


def test_the_reference_index_matches_the_per_issue_lookup(forge: PracticeForge) -> None:
    with forge.store.locked() as data:
        index = links.cross_reference_index(data)
        for full, issues in data["issues"].items():
            for record in issues.values():
                number = record["number"]
                one = links.cross_references(data, full, number)
                assert index.get((full.casefold(), number), []) == one


READY = (
    "mutation($input: MarkPullRequestReadyForReviewInput!) { markPullRequestReadyForReview("
    "input: $input) { clientMutationId pullRequest { id isDraft number } } }"
)


def test_mark_ready_for_review_turns_the_authors_draft_ready(
    forge: PracticeForge, http: requests.Session
) -> None:
    draft = forge.store.add_issue(REPO.full_name, "Mine", user=forge.user, is_pull=True, draft=True)
    ident = node_id("PullRequest", draft["pull"]["id"])
    answer = ask(forge, http, READY, {"input": {"pullRequestId": ident, "clientMutationId": "x"}})
    assert answer.json() == {
        "data": {
            "markPullRequestReadyForReview": {
                "clientMutationId": "x",
                "pullRequest": {"id": ident, "isDraft": False, "number": draft["number"]},
            }
        }
    }
    assert forge.store.get_issue(REPO.full_name, draft["number"])["pull"]["draft"] is False


def test_mark_ready_for_review_refuses_unknown_ids_and_other_peoples_pulls(
    forge: PracticeForge, http: requests.Session
) -> None:
    missing = ask(forge, http, READY, {"input": {"pullRequestId": "PR_nope"}}).json()
    assert missing["data"] == {"markPullRequestReadyForReview": None}
    assert missing["errors"][0]["type"] == "NOT_FOUND"
    assert (
        "Could not resolve to a node with the global id of 'PR_nope'"
        in (missing["errors"][0]["message"])
    )
    theirs = forge.store.add_issue(
        REPO.full_name, "Theirs", user="sam-contrib", is_pull=True, draft=True
    )
    ident = node_id("PullRequest", theirs["pull"]["id"])
    refused = ask(forge, http, READY, {"input": {"pullRequestId": ident}}).json()
    assert refused["errors"][0]["type"] == "FORBIDDEN"
    assert forge.store.get_issue(REPO.full_name, theirs["number"])["pull"]["draft"] is True
