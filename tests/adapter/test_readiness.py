"""Readiness signals through the adapter, against the practice forge's seeded history.

The seed gives the three practice projects different stories: hello-docs answers newcomers
within hours and merges most first pull requests, kind-words answers after days and merges one
in four, tiny-calc has too little history to judge. The request log counts what it costs.
"""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest

from onboard.core.discovery.readiness import Verdict
from onboard.core.models import RepoRef
from onboard.forge.base import ForgeConfig, ForgeNotFound
from onboard.forge.cache import ResponseCache
from onboard.forge.github import GitHubForge
from onboard.practice import PracticeForge

HELLO_DOCS = RepoRef("practice", "hello-docs")
TINY_CALC = RepoRef("practice", "tiny-calc")
KIND_WORDS = RepoRef("practice", "kind-words")


def api_requests(forge: PracticeForge) -> list[str]:
    return [record.path for record in forge.requests]


def test_hello_docs_welcomes_newcomers_quickly(
    practice_forge: PracticeForge, forge_config: ForgeConfig
) -> None:
    readiness = GitHubForge(forge_config).readiness(HELLO_DOCS)
    assert readiness.response.verdict is Verdict.GOOD
    # Questions on #2 (unanswered), #5 (answered in 5 hours) and #6 (in a day and a half).
    assert (readiness.responded, readiness.asked) == (2, 3)
    assert readiness.median_response == timedelta(days=1.5)
    assert readiness.response.summary == "replies in about 1.5 days (replied to 2 of 3)"
    # First pull requests: nia-first's and dev-dara's merged, pat-tries's closed.
    assert (readiness.first_timer_merged, readiness.first_timer_closed) == (2, 3)
    assert readiness.first_timers.verdict is Verdict.GOOD
    assert readiness.community.verdict is Verdict.GOOD
    assert readiness.activity.verdict is Verdict.GOOD
    assert readiness.stale_reason is None and readiness.fetched_at is not None


def test_kind_words_is_slower_and_has_no_code_of_conduct(
    practice_forge: PracticeForge, forge_config: ForgeConfig
) -> None:
    readiness = GitHubForge(forge_config).readiness(KIND_WORDS)
    assert readiness.median_response == timedelta(days=5)
    assert readiness.response.verdict is Verdict.OK
    assert (readiness.first_timer_merged, readiness.first_timer_closed) == (1, 4)
    assert readiness.first_timers.verdict is Verdict.OK
    assert (readiness.has_contributing, readiness.has_code_of_conduct) == (True, False)
    assert readiness.community.summary == "CONTRIBUTING, no code of conduct"


def test_tiny_calc_has_too_little_history_to_judge(
    practice_forge: PracticeForge, forge_config: ForgeConfig
) -> None:
    readiness = GitHubForge(forge_config).readiness(TINY_CALC)
    assert readiness.response.summary == "not enough data"
    assert readiness.asked == 2  # alex-helper's report and sam-contrib's question
    assert readiness.first_timers.summary == "not enough data"
    assert readiness.community.verdict is Verdict.GOOD


def test_new_activity_on_the_forge_changes_the_numbers(
    practice_forge: PracticeForge, forge_config: ForgeConfig
) -> None:
    store = practice_forge.store
    issue = store.add_issue(
        TINY_CALC.full_name,
        "sum() of an empty list should be 0",
        user="river-new",
        labels=["good-first-issue"],
        created_days_ago=6,
    )
    store.add_comment(
        TINY_CALC.full_name, issue["number"], "Thanks!", "maintainer-mia", created_days_ago=5.5
    )
    readiness = GitHubForge(forge_config).readiness(TINY_CALC)
    assert (readiness.responded, readiness.asked) == (3, 3)
    assert readiness.response.verdict is Verdict.GOOD  # median of 12 hours, 1 day and 2 days


