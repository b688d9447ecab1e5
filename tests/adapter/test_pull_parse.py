"""GitHub's JSON about a pull request → facts: GitHub's documented shapes, and odd ones."""

from __future__ import annotations

from datetime import UTC, datetime

from onboard.core.contributions.facts import CheckRunFact, ReviewComment, ReviewFact, StatusFact
from onboard.forge import pull_parse


def test_githubs_shapes_become_facts() -> None:
    reviews = [
        {
            "user": {"login": "mia"},
            "state": "CHANGES_REQUESTED",
            "submitted_at": "2026-01-02T03:04:05Z",
            "body": "One thing",
        },
        {"user": {"login": "jo"}, "state": "PENDING", "body": ""},  # no submitted_at yet
    ]
    assert pull_parse.reviews_from_json(reviews) == (
        ReviewFact(
            "mia", "CHANGES_REQUESTED", datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC), "One thing"
        ),
        ReviewFact("jo", "PENDING", None, ""),
    )
    comments = [
        {"user": {"login": "mia"}, "body": "here", "path": "a.md", "line": 3},
        {"user": None, "body": "gone", "path": "a.md", "line": None, "original_line": 9},
    ]
    assert pull_parse.review_comments_from_json(comments) == (
        ReviewComment("mia", "here", "a.md", 3),
        ReviewComment(None, "gone", "a.md", None),  # outdated, from a deleted account
    )
    combined = {
        "state": "failure",
        "statuses": [{"context": "ci", "state": "failure", "description": None}],
    }
    assert pull_parse.statuses_from_json(combined) == (StatusFact("ci", "failure", ""),)
    runs = {
        "total_count": 2,
        "check_runs": [
            {
                "name": "lint",
                "status": "completed",
                "conclusion": "failure",
                "output": {"title": "1 slip", "summary": None},
            },
            {"name": "test", "status": "queued", "conclusion": None, "output": None},
        ],
    }
    assert pull_parse.check_runs_from_json(runs) == (
        CheckRunFact("lint", "completed", "failure", "1 slip"),  # the title when no summary
        CheckRunFact("test", "queued", None, ""),
    )
    assert pull_parse.head_sha({"head": {"sha": "abc"}}) == "abc"


def test_odd_answers_give_empty_facts_not_exceptions() -> None:
    assert pull_parse.reviews_from_json({"message": "Not Found"}) == ()
    assert pull_parse.review_comments_from_json([1, "x", {"line": True}]) == (
        ReviewComment(None, "", "", None),
    )
    assert pull_parse.statuses_from_json(None) == ()
    assert pull_parse.check_runs_from_json({"check_runs": "nope"}) == ()
    assert pull_parse.head_sha({"head": None}) == ""
