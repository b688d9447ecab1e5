"""Claim evidence of many issues through GraphQL: one request per 100 issues, saved per issue.

Against the practice forge over real HTTP: its ``POST /graphql`` answers the adapter's query from
the same store the REST timeline reads, so the evidence can be compared with REST's, and its
request log counts what each refresh costs.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from onboard.core.models import Issue, RepoRef
from onboard.forge import evidence
from onboard.forge.base import (
    ForgeAuthError,
    ForgeConfig,
    ForgeError,
    ForgeNotFound,
    ForgeRateLimited,
    Timeline,
)
from onboard.forge.cache import ResponseCache
from onboard.forge.claim_evidence import graphql_url
from onboard.forge.github import GitHubForge
from onboard.practice import PracticeForge

REPOS = [RepoRef.parse(f"evidence-org/project-{n}") for n in range(4)]


def graphql_requests(forge: PracticeForge) -> int:
    return sum(1 for r in forge.requests if r.path == "/graphql")


def timeline_requests(forge: PracticeForge) -> int:
    return sum(1 for r in forge.requests if r.path.endswith("/timeline"))


@pytest.fixture
def projects(practice_forge: PracticeForge) -> list[RepoRef]:
    """Four repositories with three beginner issues each."""
    store = practice_forge.store
    store.add_user("evidence-org", type="Organization")
    for repo in REPOS:
        store.add_repo(repo.owner, repo.name)
        for index in range(3):
            store.add_issue(repo.full_name, f"Task {index}", labels=["good first issue"])
    return REPOS


def found(client: GitHubForge, repos: list[RepoRef]) -> list[Issue]:
    return client.good_first_issues(repos).issues


def test_issues_of_several_repositories_arrive_in_one_graphql_request(
    practice_forge: PracticeForge, forge_config: ForgeConfig, projects: list[RepoRef]
) -> None:
    client = GitHubForge(forge_config)
    issues = found(client, projects)
    assert len({issue.repo for issue in issues}) == 4
    practice_forge.clear_requests()

    batch = client.timelines_batch(issues)

    assert graphql_requests(practice_forge) == 1
    assert timeline_requests(practice_forge) == 0
    assert batch.requests == 1
    assert set(batch.timelines) == {(i.repo, i.number) for i in issues}
    assert all(isinstance(t, Timeline) for t in batch.timelines.values())
    assert batch.cost == 1  # 12 issues × 4 connections = 48 "requests": under 100, 1 point


def _busy_issue(forge: PracticeForge) -> tuple[RepoRef, int]:
    """An issue with everything the claim rules read: replies with their association, a merged
    pull request that closes it, a closed unmerged one that mentions it, an assignment that was
    taken back, and someone assigned now."""
    store = forge.store
    repo = RepoRef.parse("practice/hello-docs")
    number = store.add_issue(repo.full_name, "Fix the typo", labels=["good first issue"])["number"]
    store.add_comment(repo.full_name, number, "Can I work on this?", "new-contributor")
    store.add_comment(repo.full_name, number, "Go ahead!", "jo-maintainer")
    store.add_issue(
        repo.full_name,
        "Fix the typo",
        f"Fixes #{number}",
        user="new-contributor",
        is_pull=True,
        head="new-contributor:typo",
        merged_days_ago=0.5,
    )
    store.add_issue(
        repo.full_name,
        "An older try",
        f"Started on #{number}, then gave up",
        user="quiet-one",
        is_pull=True,
        head="quiet-one:try",
        state="closed",
        closed_days_ago=1,
    )
    store.set_assignees(repo.full_name, number, ["quiet-one"], by="jo-maintainer")
    store.set_assignees(repo.full_name, number, [], by="jo-maintainer")
    store.set_assignees(repo.full_name, number, ["new-contributor"], by="jo-maintainer")
    return repo, number


def _issue(client: GitHubForge, repo: RepoRef, number: int) -> Issue:
    return client.issue(repo, number)


def test_comments_pulls_and_assignments_reach_the_timeline_as_rest_reports_them(
    practice_forge: PracticeForge, forge_config: ForgeConfig
) -> None:
    repo, number = _busy_issue(practice_forge)
    client = GitHubForge(forge_config)
    timeline = client.timelines_batch([_issue(client, repo, number)]).timelines[(repo, number)]
    assert isinstance(timeline, Timeline)

    said = [(c.author, c.body, c.association) for c in timeline.comments]
    assert ("new-contributor", "Can I work on this?", "NONE") in said
    assert ("jo-maintainer", "Go ahead!", "MEMBER") in said
    pulls = {p.author: p for p in timeline.pulls}
    assert pulls["new-contributor"].merged and pulls["new-contributor"].state == "closed"
    assert not pulls["quiet-one"].merged and pulls["quiet-one"].state == "closed"
    assert all(p.url.startswith(practice_forge.api_url) for p in timeline.pulls)
    moves = [(a.assigned, a.assignee, a.actor) for a in timeline.assignments]
    assert moves == [
        (True, "quiet-one", "jo-maintainer"),
        (False, "quiet-one", "jo-maintainer"),
        (True, "new-contributor", "jo-maintainer"),
    ]
    assert timeline.assignees == ("new-contributor",)

    # The same evidence REST's timeline gives, one request per issue.
    rest = client.timeline(repo, number)
    assert [(c.author, c.body, c.association, c.created_at) for c in rest.comments] == [
        (c.author, c.body, c.association, c.created_at) for c in timeline.comments
    ]
    assert sorted(rest.pulls, key=lambda p: p.number) == sorted(
        timeline.pulls, key=lambda p: p.number
    )
    assert rest.assignments == timeline.assignments


def test_a_missing_issue_gets_its_error_while_the_others_arrive(
    practice_forge: PracticeForge, forge_config: ForgeConfig, projects: list[RepoRef]
) -> None:
    client = GitHubForge(forge_config)
    issues = found(client, projects)
    gone = dataclasses.replace(issues[0], number=999)
    nowhere = dataclasses.replace(issues[0], repo=RepoRef.parse("evidence-org/deleted"))
    practice_forge.clear_requests()

    batch = client.timelines_batch([*issues, gone, nowhere])

    assert graphql_requests(practice_forge) == 1
    assert isinstance(batch.timelines[(gone.repo, 999)], ForgeNotFound)
    assert "#999" in str(batch.timelines[(gone.repo, 999)])
    assert isinstance(batch.timelines[(nowhere.repo, nowhere.number)], ForgeNotFound)
    assert all(isinstance(batch.timelines[(i.repo, i.number)], Timeline) for i in issues)


def test_an_unchanged_refresh_sends_no_graphql_request_even_in_a_new_run(
    practice_forge: PracticeForge, forge_config: ForgeConfig, projects: list[RepoRef]
) -> None:
    client = GitHubForge(forge_config)
    first = client.timelines_batch(found(client, projects))
    evidence.flush()
    practice_forge.clear_requests()

    again = client.timelines_batch(found(client, projects))
    later = GitHubForge(forge_config)  # the next run: a new client, the same cache folder
    next_run = later.timelines_batch(found(later, projects))

    assert graphql_requests(practice_forge) == 0
    assert again.requests == next_run.requests == 0
    assert again.reused == next_run.reused == len(first.timelines)
    saved = next(iter(next_run.timelines.values()))
    assert isinstance(saved, Timeline)
    fetched = next(iter(first.timelines.values()))
    assert isinstance(fetched, Timeline)
    assert saved.freshness.fetched_at == fetched.freshness.fetched_at  # keeps its real age


def test_an_issue_that_changed_is_asked_again_alone(
    practice_forge: PracticeForge, forge_config: ForgeConfig, projects: list[RepoRef]
) -> None:
    client = GitHubForge(forge_config)
    issues = found(client, projects)
    client.timelines_batch(issues)
    changed = issues[3]
    practice_forge.store.add_comment(
        changed.repo.full_name, changed.number, "I'd like to take this one", "newcomer"
    )
    practice_forge.clear_requests()

    refreshed = found(client, projects)
    batch = client.timelines_batch(refreshed)

    assert graphql_requests(practice_forge) == 1
    assert batch.reused == len(issues) - 1
    assert batch.cost == 1
    timeline = batch.timelines[(changed.repo, changed.number)]
    assert isinstance(timeline, Timeline)
    assert [c.body for c in timeline.comments] == ["I'd like to take this one"]


def test_evidence_is_gathered_while_the_search_runs(
    practice_forge: PracticeForge,
    forge_config: ForgeConfig,
    projects: list[RepoRef],
    tmp_path: Path,
) -> None:
    """A first search has no last answer to go by: GraphQL runs the same search and brings
    the evidence along, so the batch after it sends nothing. A search answered before knows
    its issues: those without evidence are asked for while it runs, also in one request."""
    client = GitHubForge(forge_config)
    practice_forge.clear_requests()
    issues = client.good_first_issues(projects, claim_evidence=True).issues
    batch = client.timelines_batch(issues)
    assert graphql_requests(practice_forge) == 1  # the prefetch; the batch asked nothing
    assert batch.reused == len(issues) == 12
    # The prefetch's, reported by the batch. A search is priced as if it found 100 issues:
    # 1 + 100 × 4 connections = 401 "requests", 4 points.
    assert batch.requests == 1 and batch.cost == 4

    searched = GitHubForge(forge_config, cache=ResponseCache(tmp_path / "searched"))
    searched.good_first_issues(projects)  # the search cached, no evidence saved
    practice_forge.clear_requests()
    again = searched.good_first_issues(projects, claim_evidence=True).issues
    assert searched.timelines_batch(again).reused == 12
    assert graphql_requests(practice_forge) == 1
    assert {r.status for r in practice_forge.requests if r.path == "/search/issues"} == {304}


def test_when_graphql_is_rate_limited_rest_checks_some_and_graphql_waits(
    practice_forge: PracticeForge, forge_config: ForgeConfig, projects: list[RepoRef]
) -> None:
    client = GitHubForge(forge_config)
    issues = found(client, projects)
    practice_forge.faults.add("rate_limit", path="^/graphql", reset_in=600)
    practice_forge.clear_requests()

    batch = client.timelines_batch(issues)
    again = client.timelines_batch(issues)

    assert graphql_requests(practice_forge) == 1  # the limit is remembered until it resets
    assert all(isinstance(t, Timeline) for t in batch.timelines.values())  # from REST
    assert timeline_requests(practice_forge) == 2 * len(issues)
    assert (batch.requests, again.requests) == (1 + len(issues), len(issues))
    assert client.rate_limits["graphql"].remaining == 0


def test_a_failed_query_keeps_saved_evidence_and_says_why(
    practice_forge: PracticeForge, forge_config: ForgeConfig, projects: list[RepoRef]
) -> None:
    client = GitHubForge(forge_config)
    issues = found(client, projects)
    client.timelines_batch(issues)
    changed = issues[0]
    practice_forge.store.add_comment(changed.repo.full_name, changed.number, "hello", "someone")
    practice_forge.faults.add("error", path="^/graphql", status=502)
    practice_forge.clear_requests()

    batch = client.timelines_batch(found(client, projects))

    stale = batch.timelines[(changed.repo, changed.number)]
    assert isinstance(stale, Timeline)
    assert "error 502" in (stale.freshness.stale_reason or "")
    assert timeline_requests(practice_forge) == 0


def test_claim_evidence_in_batches_needs_a_token(practice_forge: PracticeForge) -> None:
    anonymous = GitHubForge(ForgeConfig(api_url=practice_forge.api_url, practice=True))
    with pytest.raises(ForgeAuthError):
        anonymous.timelines_batch([])
    assert graphql_requests(practice_forge) == 0


def test_a_web_page_instead_of_graphql_data_is_never_evidence(
    practice_forge: PracticeForge, forge_config: ForgeConfig, projects: list[RepoRef]
) -> None:
    client = GitHubForge(forge_config)
    issues = found(client, projects)
    practice_forge.faults.add("html", path="^/graphql")
    batch = client.timelines_batch(issues)
    assert all(isinstance(t, ForgeError) for t in batch.timelines.values())
    assert timeline_requests(practice_forge) == 0  # a sign-in page would answer REST too


@pytest.mark.parametrize(
    ("api", "graphql"),
    [
        ("https://api.github.com", "https://api.github.com/graphql"),
        ("https://api.github.com/", "https://api.github.com/graphql"),
        ("https://github.example.com/api/v3", "https://github.example.com/api/graphql"),
        ("https://github.example.com/api/v3/", "https://github.example.com/api/graphql"),
        ("https://api.octo.ghe.com", "https://api.octo.ghe.com/graphql"),
        ("http://127.0.0.1:8123", "http://127.0.0.1:8123/graphql"),
    ],
)
def test_graphql_lives_where_github_documents_it(api: str, graphql: str) -> None:
    assert graphql_url(api) == graphql


def test_a_secondary_limit_on_graphql_slows_everything_down_and_rest_is_not_tried(
    practice_forge: PracticeForge, forge_config: ForgeConfig, projects: list[RepoRef]
) -> None:
    client = GitHubForge(forge_config)
    issues = found(client, projects)
    practice_forge.faults.add("secondary_rate_limit", path="^/graphql", status=403, retry_after=60)
    practice_forge.clear_requests()

    batch = client.timelines_batch(issues)

    assert all(isinstance(t, ForgeRateLimited) for t in batch.timelines.values())
    assert timeline_requests(practice_forge) == 0
    with pytest.raises(ForgeRateLimited):  # GitHub's secondary limits cover every resource
        client.issue(issues[0].repo, issues[0].number)
    assert len(practice_forge.requests) == 1