def test_requests_are_few_counted_and_all_cached(
    practice_forge: PracticeForge, forge_config: ForgeConfig
) -> None:
    forge = GitHubForge(forge_config)
    practice_forge.clear_requests()
    first = forge.readiness(HELLO_DOCS)
    paths = Counter(api_requests(practice_forge))
    # repository, community profile, one search, one page of closed pulls, and the comments of
    # the four beginner issues that have any (#1, #2, #5, #6; #3 has none).
    assert paths == Counter(
        {
            "/repos/practice/hello-docs": 1,
            "/repos/practice/hello-docs/community/profile": 1,
            "/search/issues": 1,
            "/repos/practice/hello-docs/pulls": 1,
            "/repos/practice/hello-docs/issues/1/comments": 1,
            "/repos/practice/hello-docs/issues/2/comments": 1,
            "/repos/practice/hello-docs/issues/5/comments": 1,
            "/repos/practice/hello-docs/issues/6/comments": 1,
        }
    )
    assert first.requests == 8 == len(practice_forge.requests)
    practice_forge.clear_requests()
    again = GitHubForge(forge_config).readiness(HELLO_DOCS)  # a fresh process, same disk cache
    assert {record.status for record in practice_forge.requests} == {304}
    assert again.signals == first.signals


def test_at_most_twelve_requests_even_with_many_beginner_issues(
    practice_forge: PracticeForge, forge_config: ForgeConfig
) -> None:
    store = practice_forge.store
    with store.batch():
        for n in range(15):
            issue = store.add_issue(
                KIND_WORDS.full_name, f"Kind word #{n}", labels=["good first issue"]
            )
            store.add_comment(KIND_WORDS.full_name, issue["number"], "Mine!", "river-new")
    practice_forge.clear_requests()
    readiness = GitHubForge(forge_config).readiness(KIND_WORDS)
    assert readiness.requests == len(practice_forge.requests) == 12
    comment_pages = [p for p in api_requests(practice_forge) if p.endswith("/comments")]
    assert len(comment_pages) == 8


def test_offline_readiness_comes_from_the_cache_and_says_so(tmp_path: Path) -> None:
    cache = ResponseCache(tmp_path / "cache")
    with PracticeForge(tmp_path / "forge") as running:
        config = ForgeConfig(api_url=running.api_url, token=running.token, practice=True)
        fresh = GitHubForge(config, cache=cache).readiness(HELLO_DOCS)
    stale = GitHubForge(config, cache=cache).readiness(HELLO_DOCS)
    assert stale.signals == fresh.signals
    assert stale.stale_reason is not None and "Cannot reach" in stale.stale_reason


def test_missing_repository_is_reported(forge_config: ForgeConfig) -> None:
    with pytest.raises(ForgeNotFound):
        GitHubForge(forge_config).readiness(RepoRef("practice", "no-such-project"))


def test_a_failing_part_only_makes_its_own_signal_unknown(
    practice_forge: PracticeForge, forge_config: ForgeConfig
) -> None:
    practice_forge.faults.add("rate_limit", path="^/search/")
    practice_forge.faults.add("error", status=502, path="/pulls$")
    readiness = GitHubForge(forge_config).readiness(HELLO_DOCS)
    assert readiness.response.verdict is Verdict.UNKNOWN
    assert readiness.response.how == "The beginner issues could not be searched."
    assert readiness.first_timers.verdict is Verdict.UNKNOWN
    assert readiness.community.verdict is Verdict.GOOD
    assert readiness.activity.verdict is Verdict.GOOD


def test_a_fork_has_no_community_profile(
    practice_forge: PracticeForge, forge_config: ForgeConfig
) -> None:
    readiness = GitHubForge(forge_config).readiness(RepoRef("sam-contrib", "tiny-calc"))
    assert readiness.community.verdict is Verdict.UNKNOWN
    assert readiness.has_code_of_conduct is None


def test_readiness_many_runs_together_and_returns_failures(
    practice_forge: PracticeForge, forge_config: ForgeConfig
) -> None:
    missing = RepoRef("practice", "gone")
    refs = [HELLO_DOCS, KIND_WORDS, TINY_CALC, missing, HELLO_DOCS]
    practice_forge.clear_requests()
    results = GitHubForge(forge_config).readiness_many(refs)
    assert list(results) == [HELLO_DOCS, KIND_WORDS, TINY_CALC, missing]
    assert isinstance(results[missing], ForgeNotFound)
    assessed = [r for r in results.values() if not isinstance(r, Exception)]
    assert [r.repo for r in assessed] == [HELLO_DOCS, KIND_WORDS, TINY_CALC]
    assert results[HELLO_DOCS].response.verdict is Verdict.GOOD  # type: ignore[union-attr]
    # Each repository's own requests, nothing more: 8 + 7 + 6, plus 4 for the missing one.
    assert sum(r.requests for r in assessed) + 4 == len(practice_forge.requests)


def test_readiness_many_of_nothing(forge_config: ForgeConfig) -> None:
    assert GitHubForge(forge_config).readiness_many([]) == {}
