"""Ranking: claim status first, then signs of life and fit, with a reason for every point."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import pytest

from onboard.core.discovery.ranking import (
    FRESH_DAYS,
    LONG_DISCUSSION_REPLIES,
    MAINTAINER_REPLY_DAYS,
    STALE_DAYS,
    WEIGHTS,
    rank,
    score_components,
    score_reasons,
)
from onboard.core.models import (
    Claim,
    ClaimStatus,
    Comment,
    Issue,
    Lane,
    Preferences,
    RepoRef,
)

NOW = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)
FLASK = RepoRef("pallets", "flask")
CLAP = RepoRef("clap-rs", "clap")

FREE = Claim(ClaimStatus.FREE, ("unassigned", "no open pull request"))
UNKNOWN = Claim(ClaimStatus.UNKNOWN, ("replies not checked", "unassigned"))
TAKEN = Claim(ClaimStatus.TAKEN, ("assigned to sam-contrib", "no open pull request"))


def days_ago(days: float) -> datetime:
    return NOW - timedelta(days=days)


def make_issue(
    number: int, *, repo: RepoRef = FLASK, updated: float | None = 10, comments: int = 0
) -> Issue:
    return Issue(
        repo=repo,
        number=number,
        title=f"Issue {number}",
        url=f"https://github.com/{repo}/issues/{number}",
        comments=comments,
        updated_at=days_ago(updated) if updated is not None else None,
    )


def maintainer(days: float, association: str = "MEMBER", author: str = "ana") -> Comment:
    return Comment(author, "Happy to review a PR!", days_ago(days), association)


def newcomer(days: float) -> Comment:
    return Comment("kim", "Same problem here.", days_ago(days), "NONE")


Candidate = tuple[Issue, Lane, Claim, Sequence[Comment] | None]


def numbers(candidates: list[Candidate], **kwargs: object) -> list[int]:
    return [c.issue.number for c in rank(candidates, now=NOW, **kwargs)]  # type: ignore[arg-type]


def reasons_of(candidate: Candidate, **kwargs: object) -> tuple[str, ...]:
    issue, lane, claim, comments = candidate
    return score_reasons(issue, lane, claim, comments, now=NOW, **kwargs)[1]  # type: ignore[arg-type]


# A realistic mix, as discovery hands it over (unchecked issues have comments=None).
FRESH_WITH_MAINTAINER: Candidate = (
    make_issue(1, updated=2, comments=2),
    Lane.CODE,
    FREE,
    [newcomer(3), maintainer(2)],
)
FREE_BUT_STALE: Candidate = (make_issue(2, updated=400), Lane.CODE, FREE, [])
NOT_CHECKED: Candidate = (make_issue(3, updated=1, comments=1), Lane.CODE, UNKNOWN, None)
ASSIGNED: Candidate = (make_issue(4, updated=1), Lane.CODE, TAKEN, [])
MIX = [ASSIGNED, NOT_CHECKED, FREE_BUT_STALE, FRESH_WITH_MAINTAINER]


def test_realistic_mix_orders_free_and_lively_first_and_taken_last() -> None:
    assert numbers(MIX) == [1, 2, 3, 4]


def test_taken_issues_sink_but_stay_visible() -> None:
    ranked = rank(MIX, now=NOW)
    assert len(ranked) == len(MIX)
    assert ranked[-1].claim.status is ClaimStatus.TAKEN
    assert ranked[-1].score < 0


def test_contributions_keep_what_they_were_given() -> None:
    (best,) = rank([FRESH_WITH_MAINTAINER], now=NOW)
    assert best.issue is FRESH_WITH_MAINTAINER[0]
    assert best.lane is Lane.CODE
    assert best.claim is FREE
    assert best.score == WEIGHTS["claim"] + WEIGHTS["maintainer"] + WEIGHTS["freshness"]


def test_reasons_read_like_the_github_ui_most_important_first() -> None:
    assert reasons_of(FRESH_WITH_MAINTAINER) == (
        "unassigned",
        "no PR",
        "maintainer replied 2 days ago",
        "updated 2 days ago",
    )
    assert reasons_of(FREE_BUT_STALE) == ("unassigned", "no PR", "no activity for 1 year")
    assert reasons_of(NOT_CHECKED) == (
        "not sure it is free (replies not checked)",
        "updated 1 day ago",
    )
    assert reasons_of(ASSIGNED) == (
        "likely taken (assigned to sam-contrib)",
        "updated 1 day ago",
    )


def test_a_claim_without_evidence_still_explains_itself() -> None:
    issue = make_issue(5, updated=60)
    taken = reasons_of((issue, Lane.CODE, Claim(ClaimStatus.TAKEN), []))
    unknown = reasons_of((issue, Lane.CODE, Claim(ClaimStatus.UNKNOWN), []))
    assert taken == ("likely taken",)
    assert unknown == ("not sure it is free",)


def test_middle_aged_issues_are_neutral_and_unexplained() -> None:
    middle = (FRESH_DAYS + STALE_DAYS) // 2
    assert reasons_of((make_issue(6, updated=middle), Lane.CODE, FREE, [])) == (
        "unassigned",
        "no PR",
    )
    assert reasons_of((make_issue(7, updated=None), Lane.CODE, FREE, [])) == ("unassigned", "no PR")


def test_only_recent_human_maintainer_replies_count() -> None:
    issue = make_issue(8, updated=40)
    old = [maintainer(MAINTAINER_REPLY_DAYS + 1)]
    contributor = [maintainer(1, association="CONTRIBUTOR")]
    bot = [maintainer(1, author="dependabot[bot]")]
    owner = [maintainer(1, association="OWNER")]
    for comments in (old, contributor, bot):
        assert not any("maintainer" in r for r in reasons_of((issue, Lane.CODE, FREE, comments)))
    assert "maintainer replied 1 day ago" in reasons_of((issue, Lane.CODE, FREE, owner))


@pytest.mark.parametrize(
    ("replies", "reason"),
    [
        (0, None),
        (3, None),
        (8, "8 replies to read"),
        (LONG_DISCUSSION_REPLIES, f"long discussion ({LONG_DISCUSSION_REPLIES} replies)"),
        (23, "long discussion (23 replies)"),
    ],
)
def test_long_discussions_go_slightly_down(replies: int, reason: str | None) -> None:
    issue = make_issue(9, updated=60, comments=replies)
    score, reasons = score_reasons(issue, Lane.CODE, FREE, None, now=NOW)
    if reason is None:
        assert score == WEIGHTS["claim"]
        assert reasons == ("unassigned", "no PR")
    else:
        assert reasons[-1] == reason
        assert WEIGHTS["claim"] - WEIGHTS["discussion"] <= score < WEIGHTS["claim"]


def test_fetched_comments_count_over_the_search_total() -> None:
    issue = make_issue(10, updated=60, comments=30)  # the search count can be stale
    assert reasons_of((issue, Lane.CODE, FREE, [newcomer(70)])) == ("unassigned", "no PR")


def test_more_replies_never_rank_higher() -> None:
    scores = [
        score_reasons(make_issue(11, comments=n), Lane.CODE, FREE, None, now=NOW)[0]
        for n in range(30)
    ]
    assert scores == sorted(scores, reverse=True)


def test_lane_preference_lifts_matching_issues() -> None:
    doc = (make_issue(20), Lane.DOC, FREE, [])
    code = (make_issue(21, updated=5), Lane.CODE, FREE, [])
    assert numbers([doc, code]) == [21, 20]  # without preference: fresher first
    prefs = Preferences(lanes=(Lane.DOC,))
    assert numbers([doc, code], preferences=prefs) == [20, 21]
    assert "fits your interest: documentation" in reasons_of(doc, preferences=prefs)


def test_language_preference_is_case_insensitive_and_names_the_languages() -> None:
    rust = (make_issue(30, repo=CLAP), Lane.CODE, FREE, [])
    python = (make_issue(31, repo=FLASK), Lane.CODE, FREE, [])
    languages = {CLAP: ("Rust",), FLASK: ("Python", "JavaScript")}
    prefs = Preferences(languages=("python",))
    ranked = rank([rust, python], now=NOW, preferences=prefs, project_languages=languages)
    assert [c.issue.number for c in ranked] == [31, 30]
    reasons = ranked[0].reasons
    assert "uses Python, which you know" in reasons
    # Reasons are ordered by impact: the user's own choice outweighs freshness.
    assert reasons.index("uses Python, which you know") < next(
        i for i, r in enumerate(reasons) if r.startswith("updated")
    )
    assert not any("which you know" in r for r in ranked[1].reasons)

    both = Preferences(languages=("JAVASCRIPT", "Python"))
    assert "uses Python and JavaScript, which you know" in reasons_of(
        python, preferences=both, languages=("Python", "JavaScript")
    )


def test_repositories_without_known_languages_are_not_penalised() -> None:
    prefs = Preferences(languages=("Python",))
    known = rank([(make_issue(32), Lane.CODE, FREE, [])], now=NOW, preferences=prefs)
    assert known[0].score == WEIGHTS["claim"] + WEIGHTS["freshness"]


def test_preferences_never_lift_an_issue_out_of_its_claim_tier() -> None:
    prefs = Preferences(languages=("Python",), lanes=(Lane.DOC,))
    languages = {FLASK: ("Python",)}
    best_unknown = (make_issue(40, updated=1), Lane.DOC, UNKNOWN, [maintainer(1)])
    worst_free = (make_issue(41, updated=900, comments=40), Lane.CODE, FREE, None)
    best_taken = (make_issue(42, updated=1), Lane.DOC, TAKEN, [maintainer(1)])
    worst_unknown = (make_issue(43, updated=900, comments=40), Lane.CODE, UNKNOWN, None)
    ranked = numbers(
        [best_taken, worst_unknown, best_unknown, worst_free],
        preferences=prefs,
        project_languages=languages,
    )
    assert ranked == [41, 40, 43, 42]


def test_score_is_the_weighted_sum_of_its_components() -> None:
    issue, lane, claim, comments = FRESH_WITH_MAINTAINER
    prefs = Preferences(languages=("Python",), lanes=(Lane.CODE,))
    parts = score_components(
        issue, lane, claim, comments, now=NOW, preferences=prefs, languages=("Python",)
    )
    score, reasons = score_reasons(
        issue, lane, claim, comments, now=NOW, preferences=prefs, languages=("Python",)
    )
    assert {part.name for part in parts} == set(WEIGHTS)
    assert score == sum(WEIGHTS[part.name] * part.value for part in parts)
    assert reasons == tuple(r for part in parts for r in part.reasons)
    assert all(part.reasons for part in parts if part.value), "every point needs a reason"
    assert all(-1.0 <= part.value <= 1.0 for part in parts)


def test_ordering_is_deterministic_whatever_the_input_order() -> None:
    orders = {tuple(numbers(list(perm))) for perm in itertools.permutations(MIX)}
    assert orders == {(1, 2, 3, 4)}


def test_ties_break_by_recent_update_then_repository_then_number() -> None:
    tied = [
        (make_issue(7, repo=FLASK, updated=50), Lane.CODE, FREE, []),
        (make_issue(3, repo=FLASK, updated=50), Lane.CODE, FREE, []),
        (make_issue(9, repo=CLAP, updated=50), Lane.CODE, FREE, []),
        (make_issue(1, repo=FLASK, updated=45), Lane.CODE, FREE, []),
        (make_issue(2, repo=FLASK, updated=None), Lane.CODE, FREE, []),
    ]
    for perm in itertools.permutations(tied):
        ranked = rank(list(perm), now=NOW)
        assert [(c.issue.repo.name, c.issue.number) for c in ranked] == [
            ("flask", 1),
            ("clap", 9),
            ("flask", 3),
            ("flask", 7),
            ("flask", 2),
        ]


def test_empty_input() -> None:
    assert rank([], now=NOW) == []
