"""Claim status for every listed issue when signed in; an honest count when not.

``discover`` against the practice forge over real HTTP: signed in, the claim evidence of all
issues travels in GraphQL requests (one per 100 issues, none when nothing changed); without a
token only REST timelines exist (one request each, of GitHub's 60 an hour), so the first few
issues are checked and the discovery says how many.
"""

from __future__ import annotations

import pytest

from onboard.core.models import ClaimStatus, RepoRef
from onboard.flows.discover import CLAIM_CHECKS_ANONYMOUS, discover
from onboard.forge.base import ForgeConfig
from onboard.forge.github import GitHubForge
from onboard.practice import PracticeForge

REPO = RepoRef.parse("claims-org/many-tasks")
ISSUES = 14


@pytest.fixture
def many(practice_forge: PracticeForge) -> RepoRef:
    practice_forge.store.add_user(REPO.owner, type="Organization")
    practice_forge.store.add_repo(REPO.owner, REPO.name)
    for index in range(ISSUES):
        practice_forge.store.add_issue(REPO.full_name, f"Task {index}", labels=["good first issue"])
    practice_forge.store.add_comment(REPO.full_name, 3, "I'd like to work on this!", "eager-one")
    return REPO


def requests_to(forge: PracticeForge, suffix: str) -> int:
    return sum(1 for r in forge.requests if r.path.endswith(suffix))


def test_signed_in_every_issue_is_checked_in_one_graphql_request(
    practice_forge: PracticeForge, forge_config: ForgeConfig, many: RepoRef
) -> None:
    client = GitHubForge(forge_config)
    practice_forge.clear_requests()
    found = discover(client, [(many, None)])

    assert len(found.contributions) == ISSUES
    assert ClaimStatus.UNKNOWN not in {c.claim.status for c in found.contributions}
    assert (found.claims_checked, found.claims_listed) == (ISSUES, ISSUES)
    assert found.claim_note() is None
    assert requests_to(practice_forge, "/graphql") == 1
    assert requests_to(practice_forge, "/timeline") == 0
    assert found.claim_requests == 1
    assert found.claim_cost == 4  # the search it ran beside the REST one, priced for 100 issues
    claimed = next(c for c in found.contributions if c.issue.number == 3)
    assert claimed.claim.status is ClaimStatus.TAKEN

    practice_forge.clear_requests()
    again = discover(client, [(many, None)])
    assert requests_to(practice_forge, "/graphql") == 0
    assert again.claim_requests == 0
    assert [c.claim for c in again.contributions] == [c.claim for c in found.contributions]


def test_without_a_token_rest_checks_the_first_few_and_says_so(
    practice_forge: PracticeForge, many: RepoRef
) -> None:
    anonymous = GitHubForge(ForgeConfig(api_url=practice_forge.api_url, practice=True))
    practice_forge.clear_requests()
    found = discover(anonymous, [(many, None)])

    assert requests_to(practice_forge, "/graphql") == 0
    assert requests_to(practice_forge, "/timeline") == CLAIM_CHECKS_ANONYMOUS
    assert (found.claims_checked, found.claims_listed) == (CLAIM_CHECKS_ANONYMOUS, ISSUES)
    unknown = [c for c in found.contributions if c.claim.status is ClaimStatus.UNKNOWN]
    assert len(unknown) == ISSUES - CLAIM_CHECKS_ANONYMOUS
    note = found.claim_note()
    assert note is not None
    assert f"{CLAIM_CHECKS_ANONYMOUS} of {ISSUES} issues" in note
    assert "onboard auth login" in note


def test_the_preliminary_result_has_no_claim_note(
    practice_forge: PracticeForge, many: RepoRef
) -> None:
    anonymous = GitHubForge(ForgeConfig(api_url=practice_forge.api_url, practice=True))
    early = []
    discover(anonymous, [(many, None)], preliminary=early.append)
    assert early and early[0].claim_note() is None  # the checks have not run yet
