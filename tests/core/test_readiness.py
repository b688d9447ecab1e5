"""Readiness signals on hand-built issues and pull requests, with a fixed ``NOW``.

Each test names the rule it pins down: who counts as a maintainer reply, when the wait starts,
how unanswered questions enter the median, and when there is too little data to say anything.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from onboard.core.discovery.readiness import (
    ACTIVITY_GOOD,
    ACTIVITY_OK,
    MERGE_WINDOW_DAYS,
    MIN_MERGE_SAMPLE,
    MIN_RESPONSE_SAMPLE,
    RESPONSE_GOOD,
    RESPONSE_OK,
    RESPONSE_WINDOW_DAYS,
    BeginnerIssue,
    ClosedPull,
    Verdict,
    activity_signal,
    assess,
    beginner_history_query,
    community_signal,
    duration_text,
    first_timer_counts,
    first_timer_signal,
    last_activity,
    response_signal,
    response_stats,
)
from onboard.core.models import Comment, RepoRef

NOW = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)
REPO = RepoRef("practice", "kind-words")


def ago(days: float) -> datetime:
    return NOW - timedelta(days=days)


def say(author: str, days: float, association: str = "NONE", body: str = "") -> Comment:
    return Comment(author=author, body=body, created_at=ago(days), association=association)


def asked(
    number: int,
    opened: float,
    *replies: Comment,
    author: str = "newcomer",
    association: str = "NONE",
) -> BeginnerIssue:
    """A beginner issue opened ``opened`` days ago by a newcomer, with ``replies``."""
    return BeginnerIssue(number, author, association, ago(opened), tuple(replies))


def answered_after(number: int, hours: float, *, opened: float = 30) -> BeginnerIssue:
    reply_days = opened - hours / 24
    return asked(number, opened, say("mia", reply_days, "MEMBER"))


# --------------------------------------------------------------------------- maintainer replies


def test_median_of_answered_questions() -> None:
    issues = [answered_after(1, 5), answered_after(2, 24), answered_after(3, 72)]
    stats = response_stats(issues, NOW)
    assert (stats.asked, stats.responded) == (3, 3)
    assert stats.median == timedelta(hours=24)
    signal = response_signal(stats)
    assert signal.verdict is Verdict.GOOD
    assert signal.summary == "replies in about 24 hours (replied to 3 of 3)"
    assert "3 beginner issues opened in the last 180 days" in signal.how
    assert "3 got a maintainer reply" in signal.how


def test_even_sample_takes_the_mean_of_the_middle_two() -> None:
    issues = [answered_after(n, h) for n, h in enumerate((2, 10, 30, 100), start=1)]
    assert response_stats(issues, NOW).median == timedelta(hours=20)


def test_unanswered_questions_count_as_longest_waits() -> None:
    issues = [
        answered_after(1, 2),
        answered_after(2, 4),
        answered_after(3, 200),
        asked(4, 20),
        asked(5, 40),
    ]
    stats = response_stats(issues, NOW)
    assert (stats.asked, stats.responded) == (5, 3)
    # sorted: 2h, 4h, 200h, never, never -> the middle one is 200 hours, not 4
    assert stats.median == timedelta(hours=200)
    assert response_signal(stats).verdict is Verdict.POOR


def test_half_or_more_unanswered_gives_no_median() -> None:
    issues = [answered_after(1, 1), answered_after(2, 1), asked(3, 10), asked(4, 12)]
    stats = response_stats(issues, NOW)
    assert stats.median is None
    signal = response_signal(stats)
    assert signal.verdict is Verdict.POOR
    assert signal.summary == "replied to 2 of 4"
    assert "still waiting" in signal.how


def test_too_few_questions_is_not_enough_data() -> None:
    stats = response_stats([answered_after(1, 1), answered_after(2, 2)], NOW)
    signal = response_signal(stats)
    assert signal.verdict is Verdict.UNKNOWN
    assert signal.summary == "not enough data"
    assert f"at least {MIN_RESPONSE_SAMPLE}" in signal.how
    assert stats.median is None


def test_no_beginner_issues_at_all() -> None:
    readiness = assess(REPO, now=NOW)
    assert readiness.response.verdict is Verdict.UNKNOWN
    assert readiness.response.summary == "not enough data"
    assert readiness.asked == 0 and readiness.median_response is None


def test_issue_author_answering_themselves_is_no_reply() -> None:
    own = asked(
        1,
        10,
        say("newcomer", 9.5, "NONE"),
        say("newcomer", 9, "COLLABORATOR"),  # even with a maintainer association
    )
    stats = response_stats([own, answered_after(2, 1), answered_after(3, 1)], NOW)
    assert (stats.asked, stats.responded) == (3, 2)


def test_bots_never_count_as_a_reply() -> None:
    botted = asked(1, 10, say("welcome-bot[bot]", 9.99, "MEMBER"), say("mia", 8, "OWNER"))
    stats = response_stats([botted], NOW)
    assert stats.waits == (timedelta(days=2),)


def test_only_owner_member_collaborator_reply_for_the_project() -> None:
    issue = asked(
        1,
        10,
        say("helper", 9.9, "CONTRIBUTOR"),
        say("passer-by", 9.8, "NONE"),
        say("co", 7, "COLLABORATOR"),
    )
    assert response_stats([issue], NOW).waits == (timedelta(days=3),)


def test_a_maintainer_opened_issue_waits_from_the_first_outside_question() -> None:
    issue = asked(
        1,
        20,
        say("jo", 19, "MEMBER"),  # a maintainer's tip: nobody is waiting yet
        say("newcomer", 10, "NONE", "Can I work on this?"),
        say("mia", 9, "MEMBER"),
        author="mia",
        association="MEMBER",
    )
    assert response_stats([issue], NOW).waits == (timedelta(days=1),)


def test_a_maintainer_may_answer_on_their_own_issue() -> None:
    issue = asked(
        1,
        20,
        say("newcomer", 10, "NONE"),
        say("mia", 8, "OWNER"),
        author="mia",
        association="OWNER",
    )
    assert response_stats([issue], NOW).waits == (timedelta(days=2),)


def test_maintainer_opened_issues_nobody_asked_on_are_left_out() -> None:
    quiet = asked(1, 5, say("jo", 4, "MEMBER"), author="mia", association="MEMBER")
    stats = response_stats([quiet], NOW)
    assert (stats.asked, stats.unasked) == (0, 1)
    assert "had no question from outside the team yet" in response_signal(stats).how


def test_issues_outside_the_window_are_ignored() -> None:
    old = answered_after(1, 1, opened=RESPONSE_WINDOW_DAYS + 1)
    assert response_stats([old], NOW).asked == 0


def test_unreadable_comments_are_reported_not_guessed() -> None:
    unread = BeginnerIssue(1, "newcomer", "NONE", ago(3), None)
    stats = response_stats([unread], NOW)
    assert (stats.asked, stats.unread) == (0, 1)
    assert "could not be read" in response_signal(stats).how


def test_comments_out_of_order_are_sorted() -> None:
    issue = asked(1, 10, say("mia", 6, "MEMBER"), say("jo", 8, "MEMBER"))
    assert response_stats([issue], NOW).waits == (timedelta(days=2),)


def test_comments_without_dates_are_skipped() -> None:
    undated = Comment("mia", "", None, "MEMBER")
    issue = asked(1, 10, undated, say("jo", 7, "MEMBER"))
    assert response_stats([issue], NOW).waits == (timedelta(days=3),)


@pytest.mark.parametrize(
    ("hours", "verdict"),
    [
        (RESPONSE_GOOD.total_seconds() / 3600, Verdict.GOOD),
        (RESPONSE_GOOD.total_seconds() / 3600 + 1, Verdict.OK),
        (RESPONSE_OK.total_seconds() / 3600, Verdict.OK),
        (RESPONSE_OK.total_seconds() / 3600 + 1, Verdict.POOR),
    ],
)
def test_response_thresholds(hours: float, verdict: Verdict) -> None:
    issues = [answered_after(n, hours) for n in range(1, 4)]
    assert response_signal(response_stats(issues, NOW)).verdict is verdict


@given(st.lists(st.floats(min_value=0.1, max_value=2000), min_size=3, max_size=15))
def test_median_lies_between_the_fastest_and_slowest_answer(hours: list[float]) -> None:
    issues = [answered_after(n, h, opened=100) for n, h in enumerate(hours)]
    stats = response_stats(issues, NOW)
    assert stats.median is not None
    assert min(stats.waits) <= stats.median <= max(stats.waits)


# --------------------------------------------------------------------------- first pull requests


def closed(
    number: int, days: float, *, merged: bool, association: str = "FIRST_TIME_CONTRIBUTOR"
) -> ClosedPull:
    return ClosedPull(
        number, f"user{number}", association, ago(days), ago(days) if merged else None, ago(days)
    )


def test_share_of_first_timer_pulls_merged() -> None:
    pulls = [
        closed(1, 5, merged=True),
        closed(2, 10, merged=True, association="FIRST_TIMER"),
        closed(3, 20, merged=False),
        closed(4, 3, merged=False, association="CONTRIBUTOR"),  # not a first-timer
        closed(5, 3, merged=True, association="MEMBER"),
        closed(6, MERGE_WINDOW_DAYS + 1, merged=False),  # too old
    ]
    assert first_timer_counts(pulls, NOW) == (2, 3)
    signal = first_timer_signal(2, 3, scanned=len(pulls))
    assert signal.verdict is Verdict.GOOD
    assert signal.summary == "2 of 3 merged (67%)"
    assert "6 most recently updated closed pull requests" in signal.how


@pytest.mark.parametrize(
    ("merged", "closed_count", "verdict"),
    [(1, 4, Verdict.OK), (0, 4, Verdict.POOR), (2, 4, Verdict.GOOD), (1, 5, Verdict.POOR)],
)
def test_merge_thresholds(merged: int, closed_count: int, verdict: Verdict) -> None:
    assert first_timer_signal(merged, closed_count, scanned=10).verdict is verdict


def test_no_pull_requests_is_not_enough_data() -> None:
    readiness = assess(REPO, now=NOW, pulls=[])
    assert readiness.first_timers.verdict is Verdict.UNKNOWN
    assert readiness.first_timers.summary == "not enough data"
    assert "there were none" in readiness.first_timers.how


def test_too_few_first_timer_pulls_is_not_enough_data() -> None:
    pulls = [closed(n, 5, merged=True) for n in range(1, MIN_MERGE_SAMPLE)]
    signal = first_timer_signal(*first_timer_counts(pulls, NOW), scanned=len(pulls))
    assert signal.verdict is Verdict.UNKNOWN


def test_pulls_without_a_close_date_are_ignored() -> None:
    pull = ClosedPull(1, "a", "FIRST_TIMER", None, None)
    assert first_timer_counts([pull], NOW) == (0, 0)


# --------------------------------------------------------------------------- activity and files


def test_last_activity_is_the_latest_of_push_and_updates() -> None:
    assert last_activity(ago(30), [ago(3), None, ago(10)]) == ago(3)
    assert last_activity(None, []) is None


@pytest.mark.parametrize(
    ("age", "verdict"),
    [
        (timedelta(hours=2), Verdict.GOOD),
        (ACTIVITY_GOOD, Verdict.GOOD),
        (ACTIVITY_GOOD + timedelta(days=1), Verdict.OK),
        (ACTIVITY_OK + timedelta(days=1), Verdict.POOR),
    ],
)
def test_activity_thresholds(age: timedelta, verdict: Verdict) -> None:
    assert activity_signal(NOW - age, NOW, items=3).verdict is verdict


def test_unknown_activity() -> None:
    signal = activity_signal(None, NOW, items=0)
    assert signal.verdict is Verdict.UNKNOWN
    assert signal.how == "The last push to the repository."


def test_community_files() -> None:
    assert community_signal(True, True).verdict is Verdict.GOOD
    partial = community_signal(True, False)
    assert partial.verdict is Verdict.OK
    assert partial.summary == "CONTRIBUTING, no code of conduct"
    assert community_signal(False, True).summary == "code of conduct, no CONTRIBUTING"
    assert community_signal(False, False).verdict is Verdict.POOR
    assert community_signal(None, None).verdict is Verdict.UNKNOWN


# --------------------------------------------------------------------------- together


def test_assess_collects_the_numbers_behind_the_signals() -> None:
    readiness = assess(
        REPO,
        now=NOW,
        issues=[answered_after(n, 12) for n in range(1, 5)],
        pulls=[closed(1, 5, merged=True), closed(2, 6, merged=False), closed(3, 7, merged=True)],
        pushed_at=ago(40),
        updates=[ago(2)],
        has_contributing=True,
        has_code_of_conduct=False,
    )
    assert readiness.median_response == timedelta(hours=12)
    assert (readiness.responded, readiness.asked) == (4, 4)
    assert (readiness.first_timer_merged, readiness.first_timer_closed) == (2, 3)
    assert readiness.last_activity == ago(2)
    assert [s.verdict for s in readiness.signals] == [
        Verdict.GOOD,
        Verdict.GOOD,
        Verdict.GOOD,
        Verdict.OK,
    ]
    assert all(signal.how.endswith(".") for signal in readiness.signals)


def test_parts_that_could_not_be_read_are_unknown_not_empty() -> None:
    readiness = assess(REPO, now=NOW, issues_read=False, pulls_read=False)
    assert readiness.response.verdict is Verdict.UNKNOWN
    assert "could not be searched" in readiness.response.how
    assert readiness.first_timers.verdict is Verdict.UNKNOWN
    assert "could not be read" in readiness.first_timers.how


def test_naive_datetimes_are_treated_as_utc() -> None:
    naive = ago(3).replace(tzinfo=None)
    issue = BeginnerIssue(1, "n", "NONE", naive, (Comment("m", "", ago(2), "OWNER"),))
    assert response_stats([issue], NOW).waits == (timedelta(days=1),)


@pytest.mark.parametrize(
    ("span", "text"),
    [
        (timedelta(seconds=20), "1 minute"),
        (timedelta(minutes=45), "45 minutes"),
        (timedelta(hours=1), "1 hour"),
        (timedelta(hours=30), "30 hours"),
        (timedelta(days=1.5), "1.5 days"),
        (timedelta(days=6.2), "6 days"),
        (timedelta(days=30), "4 weeks"),
    ],
)
def test_duration_text(span: timedelta, text: str) -> None:
    assert duration_text(span) == text


def test_history_query_uses_the_search_spellings_and_a_date() -> None:
    query = beginner_history_query(REPO, ["good first issue", "good-first-issue"], NOW)
    assert query == (
        'repo:practice/kind-words is:issue label:"good first issue","good-first-issue" '
        "created:>=2024-12-03"
    )


def test_history_query_keeps_every_spelling_even_for_the_longest_names() -> None:
    longest = RepoRef("o" * 39, "n" * 100)  # GitHub's limits for owner and repository names
    labels = ["good first issue", "good-first-issue", "🌱 good first issue"]
    query = beginner_history_query(longest, labels, NOW)
    assert len(query) <= 256
    assert 'label:"good first issue","good-first-issue","🌱 good first issue" ' in query


def test_history_query_falls_back_to_the_first_label_when_a_pack_names_many() -> None:
    labels = ["good first issue", *(f"a pack's own beginner label {n}" for n in range(8))]
    query = beginner_history_query(REPO, labels, NOW)
    assert len(query) <= 256
    assert 'label:"good first issue" created:' in query
