"""A refresh of many searches keeps what arrived, and paces itself to the search allowance."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from onboard.core.discovery.queries import beginner_issue_queries
from onboard.core.models import RepoRef
from onboard.forge.base import ForgeConfig, ForgeError, ForgeRateLimited
from onboard.forge.cache import ResponseCache
from onboard.forge.github import GitHubForge
from onboard.practice import PracticeForge

PRACTICE = [RepoRef.parse(f"practice/{name}") for name in ("hello-docs", "tiny-calc", "kind-words")]
#: Long names force a second query, so each of the two queries holds a real project.
FILLER = [RepoRef.parse(f"someone-{i}/a-rather-long-project-name-{i}") for i in range(4)]
REPOS = [PRACTICE[0], PRACTICE[1], *FILLER, PRACTICE[2]]


def client(forge: PracticeForge, tmp_path: Path) -> GitHubForge:
    config = ForgeConfig(api_url=forge.api_url, token=forge.token, practice=True, timeout=5)
    return GitHubForge(config, cache=ResponseCache(tmp_path / "cache"))


def test_one_failed_search_of_several_keeps_the_others(
    practice_forge: PracticeForge, tmp_path: Path
) -> None:
    queries = beginner_issue_queries(REPOS)
    assert len(queries) == 2 and all("practice/" in q for q in queries)
    practice_forge.faults.add("error", path="/search/issues", times=1, status=500)
    found = client(practice_forge, tmp_path).good_first_issues(REPOS)
    assert found.issues, "what arrived is kept"
    assert found.missing and set(found.missing) < set(REPOS)
    assert {issue.repo for issue in found.issues}.isdisjoint(found.missing)
    assert found.incomplete
    assert "error 500" in (found.missing_reason or "")


def test_when_every_search_fails_the_error_is_raised(
    practice_forge: PracticeForge, tmp_path: Path
) -> None:
    practice_forge.faults.add("error", path="/search/issues", status=500)
    with pytest.raises(ForgeError, match="error 500"):
        client(practice_forge, tmp_path).good_first_issues(REPOS)


def test_searches_wait_for_the_allowance_instead_of_failing(
    practice_forge: PracticeForge, tmp_path: Path
) -> None:
    practice_forge.limits.search = 2
    practice_forge.limits.search_period = 2
    forge = client(practice_forge, tmp_path)
    started = time.monotonic()
    results = forge.readiness_many(PRACTICE)  # one search each: three searches, two allowed
    assert all(not isinstance(result, ForgeError) for result in results.values())
    assert all(r.stale_reason is None for r in results.values() if not isinstance(r, ForgeError))
    refused = [r for r in practice_forge.requests if r.path == "/search/issues" and r.status >= 400]
    assert refused == []
    assert forge._search_pacer.waited > 0  # it really waited for the next window
    assert time.monotonic() - started < 10


def test_a_rate_limit_is_remembered_until_its_reset(
    practice_forge: PracticeForge, tmp_path: Path
) -> None:
    practice_forge.faults.add("rate_limit", path="/search/issues", times=1, reset_in=600)
    forge = client(practice_forge, tmp_path)
    with pytest.raises(ForgeRateLimited):
        forge.good_first_issues(PRACTICE)
    asked = len(practice_forge.requests)
    with pytest.raises(ForgeRateLimited, match="It resets at"):
        forge.good_first_issues(PRACTICE)  # answered from memory: nothing sent
    assert len(practice_forge.requests) == asked
    forge.repo(PRACTICE[0])  # the core allowance is another resource: still asked
    assert len(practice_forge.requests) == asked + 1


def test_a_secondary_limit_honours_retry_after_on_every_resource(
    practice_forge: PracticeForge, tmp_path: Path
) -> None:
    practice_forge.faults.add("secondary_rate_limit", path="/repos/", times=1, retry_after=1)
    forge = client(practice_forge, tmp_path)
    with pytest.raises(ForgeRateLimited, match="Wait 1 seconds"):
        forge.repo(PRACTICE[0])
    asked = len(practice_forge.requests)
    with pytest.raises(ForgeRateLimited):
        forge.good_first_issues(PRACTICE)  # another resource, same penalty box
    assert len(practice_forge.requests) == asked
    time.sleep(1.1)
    assert forge.repo(PRACTICE[0]).repo == PRACTICE[0]
