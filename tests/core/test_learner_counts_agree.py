"""#16 item 3: a learner's My contributions record and the OSPO view count the same facts the
same way: a session report's counts, a cohort's, and the OSPO's per-person and per-upstream
totals agree on one learner's claims, pull requests (one merged) and review."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from onboard.core.contributions.counted import counts_of, records_of, review_ref
from onboard.core.contributions.record import ContributionKind, ContributionRecord
from onboard.core.ospo.counting import Record, count, person_totals, upstream_totals
from onboard.core.sessions.checkpoints import Facts
from onboard.core.sessions.cohort import LoadedReport, render_summary_markdown, summarise
from onboard.core.sessions.progress import SessionEvent, SessionProgress
from onboard.core.sessions.report import Learner, build_report
from onboard.core.sessions.session import self_guided_session

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def record(
    kind: ContributionKind, repo: str, number: int, merged: bool = False
) -> ContributionRecord:
    made = ContributionRecord(kind, repo, number, f"https://x/{repo}/{number}", "t", T0)
    return made.observed("merged", T0 + timedelta(days=1)) if merged else made


CLAIM, PULL = ContributionKind.CLAIM, ContributionKind.PULL
MINE = (
    record(CLAIM, "practice/hello-docs", 1),
    record(PULL, "practice/hello-docs", 4, merged=True),
    record(CLAIM, "practice/tiny-calc", 2),
    record(PULL, "practice/tiny-calc", 7),
)
REVIEW = SessionEvent.review_given(
    "https://x/practice/kind-words/pull/3#review-1", "practice/kind-words#3"
)

#: What the OSPO's searches find for the same person (commenter:, author:, is:merged,
#: reviewed-by:), as the OSPO flow turns search hits into records.
FROM_SEARCHES = [
    Record("kim", "practice/hello-docs", 1, "issue", "commenter"),
    Record("kim", "practice/hello-docs", 4, "pr", "author", merged=True),
    Record("kim", "practice/tiny-calc", 2, "issue", "commenter"),
    Record("kim", "practice/tiny-calc", 7, "pr", "author"),
    Record("kim", "practice/kind-words", 3, "pr", "reviewer"),
]


def report_for(learner_id: str) -> dict[str, object]:
    session = self_guided_session()
    progress = SessionProgress(session.id, learner_id=learner_id, events=(REVIEW,))
    return build_report(
        session,
        progress,
        Facts(observed_at=T0, contributions=MINE),
        learner=Learner("Kim"),
        workspace_root=Path("/w"),
        generated_at=T0,
    )


def test_a_report_counts_as_the_ospo_view_counts_a_person() -> None:
    report = report_for("a" * 32)
    ospo = person_totals(count(FROM_SEARCHES, ["kim"])["kim"])
    assert report["counts"] == ospo
    from onboard.core.sessions.report_render import render

    assert "pull requests merged: 1 · others' pull requests reviewed: 1" in render(report, "md")
    assert ospo == {
        "issues_opened": 0,
        "issues_commented": 2,
        "prs_opened": 2,
        "prs_merged": 1,
        "reviews": 1,
    }


def test_a_cohort_summary_agrees_with_the_ospo_view_on_the_same_people() -> None:
    reports = [LoadedReport(Path(f"{n}.json"), report_for(n * 32)) for n in ("a", "b")]
    summary = summarise(reports)
    # Two learners who did the same things, as a team of two is counted by the OSPO view.
    team = FROM_SEARCHES + [replace(r, login="lee") for r in FROM_SEARCHES]
    table = count(team, ["kim", "lee"])
    totals = {m: sum(person_totals(table[p])[m] for p in table) for m in summary["counts"]}
    assert summary["counts"] == totals
    assert summary["upstreams"] == upstream_totals(table)
    assert "pull requests merged: 2" in render_summary_markdown(summary)


def test_the_same_pull_recorded_twice_or_reviewed_twice_counts_once() -> None:
    items = [
        {"repo": "a/b", "number": 4, "kind": "pr", "merged": True},
        {"repo": "A/B", "number": 4, "kind": "pr", "merged": True},
        {"repo": "a/b", "number": 9, "kind": "review"},
        {"repo": "a/b", "number": 9, "kind": "review"},
        {"repo": "no-slash", "number": 1, "kind": "pr"},  # hand-edited: left out
        {"repo": "a/b", "number": True, "kind": "pr"},
        "nonsense",
    ]
    assert len(records_of("kim", items)) == 4
    assert counts_of("kim", items) == {
        "issues_opened": 0,
        "issues_commented": 0,
        "prs_opened": 1,
        "prs_merged": 1,
        "reviews": 1,
    }


def test_which_pull_a_review_was_on() -> None:
    assert review_ref("practice/kind-words#3", None) == ("practice/kind-words", 3)
    assert review_ref("", "https://github.com/o/r/pull/12#pullrequestreview-9") == ("o/r", 12)
    assert review_ref("thanks!", "https://example.invalid/") is None
