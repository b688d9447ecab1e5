"""The contribution record and the live state of a pull request, folded with GitHub's rules."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from onboard.core.contributions.facts import (
    CheckRunFact,
    PullFacts,
    ReviewComment,
    ReviewFact,
    StatusFact,
)
from onboard.core.contributions.guidance import WHEN_NOBODY_ANSWERS, ping_template
from onboard.core.contributions.live import (
    ChecksState,
    Outcome,
    ReviewDecision,
    comments_by_place,
    fold_checks,
    review_decision,
    summarize_claim,
    summarize_pull,
)
from onboard.core.contributions.record import ContributionKind, ContributionRecord
from onboard.core.models import Comment
from onboard.core.public_actions import text_problem
from onboard.core.storage.state import StateStore

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


def ago(days: float) -> datetime:
    return NOW - timedelta(days=days)


# ---------------------------------------------------------------------------- checks


def test_no_statuses_and_no_runs_is_none_not_pending() -> None:
    assert fold_checks([], []).state is ChecksState.NONE


def test_a_failed_run_names_itself_and_says_where() -> None:
    runs = [
        CheckRunFact("lint", "completed", "success"),
        CheckRunFact("whitespace", "completed", "failure", "README.md:3: trailing whitespace"),
    ]
    checks = fold_checks([], runs)
    assert checks.state is ChecksState.FAILING
    assert checks.failing == ("whitespace",)
    assert checks.failing_summary == "README.md:3: trailing whitespace"


def test_a_running_check_is_pending_and_failure_wins_over_pending() -> None:
    running = [CheckRunFact("tests", "in_progress", None)]
    assert fold_checks([], running).state is ChecksState.PENDING
    failed = [StatusFact("ci/legacy", "error", "boom")]
    assert fold_checks(failed, running).state is ChecksState.FAILING


@pytest.mark.parametrize("conclusion", ["success", "neutral", "skipped"])
def test_completed_successes_pass(conclusion: str) -> None:
    runs = [CheckRunFact("ci", "completed", conclusion)]
    assert fold_checks([StatusFact("ci/x", "success")], runs).state is ChecksState.PASSING


# ---------------------------------------------------------------------------- reviews


def review(author: str, state: str, days: float = 1) -> ReviewFact:
    return ReviewFact(author, state, ago(days))


def test_changes_requested_then_approved_by_the_same_reviewer_is_approved() -> None:
    reviews = [review("ann", "CHANGES_REQUESTED", 3), review("ann", "APPROVED", 1)]
    assert review_decision(reviews, "me") is ReviewDecision.APPROVED


def test_a_later_comment_does_not_undo_an_approval() -> None:
    reviews = [review("ann", "APPROVED", 3), review("ann", "COMMENTED", 1)]
    assert review_decision(reviews, "me") is ReviewDecision.APPROVED


def test_one_reviewer_requesting_changes_wins_over_another_approving() -> None:
    reviews = [review("ann", "APPROVED"), review("bob", "CHANGES_REQUESTED")]
    assert review_decision(reviews, "me") is ReviewDecision.CHANGES_REQUESTED


def test_dismissed_and_pending_and_own_reviews_do_not_count() -> None:
    reviews = [
        review("ann", "CHANGES_REQUESTED", 3),
        review("ann", "DISMISSED", 2),
        ReviewFact("bob", "PENDING", None),
        review("Me", "COMMENTED"),
    ]
    assert review_decision(reviews, "me") is ReviewDecision.NONE
    assert review_decision([review("bob", "COMMENTED")], "me") is ReviewDecision.COMMENTED


def test_review_comments_are_grouped_by_file_then_line() -> None:
    comments = [
        ReviewComment("ann", "b", "z.md", 2),
        ReviewComment("ann", "old", "a.md", None),
        ReviewComment("ann", "first", "a.md", 7),
        ReviewComment("bob", "second", "a.md", 7),
        ReviewComment("ann", "c", "a.md", 3),
    ]
    groups = comments_by_place(comments)
    assert [(path, line) for path, line, _ in groups] == [
        ("a.md", 3),
        ("a.md", 7),
        ("a.md", None),
        ("z.md", 2),
    ]
    assert [c.body for c in groups[1][2]] == ["first", "second"]


# ---------------------------------------------------------------------------- pulls


def facts(**changes: object) -> PullFacts:
    base: dict[str, object] = {
        "state": "open",
        "merged": False,
        "draft": True,
        "head_sha": "a" * 40,
        "title": "Fix a typo",
        "url": "https://example.test/o/r/pull/4",
        "author": "me",
        "created_at": ago(10),
        "updated_at": ago(1),
    }
    base.update(changes)
    return PullFacts(**base)  # type: ignore[arg-type]


def test_replies_since_last_looked_count_only_others() -> None:
    comments = (
        Comment("ann", "welcome!", ago(5)),
        Comment("me", "thanks", ago(4)),
        Comment("ann", "one more thing", ago(2)),
    )
    live = summarize_pull(facts(comments=comments), "me", ago(3), NOW)
    assert live.replies_since == 1
    assert summarize_pull(facts(comments=comments), "me", None, NOW).replies_since == 2


def test_quiet_counts_from_the_last_word_of_someone_else() -> None:
    comments = (Comment("ann", "welcome!", ago(9)), Comment("me", "ping?", ago(1)))
    live = summarize_pull(facts(comments=comments), "me", None, NOW)
    assert live.quiet_days == 9
    assert "ping" in live.next_step or live.draft
    assert (
        summarize_pull(facts(comments=comments), "me", None, NOW, quiet_after=10).quiet_days is None
    )


def test_never_answered_counts_from_the_start() -> None:
    assert summarize_pull(facts(), "me", None, NOW).quiet_days == 10
    assert summarize_pull(facts(created_at=ago(3)), "me", None, NOW).quiet_days is None


def test_merged_and_closed_are_never_quiet() -> None:
    merged = summarize_pull(facts(state="closed", merged=True), "me", None, NOW)
    assert merged.outcome is Outcome.MERGED and merged.quiet_days is None
    assert "Merged" in merged.next_step
    closed = summarize_pull(facts(state="closed"), "me", None, NOW)
    assert closed.outcome is Outcome.CLOSED


def test_next_step_follows_what_matters_most() -> None:
    failing = (CheckRunFact("ws", "completed", "failure", "a.md:1: trailing whitespace"),)
    live = summarize_pull(facts(check_runs=failing), "me", None, NOW)
    assert "a.md:1: trailing whitespace" in live.next_step
    asked = (review("ann", "CHANGES_REQUESTED"),)
    assert "Changes requested" in summarize_pull(facts(reviews=asked), "me", None, NOW).next_step
    approved = (review("ann", "APPROVED"),)
    assert "ready for review" in summarize_pull(facts(reviews=approved), "me", None, NOW).next_step


def test_claim_counts_replies_after_the_claim_only() -> None:
    comments = [Comment("old", "years ago", ago(400)), Comment("ann", "go ahead!", ago(2))]
    live = summarize_claim("open", comments, ago(3), ago(2), "me", None, NOW)
    assert live.replies_since == 1 and live.quiet_days is None
    assert summarize_claim("closed", [], ago(30), None, "me", None, NOW).outcome is Outcome.CLOSED
    assert summarize_claim("open", [], ago(30), None, "me", None, NOW).quiet_days == 30


# ---------------------------------------------------------------------------- guidance, record


def test_the_ping_template_must_be_edited_before_posting() -> None:
    assert text_problem(ping_template("pull", 8)) is not None
    assert "8 days" in ping_template("claim", 8)
    assert "not a verdict" in WHEN_NOBODY_ANSWERS


def record(**changes: object) -> ContributionRecord:
    base: dict[str, object] = {
        "kind": ContributionKind.PULL,
        "repo": "practice/hello-docs",
        "number": 4,
        "url": "http://x/pull/4",
        "title": "Fix",
        "created_at": ago(2),
    }
    base.update(changes)
    return ContributionRecord(**base)  # type: ignore[arg-type]


def test_records_round_trip_and_bad_ones_are_dropped() -> None:
    one = record(issue=3, last_seen_at=ago(1))
    assert ContributionRecord.from_dict(one.to_dict()) == one
    for bad in ({}, {**one.to_dict(), "kind": "fork"}, {**one.to_dict(), "number": "4"}, []):
        assert ContributionRecord.from_dict(bad) is None


def test_state_records_across_forges_updates_in_place_and_marks_seen(tmp_path: Path) -> None:
    store = StateStore(tmp_path / "state.json")
    store.record_contribution("practice", record())
    store.record_contribution(
        "api.github.com", record(repo="pallets/flask", number=9, created_at=ago(1))
    )
    store.record_contribution("practice", record(title="Fix, retitled", created_at=ago(1)))
    records = store.contributions()
    assert [(key, r.repo, r.title) for key, r in records] == [
        ("practice", "practice/hello-docs", "Fix, retitled"),
        ("api.github.com", "pallets/flask", "Fix"),
    ]
    assert records[0][1].created_at == ago(2)
    store.mark_contribution_seen("practice", records[0][1].key, NOW)
    assert store.contributions()[0][1].last_seen_at == NOW
    assert store.contributions()[1][1].last_seen_at is None


def test_quiet_days_preference_defaults_to_seven_and_survives_other_preferences(
    tmp_path: Path,
) -> None:
    from onboard.core.models import Preferences

    store = StateStore(tmp_path / "state.json")
    assert store.quiet_days() == 7
    store.save_quiet_days(3)
    store.save_preferences(Preferences(("Python",), ()))
    assert store.quiet_days() == 3
    with pytest.raises(ValueError, match="1 or more"):
        store.save_quiet_days(0)
