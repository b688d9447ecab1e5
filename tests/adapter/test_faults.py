"""Every way the forge can fail gives a message a newcomer understands, fast, and the cached
answer is used where there is one. Driven by the practice forge's fault modes over real HTTP."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from onboard.core.models import RepoRef
from onboard.forge.base import (
    ForgeAuthError,
    ForgeConfig,
    ForgeError,
    ForgeRateLimited,
    ForgeUnreachable,
)
from onboard.forge.cache import ResponseCache
from onboard.forge.github import GitHubForge
from onboard.practice import PracticeForge

REPOS = [RepoRef.parse("practice/hello-docs")]


def client(forge: PracticeForge, tmp_path: Path) -> GitHubForge:
    config = ForgeConfig(api_url=forge.api_url, token=forge.token, practice=True, timeout=1)
    return GitHubForge(config, cache=ResponseCache(tmp_path / "cache"))


@pytest.mark.parametrize(
    ("kind", "options", "error", "words"),
    [
        ("error", {"status": 500}, ForgeError, "having trouble right now (error 500)"),
        ("error", {"status": 503}, ForgeError, "having trouble right now (error 503)"),
        ("malformed", {}, ForgeError, "answered something unexpected"),
        ("unauthorized", {}, ForgeAuthError, "did not accept the token"),
        ("rate_limit", {"reset_in": 600}, ForgeRateLimited, "too many requests"),
        ("secondary_rate_limit", {"retry_after": 30}, ForgeRateLimited, "Wait 30 seconds"),
        ("timeout", {"seconds": 5}, ForgeUnreachable, "did not answer within 1 seconds"),
        ("reset", {}, ForgeUnreachable, "Cannot reach"),
    ],
)
def test_each_failure_has_a_plain_message_and_is_quick(
    practice_forge: PracticeForge,
    tmp_path: Path,
    kind: str,
    options: dict[str, object],
    error: type[Exception],
    words: str,
) -> None:
    practice_forge.faults.add(kind, path="/search/issues", **options)
    started = time.monotonic()
    with pytest.raises(error) as caught:
        client(practice_forge, tmp_path).good_first_issues(REPOS)
    assert words in str(caught.value)
    assert practice_forge.token not in str(caught.value)
    # Never sleeps until a rate limit resets; a timeout is retried once at most.
    assert time.monotonic() - started < 5


def test_rate_limit_says_when_it_resets(practice_forge: PracticeForge, tmp_path: Path) -> None:
    practice_forge.faults.add("rate_limit", path="/search/issues", reset_in=600)
    with pytest.raises(ForgeRateLimited) as caught:
        client(practice_forge, tmp_path).good_first_issues(REPOS)
    assert caught.value.reset_at is not None
    assert "It resets at" in str(caught.value)


@pytest.mark.parametrize(
    ("kind", "options"),
    [("error", {"status": 502}), ("malformed", {}), ("rate_limit", {}), ("reset", {})],
)
def test_a_failure_falls_back_to_the_cached_answer(
    practice_forge: PracticeForge, tmp_path: Path, kind: str, options: dict[str, object]
) -> None:
    forge = client(practice_forge, tmp_path)
    fresh = forge.good_first_issues(REPOS)
    practice_forge.faults.add(kind, path="/search/issues", **options)
    stale = client(practice_forge, tmp_path).good_first_issues(REPOS)
    assert [i.number for i in stale.issues] == [i.number for i in fresh.issues]
    assert stale.freshness.stale_reason


def test_brief_server_errors_are_retried_then_succeed(
    practice_forge: PracticeForge, tmp_path: Path
) -> None:
    practice_forge.faults.add("error", path="/search/issues", status=503, times=1)
    result = client(practice_forge, tmp_path).good_first_issues(REPOS)
    assert len(result.issues) == 3
    statuses = [r.status for r in practice_forge.requests if r.path == "/search/issues"]
    assert statuses[-2:] == [503, 200]


def test_claim_checks_that_fail_make_status_unknown_not_free(
    practice_forge: PracticeForge, tmp_path: Path
) -> None:
    from onboard.core.models import ClaimStatus
    from onboard.flows.discover import discover

    # Signed in, claim evidence comes from GraphQL, and from REST timelines when that fails.
    practice_forge.faults.add("error", path="/timeline|/graphql", status=500)
    found = discover(client(practice_forge, tmp_path), [(REPOS[0], None)])
    assert found.contributions
    assert {c.claim.status for c in found.contributions} == {ClaimStatus.UNKNOWN}


def test_a_silent_server_is_asked_once_so_the_wait_matches_the_message(
    practice_forge: PracticeForge, tmp_path: Path
) -> None:
    """A read timeout is not retried: "did not answer within N seconds" means N, not 2N."""
    fault = practice_forge.faults.add("timeout", path="/rate_limit", seconds=5)
    with pytest.raises(ForgeUnreachable, match="did not answer within 1 seconds"):
        client(practice_forge, tmp_path).rate_limit()
    assert fault.hits == 1
