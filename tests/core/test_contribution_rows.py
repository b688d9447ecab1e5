"""Rows of *My contributions*: folded from a record and the forge's facts, cached as JSON."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from onboard.core.contributions.facts import CheckRunFact, PullFacts, ReviewComment, ReviewFact
from onboard.core.contributions.live import ChecksState, ReviewDecision
from onboard.core.contributions.record import ContributionKind, ContributionRecord
from onboard.core.contributions.rows import claim_row, failed_row, pull_row, row_from_json
from onboard.core.models import Comment, LinkedPull
from onboard.core.storage.state import StateStore

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


def ago(days: float) -> datetime:
    return NOW - timedelta(days=days)


PULL = ContributionRecord(
    ContributionKind.PULL, "octo/docs", 7, "https://x/pull/7", "Fix typo", ago(3), issue=3
)
CLAIM = ContributionRecord(ContributionKind.CLAIM, "octo/docs", 3, "https://x/3#c", "Typo", ago(10))


def facts(**changes: object) -> PullFacts:
    base: dict[str, object] = dict(
        state="open",
        merged=False,
        draft=False,
        head_sha="abc",
        title="Fix typo",
        url="https://x/pull/7",
        author="me",
        created_at=ago(3),
        updated_at=ago(1),
    )
    base.update(changes)
    return PullFacts(**base)  # type: ignore[arg-type]


def test_a_pull_with_a_failing_check_and_changes_requested_round_trips_as_json() -> None:
    row = pull_row(
        "practice",
        PULL,
        facts(
            reviews=(ReviewFact("maintainer", "CHANGES_REQUESTED", ago(1)),),
            review_comments=(ReviewComment("maintainer", "Typo here", "README.md", 3, ago(1)),),
            check_runs=(CheckRunFact("whitespace", "completed", "failure", "README.md:3"),),
        ),
        "me",
        NOW,
    )
    assert row.state == "open"
    assert row.checks.state is ChecksState.FAILING and row.checks.failing == ("whitespace",)
    assert row.review is ReviewDecision.CHANGES_REQUESTED
    assert row.replies_since == 2  # the review and its comment, never looked at
    assert "whitespace" in row.next_step
    data = row.to_json()
    for key in ("repo", "number", "kind", "state", "url", "checks", "review", "updated_at"):
        assert key in data
    assert data["kind"] == "pull" and data["checks"] == "failing"
    assert data["review"] == "changes requested"
    again = row_from_json(data, PULL, "practice")
    assert again is not None
    assert again.checks.failing_summary == "README.md:3"
    assert again.review_comments == row.review_comments
    assert again.to_json() == data


def test_a_merged_pull_is_merged_and_never_quiet() -> None:
    row = pull_row("practice", PULL, facts(state="closed", merged=True), "me", NOW + timedelta(30))
    assert row.merged and row.quiet_days is None


def test_a_claim_sees_the_learners_pull_and_the_assignment() -> None:
    row = claim_row(
        "practice",
        CLAIM,
        state="open",
        assignees=("Me",),
        comments=(Comment("maintainer", "Go ahead!", ago(9)), Comment("old", "x", ago(20))),
        pulls=(LinkedPull(5, "u5", author="someone"), LinkedPull(7, "u7", author="me")),
        updated_at=ago(1),
        learner="me",
        now=NOW,
    )
    assert row.assigned and row.linked_pull == 7
    assert row.replies_since == 1  # the comment before the claim is not an answer to it
    assert "#7" in row.next_step
    assert row.to_json()["kind"] == "claim"


def test_a_quiet_claim_says_so_after_the_configured_days() -> None:
    kwargs = dict(state="open", assignees=(), comments=(), pulls=(), updated_at=None, learner="me")
    assert claim_row("p", CLAIM, now=NOW, quiet_after=7, **kwargs).quiet_days == 10  # type: ignore[arg-type]
    assert claim_row("p", CLAIM, now=NOW, quiet_after=14, **kwargs).quiet_days is None  # type: ignore[arg-type]


def test_a_failed_refresh_keeps_the_last_answer_with_the_reason() -> None:
    cached = pull_row("practice", PULL, facts(), "me", ago(2))
    row = failed_row("practice", PULL, "offline", cached)
    assert row.state == "open" and row.fetched_at == ago(2) and row.error == "offline"
    unknown = failed_row("practice", PULL, "offline", None)
    assert unknown.state == "unknown" and unknown.error == "offline"


def test_a_damaged_cache_entry_is_a_miss() -> None:
    assert row_from_json({"state": "open", "checks": "sideways"}, PULL, "p") is None
    assert row_from_json("nonsense", PULL, "p") is None


def test_an_observed_merge_is_recorded_once_with_its_first_time(tmp_path: Path) -> None:
    store = StateStore(tmp_path / "state.json")
    store.record_contribution("practice", PULL)
    store.observe_contributions("practice", {PULL.key: "merged"}, ago(1))
    store.observe_contributions("practice", {PULL.key: "merged"}, NOW)
    [(_, record)] = store.contributions()
    assert record.observed_state == "merged" and record.merged_at == ago(1)
    store.record_contribution("practice", PULL)  # recording again keeps what was observed
    [(_, record)] = store.contributions()
    assert record.merged_at == ago(1)
