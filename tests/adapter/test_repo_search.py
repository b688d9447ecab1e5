"""Repository search through the adapter: filters, beginner-issue counts, and their cost."""

from __future__ import annotations

from pathlib import Path

import pytest

from onboard.core.models import RepoRef
from onboard.forge.base import ForgeConfig, ForgeError, ForgeUnreachable
from onboard.forge.cache import ResponseCache
from onboard.forge.github import COUNT_ISSUES_PER_QUERY, GitHubForge
from onboard.practice import PracticeForge

from .test_search_and_cache import REALISTIC

HD, TC, KW = (RepoRef("practice", n) for n in ("hello-docs", "tiny-calc", "kind-words"))
SPELLINGS = {"good first issue", "good-first-issue", "🌱 good first issue"}


def free_beginner_issues(forge: PracticeForge, repo: RepoRef) -> int:
    """Open, unassigned beginner issues per the forge's own data, independent of the adapter."""
    return sum(
        1
        for issue in forge.store.issues(repo.full_name)
        if issue["state"] == "open"
        and issue["pull"] is None
        and not issue["assignees"]
        and {name.lower() for name in issue["labels"]} & SPELLINGS
    )


def paths(forge: PracticeForge) -> list[str]:
    return [record.path for record in forge.requests]


def test_all_practice_projects_with_their_counts(
    practice_forge: PracticeForge, forge_config: ForgeConfig
) -> None:
    practice_forge.clear_requests()
    hits = GitHubForge(forge_config).search_repositories()
    assert {hit.repo for hit in hits} == {HD, TC, KW}
    for hit in hits:
        assert hit.good_first_issues == free_beginner_issues(practice_forge, hit.repo)
        assert hit.good_first_issues_exact
    assert paths(practice_forge) == ["/search/repositories", "/search/issues"]


def test_filters_reach_the_forge(practice_forge: PracticeForge, forge_config: ForgeConfig) -> None:
    forge = GitHubForge(forge_config)
    python = forge.search_repositories(topic="python")
    assert [hit.repo for hit in python] == [TC]
    hit = python[0]
    assert hit.language == "Python" and "calculator" in hit.topics
    assert hit.stars == 42 and hit.pushed_at is not None and hit.open_issues == 8
    assert hit.html_url.endswith("/practice/tiny-calc")
    assert [h.repo for h in forge.search_repositories(language="JavaScript")] == [KW]
    assert [h.repo for h in forge.search_repositories(text="documentation site")] == [HD]
    assert forge.search_repositories(topic="python", language="JavaScript") == []
    queries = [r.query["q"][0] for r in practice_forge.requests if "repositories" in r.path]
    assert queries[0] == "good-first-issues:>0 archived:false is:public topic:python"


def test_sort_by_stars(practice_forge: PracticeForge, forge_config: ForgeConfig) -> None:
    hits = GitHubForge(forge_config).search_repositories(sort="stars")
    assert [hit.repo for hit in hits] == [TC, KW, HD]
    with pytest.raises(ValueError):
        GitHubForge(forge_config).search_repositories(sort="forks")


def test_archived_projects_and_projects_without_beginner_issues_are_left_out(
    practice_forge: PracticeForge, forge_config: ForgeConfig
) -> None:
    practice_forge.store.set_repo_flags(KW.full_name, archived=True)
    practice_forge.store.add_user("quiet", type="Organization")
    practice_forge.store.add_repo("quiet", "nothing-to-do", topics=["python"])
    hits = GitHubForge(forge_config).search_repositories()
    assert {hit.repo for hit in hits} == {HD, TC}


def test_counts_are_batched_not_one_request_per_repository(
    practice_forge: PracticeForge, forge_config: ForgeConfig
) -> None:
    store = practice_forge.store
    for name in REALISTIC:
        repo = RepoRef.parse(name)
        if store.get_user(repo.owner) is None:
            store.add_user(repo.owner, type="Organization")
        store.add_repo(repo.owner, repo.name, topics=["onboarding"])
        for _ in range(2):
            store.add_issue(repo.full_name, "Improve the docs", labels=["good first issue"])
    practice_forge.clear_requests()
    hits = GitHubForge(forge_config).search_repositories(topic="onboarding", limit=30)
    assert len(hits) == 20
    assert all(hit.good_first_issues == 2 for hit in hits)
    searches = [p for p in paths(practice_forge) if p == "/search/issues"]
    assert 1 <= len(searches) <= 4
    assert paths(practice_forge).count("/search/repositories") == 1


def test_limit_and_pages(practice_forge: PracticeForge, forge_config: ForgeConfig) -> None:
    store = practice_forge.store
    store.add_user("many", type="Organization")
    with store.batch():
        for n in range(120):
            store.add_repo("many", f"project-{n}", topics=["crowd"])
            store.add_issue(f"many/project-{n}", "Docs", labels=["good first issue"])
    practice_forge.clear_requests()
    hits = GitHubForge(forge_config).search_repositories(topic="crowd", limit=110)
    assert len(hits) == 110 == len({hit.repo for hit in hits})
    assert paths(practice_forge).count("/search/repositories") == 2  # 100 per page


def test_a_huge_backlog_is_a_lower_bound(
    practice_forge: PracticeForge, forge_config: ForgeConfig
) -> None:
    store = practice_forge.store
    store.add_user("big", type="Organization")
    store.add_repo("big", "backlog", topics=["huge"])
    with store.batch():
        for n in range(COUNT_ISSUES_PER_QUERY + 5):
            store.add_issue("big/backlog", f"Task {n}", labels=["good first issue"])
    (hit,) = GitHubForge(forge_config).search_repositories(topic="huge")
    assert hit.good_first_issues == COUNT_ISSUES_PER_QUERY
    assert hit.good_first_issues_exact is False


def test_counts_that_cannot_be_read_are_unknown_not_zero(
    practice_forge: PracticeForge, forge_config: ForgeConfig
) -> None:
    practice_forge.faults.add("error", status=500, path="^/search/issues")
    hits = GitHubForge(forge_config).search_repositories()
    assert {hit.repo for hit in hits} == {HD, TC, KW}
    assert all(hit.good_first_issues is None for hit in hits)


def test_a_too_long_search_is_explained_before_any_request(
    practice_forge: PracticeForge, forge_config: ForgeConfig
) -> None:
    practice_forge.clear_requests()
    with pytest.raises(ForgeError, match="too long for GitHub"):
        GitHubForge(forge_config).search_repositories(text="word " * 60)
    assert practice_forge.requests == []


def test_offline_search_answers_from_the_cache(tmp_path: Path) -> None:
    cache = ResponseCache(tmp_path / "cache")
    with PracticeForge(tmp_path / "forge") as running:
        config = ForgeConfig(api_url=running.api_url, token=running.token, practice=True)
        fresh = GitHubForge(config, cache=cache).search_repositories(topic="python")
    assert GitHubForge(config, cache=cache).search_repositories(topic="python") == fresh
    with pytest.raises(ForgeUnreachable):
        GitHubForge(config, cache=ResponseCache(tmp_path / "none")).search_repositories()
