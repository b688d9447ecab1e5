"""Claim status: the checks of the *Claiming an issue* guide, on hand-built issues and comments.

Every test uses a fixed ``NOW`` so ages ("5 days ago") and thresholds are exact.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from onboard.core.discovery.claims import (
    CLAIM_FRESH_DAYS,
    STALE_ASSIGNMENT_DAYS,
    assess_claim,
    is_claim_comment,
    is_release_comment,
)
from onboard.core.models import (
    AssignmentEvent,
    Claim,
    ClaimStatus,
    Comment,
    Issue,
    LinkedPull,
    RepoRef,
)

NOW = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)
REPO = RepoRef("practice", "kind-words")
CLEAR = ("unassigned", "no open pull request", "no one has asked to work on it")


def days_ago(days: float) -> datetime:
    return NOW - timedelta(days=days)


def make_issue(
    *,
    assignees: tuple[str, ...] = (),
    comments: int = 0,
    updated: float | None = 1,
    locked: bool = False,
) -> Issue:
    return Issue(
        repo=REPO,
        number=12,
        title="Add a kind word",
        url="https://github.com/practice/kind-words/issues/12",
        assignees=assignees,
        comments=comments,
        created_at=days_ago(400),
        updated_at=days_ago(updated) if updated is not None else None,
        locked=locked,
    )


def say(author: str, body: str, days: float | None, association: str = "NONE") -> Comment:
    created = days_ago(days) if days is not None else None
    return Comment(author=author, body=body, created_at=created, association=association)


def pull(
    number: int,
    *,
    state: str = "open",
    merged: bool = False,
    draft: bool = False,
    author: str | None = "river-new",
    days: float | None = 3,
) -> LinkedPull:
    return LinkedPull(
        number=number,
        url=f"https://github.com/practice/kind-words/pull/{number}",
        state=state,
        merged=merged,
        draft=draft,
        author=author,
        updated_at=days_ago(days) if days is not None else None,
    )


def assess(
    issue: Issue | None = None,
    comments: list[Comment] | None = None,
    pulls: list[LinkedPull] | None = None,
    linked_pr: bool | None = None,
) -> Claim:
    """Everything checked and empty unless a test says otherwise."""
    comments = [] if comments is None else comments
    issue = issue or make_issue(comments=len(comments))
    return assess_claim(
        issue,
        now=NOW,
        comments=comments,
        pulls=[] if pulls is None else pulls,
        linked_pr=linked_pr,
    )


# --------------------------------------------------------------------------- free


def test_nothing_found_after_checking_everything_is_free_and_says_what_was_checked() -> None:
    assert assess() == Claim(ClaimStatus.FREE, CLEAR)


def test_no_replies_means_nothing_to_fetch() -> None:
    claim = assess_claim(make_issue(comments=0), now=NOW, comments=None, pulls=[])
    assert claim == Claim(ClaimStatus.FREE, CLEAR)


def test_a_negative_linked_pr_search_is_enough_without_the_pull_list() -> None:
    claim = assess_claim(make_issue(), now=NOW, comments=[], pulls=None, linked_pr=False)
    assert claim == Claim(
        ClaimStatus.FREE,
        ("unassigned", "no linked pull request", "no one has asked to work on it"),
    )


def test_ordinary_replies_are_not_claims() -> None:
    comments = [
        say("maria", "I can reproduce this on Linux too.", 9),
        say("ana", "Thanks! A fix would be welcome.", 8, "OWNER"),
    ]
    assert assess(comments=comments) == Claim(
        ClaimStatus.FREE,
        ("unassigned", "no open pull request", "no one has asked to work on it (2 replies read)"),
    )


def test_replies_the_issue_counts_but_that_did_not_arrive_are_not_read_as_none() -> None:
    """Found by a tester: "5 replies" in the header, none shown, and "free"."""
    claim = assess(make_issue(comments=5), comments=[])
    assert claim.status is ClaimStatus.UNKNOWN
    assert "its 5 replies could not be read" in claim.evidence


# --------------------------------------------------------------------------- locked, pulls


def test_locked_is_taken_because_nobody_can_comment_to_claim_it() -> None:
    claim = assess(make_issue(locked=True))
    assert claim.status is ClaimStatus.TAKEN
    assert claim.evidence == ("locked: new comments are closed", *CLEAR)


def test_an_open_pull_request_is_taken() -> None:
    claim = assess(pulls=[pull(7)])
    assert claim.status is ClaimStatus.TAKEN
    assert claim.evidence == (
        "open pull request #7 by river-new (3 days ago)",
        "unassigned",
        "no one has asked to work on it",
    )


def test_a_draft_pull_request_is_taken_too() -> None:
    claim = assess(pulls=[pull(8, draft=True, author=None, days=None)])
    assert claim.status is ClaimStatus.TAKEN
    assert claim.evidence[0] == "open draft pull request #8"


def test_a_closed_unmerged_pull_request_is_listed_but_does_not_block() -> None:
    claim = assess(pulls=[pull(4, state="closed")])
    assert claim == Claim(
        ClaimStatus.FREE,
        (
            "an earlier pull request #4 was closed without merging",
            "unassigned",
            "no open pull request",
            "no one has asked to work on it",
        ),
    )


def test_an_open_pull_request_wins_over_closed_ones() -> None:
    claim = assess(pulls=[pull(9), pull(4, state="closed")])
    assert claim.status is ClaimStatus.TAKEN
    assert claim.evidence[:2] == (
        "open pull request #9 by river-new (3 days ago)",
        "an earlier pull request #4 was closed without merging",
    )
    assert "no open pull request" not in claim.evidence


def test_a_merged_pull_request_on_an_open_issue_asks_whether_work_is_left() -> None:
    claim = assess(pulls=[pull(5, state="closed", merged=True)])
    assert claim.status is ClaimStatus.UNKNOWN
    assert claim.evidence[0] == (
        "pull request #5 was merged, but the issue is still open"
        " — ask whether anything is left to do"
    )


def test_a_positive_linked_pr_search_is_taken_even_without_the_pull_list() -> None:
    claim = assess_claim(make_issue(), now=NOW, comments=[], pulls=None, linked_pr=True)
    assert claim.status is ClaimStatus.TAKEN
    assert claim.evidence[0] == "a pull request is linked to it"


def test_the_pull_list_is_more_precise_than_the_linked_pr_search() -> None:
    claim = assess(pulls=[pull(4, state="closed")], linked_pr=True)
    assert claim.status is ClaimStatus.FREE


# --------------------------------------------------------------------------- assignment


def test_assigned_is_taken() -> None:
    claim = assess(make_issue(assignees=("sam-contrib",)))
    assert claim == Claim(
        ClaimStatus.TAKEN,
        ("assigned to sam-contrib", "no open pull request", "no one has asked to work on it"),
    )


def test_several_assignees_are_named() -> None:
    claim = assess(make_issue(assignees=("ana", "kim", "lee")))
    assert claim.evidence[0] == "assigned to ana, kim and lee"


def test_a_stale_assignment_is_unknown_and_suggests_asking() -> None:
    claim = assess(make_issue(assignees=("ana",), updated=150))
    assert claim.status is ClaimStatus.UNKNOWN
    assert (
        claim.evidence[0] == "assigned to ana, but no activity for 5 months — ask before starting"
    )


def test_assignment_staleness_threshold() -> None:
    just_fresh = assess(make_issue(assignees=("ana",), updated=STALE_ASSIGNMENT_DAYS))
    just_stale = assess(make_issue(assignees=("ana",), updated=STALE_ASSIGNMENT_DAYS + 1))
    assert just_fresh.status is ClaimStatus.TAKEN
    assert just_stale.status is ClaimStatus.UNKNOWN


def test_an_assignment_without_a_date_is_trusted() -> None:
    assert assess(make_issue(assignees=("ana",), updated=None)).status is ClaimStatus.TAKEN


# --------------------------------------------------------------------------- claim comments


def test_a_recent_claim_is_taken() -> None:
    comments = [say("river-new", "Can I work on this? It would be my first contribution!", 5)]
    claim = assess(comments=comments)
    assert claim == Claim(
        ClaimStatus.TAKEN,
        ("river-new asked to work on it 5 days ago", "unassigned", "no open pull request"),
    )


def test_an_old_claim_without_follow_up_went_quiet_and_does_not_block() -> None:
    claim = assess(comments=[say("kim", "I'd like to work on this", 60)])
    assert claim == Claim(
        ClaimStatus.FREE,
        ("a claim by kim 2 months ago went quiet", "unassigned", "no open pull request"),
    )


def test_claim_freshness_threshold() -> None:
    fresh = assess(comments=[say("kim", "/assign", CLAIM_FRESH_DAYS)])
    quiet = assess(comments=[say("kim", "/assign", CLAIM_FRESH_DAYS + 1)])
    assert fresh.status is ClaimStatus.TAKEN
    assert quiet.status is ClaimStatus.FREE


def test_an_update_from_the_claimer_keeps_an_old_claim_alive() -> None:
    comments = [
        say("kim", "I'd like to work on this.", 60),
        say("kim", "Still on it! The fix works, I'm writing the test.", 3),
    ]
    claim = assess(comments=comments)
    assert claim.status is ClaimStatus.TAKEN
    assert (
        claim.evidence[0] == "kim asked to work on it 2 months ago and posted an update 3 days ago"
    )


def test_an_old_update_is_mentioned_when_the_claim_went_quiet() -> None:
    comments = [say("kim", "Can I take this?", 100), say("kim", "Progress: halfway.", 40)]
    claim = assess(comments=comments)
    assert claim.status is ClaimStatus.FREE
    assert claim.evidence[0] == "a claim by kim 3 months ago went quiet (last update 1 month ago)"


def test_the_latest_of_several_claimants_decides() -> None:
    comments = [
        say("kim", "Can I work on this?", 80),
        say("river-new", "Is anyone working on this? If not, I'd like to take it.", 4),
    ]
    claim = assess(comments=comments)
    assert claim.status is ClaimStatus.TAKEN
    assert claim.evidence[:2] == (
        "river-new asked to work on it 4 days ago",
        "a claim by kim 2 months ago went quiet",
    )


def test_giving_up_a_claim_frees_the_issue() -> None:
    comments = [
        say("kim", "I'd like to work on this.", 10),
        say("kim", "I won't be able to finish this, sorry. I'm stepping back.", 2),
    ]
    claim = assess(comments=comments)
    assert claim == Claim(
        ClaimStatus.FREE,
        (
            "kim asked to work on it 10 days ago, then let it go 2 days ago",
            "unassigned",
            "no open pull request",
        ),
    )


@pytest.mark.parametrize(
    "body",
    [
        "Please unassign me, I got a new job.",
        "Feel free to take it, I'm swamped.",
        "/unassign",
        "I don't have time for this anymore.",
        "Sorry, I can't continue, someone else can take it.",
    ],
)
def test_ways_of_giving_up(body: str) -> None:
    comments = [say("kim", "Can I work on this?", 10), say("kim", body, 2)]
    assert assess(comments=comments).status is ClaimStatus.FREE


def test_giving_up_only_counts_after_the_claim_and_from_the_claimer() -> None:
    before = [say("kim", "Feel free to take it", 12), say("kim", "Actually, can I take it?", 10)]
    other = [say("kim", "Can I work on this?", 10), say("lee", "I won't be able to help", 2)]
    assert assess(comments=before).status is ClaimStatus.TAKEN
    assert assess(comments=other).status is ClaimStatus.TAKEN


def test_a_new_claim_after_giving_up_counts_again() -> None:
    comments = [
        say("kim", "Can I work on this?", 20),
        say("kim", "Please unassign me.", 15),
        say("kim", "I'm back, can I take it again?", 1),
    ]
    claim = assess(comments=comments)
    assert claim.status is ClaimStatus.TAKEN
    assert claim.evidence[0] == "kim asked to work on it 1 day ago"


def test_a_maintainer_can_declare_the_issue_free_again() -> None:
    comments = [
        say("kim", "Can I work on this?", 10),
        say("ana", "Unassigning due to inactivity; this is up for grabs again.", 1, "OWNER"),
    ]
    claim = assess(comments=comments)
    assert claim == Claim(
        ClaimStatus.FREE,
        (
            "kim asked to work on it 10 days ago, but maintainer ana said it is free again"
            " 1 day ago",
            "unassigned",
            "no open pull request",
        ),
    )


def test_a_maintainer_approving_the_claimer_does_not_free_it() -> None:
    comments = [
        say("kim", "Can I work on this?", 10),
        say("ana", "@kim sure, feel free to take it!", 9, "MEMBER"),
    ]
    assert assess(comments=comments).status is ClaimStatus.TAKEN


def test_a_bot_unassigning_frees_it() -> None:
    comments = [
        say("kim", "/take", 10),
        say("stale[bot]", "kim has been unassigned after 7 days without activity.", 1),
    ]
    assert assess(comments=comments).status is ClaimStatus.FREE


def test_a_maintainer_opening_it_before_the_claim_does_not_undo_the_claim() -> None:
    comments = [
        say("ana", "This is up for grabs, anyone can take it.", 10, "OWNER"),
        say("kim", "I'll take it!", 5),
    ]
    assert assess(comments=comments).status is ClaimStatus.TAKEN


@pytest.mark.parametrize("association", ["OWNER", "MEMBER", "COLLABORATOR", "member"])
@pytest.mark.parametrize(
    "body",
    [
        "/assign",
        "I'm working on this, PR coming soon.",
        "I'd like to work on this! Could you assign it to me?",
        "I opened a PR for this.",
    ],
)
def test_a_claim_is_a_claim_whoever_writes_it(association: str, body: str) -> None:
    """A project member saying "I'm working on this" has taken it (tester's threads)."""
    claim = assess(comments=[say("ana", body, 1, association)])
    assert claim.status is ClaimStatus.TAKEN
    assert "ana asked to work on it 1 day ago" in claim.evidence


@pytest.mark.parametrize("association", ["OWNER", "MEMBER"])
def test_a_maintainer_asking_for_a_reviewer_is_not_a_claim(association: str) -> None:
    assert assess(comments=[say("ana", "assign me a reviewer", 1, association)]).status is (
        ClaimStatus.FREE
    )


def test_assign_someone_claims_for_them() -> None:
    claim = assess(comments=[say("ana", "/assign @kim", 2, "OWNER")])
    assert claim.status is ClaimStatus.TAKEN
    assert "kim asked to work on it 2 days ago" in claim.evidence


@pytest.mark.parametrize(
    "body",
    [
        "I opened a PR for this.",
        "I've submitted a pull request: #31",
        "I'll open a PR tonight",
        "PR incoming!",
        "I have raised a draft PR",
        "/take",
    ],
)
def test_pull_request_announcements_are_claims(body: str) -> None:
    assert is_claim_comment(body)


def test_an_unassignment_after_a_claim_frees_it() -> None:
    claim = assess_claim(
        make_issue(comments=1),
        now=NOW,
        comments=[say("kim", "Can I take this?", 10)],
        pulls=[],
        assignments=[
            AssignmentEvent(True, "kim", "ana", days_ago(9)),
            AssignmentEvent(False, "kim", "ana", days_ago(2)),
        ],
    )
    assert claim.status is ClaimStatus.FREE
    assert "kim asked to work on it 10 days ago, then was unassigned by ana 2 days ago" in (
        claim.evidence
    )


def test_an_unassignment_before_the_claim_does_not_undo_it() -> None:
    claim = assess_claim(
        make_issue(comments=1),
        now=NOW,
        comments=[say("kim", "Can I take this?", 1)],
        pulls=[],
        assignments=[AssignmentEvent(False, "kim", "ana", days_ago(30))],
    )
    assert claim.status is ClaimStatus.TAKEN


@pytest.mark.parametrize("association", ["CONTRIBUTOR", "FIRST_TIME_CONTRIBUTOR", "NONE"])
def test_claims_from_non_maintainers_count(association: str) -> None:
    claim = assess(comments=[say("kim", "Can I work on this?", 1, association)])
    assert claim.status is ClaimStatus.TAKEN


def test_bots_do_not_claim() -> None:
    comments = [say("github-actions[bot]", "/assign", 1)]
    assert assess(comments=comments).status is ClaimStatus.FREE


def test_a_claim_of_unknown_date_cannot_be_judged_stale() -> None:
    claim = assess(comments=[say("kim", "Can I work on this?", None)])
    assert claim.status is ClaimStatus.UNKNOWN
    assert claim.evidence[0] == "kim asked to work on it (date unknown)"


def test_deleted_accounts_still_claim() -> None:
    comment = Comment(author=None, body="Can I work on this?", created_at=days_ago(2))
    claim = assess(comments=[comment])
    assert claim.evidence[0] == "someone asked to work on it 2 days ago"


def test_comments_are_read_in_date_order() -> None:
    comments = [say("kim", "Please unassign me.", 2), say("kim", "Can I work on this?", 10)]
    assert assess(comments=comments).status is ClaimStatus.FREE


def test_naive_datetimes_are_read_as_utc() -> None:
    naive_now = NOW.replace(tzinfo=None)
    comment = Comment("kim", "Can I work on this?", naive_now - timedelta(days=5))
    claim = assess_claim(make_issue(comments=1), now=naive_now, comments=[comment], pulls=[])
    assert claim.evidence[0] == "kim asked to work on it 5 days ago"


# --------------------------------------------------------------------------- unknown, never free


def test_unfetched_replies_are_unknown_never_free() -> None:
    claim = assess_claim(make_issue(comments=3), now=NOW, comments=None, pulls=[])
    assert claim == Claim(ClaimStatus.UNKNOWN, ("replies not checked", *CLEAR[:2]))


def test_unfetched_pulls_without_a_search_answer_are_unknown_never_free() -> None:
    claim = assess_claim(make_issue(), now=NOW, comments=[], pulls=None, linked_pr=None)
    assert claim == Claim(
        ClaimStatus.UNKNOWN,
        ("pull requests not checked", "unassigned", "no one has asked to work on it"),
    )


def test_nothing_fetched_lists_both_gaps() -> None:
    claim = assess_claim(make_issue(comments=2), now=NOW, comments=None, pulls=None)
    assert claim == Claim(
        ClaimStatus.UNKNOWN, ("pull requests not checked", "replies not checked", "unassigned")
    )


def test_hard_evidence_of_taken_survives_a_failed_check() -> None:
    claim = assess_claim(
        make_issue(assignees=("sam-contrib",), comments=4), now=NOW, comments=None, pulls=None
    )
    assert claim == Claim(
        ClaimStatus.TAKEN,
        ("assigned to sam-contrib", "pull requests not checked", "replies not checked"),
    )


_BODIES = [
    "Can I work on this?",
    "I'd like to take it",
    "/assign",
    "Thanks for the report",
    "I won't be able to finish this",
    "This is free again, unassigning.",
    "Is anyone working on this?",
]


@st.composite
def situations(
    draw: st.DrawFn,
) -> tuple[Issue, list[Comment] | None, list[LinkedPull] | None, bool | None]:
    comments = draw(
        st.none()
        | st.lists(
            st.builds(
                Comment,
                author=st.sampled_from(["kim", "lee", "ana", None]),
                body=st.sampled_from(_BODIES),
                created_at=st.none() | st.integers(0, 400).map(days_ago),
                association=st.sampled_from(["NONE", "CONTRIBUTOR", "OWNER", "MEMBER"]),
            ),
            max_size=5,
        )
    )
    pulls = draw(
        st.none()
        | st.lists(
            st.builds(
                pull,
                st.integers(1, 50),
                state=st.sampled_from(["open", "closed"]),
                merged=st.booleans(),
                draft=st.booleans(),
            ),
            max_size=3,
        )
    )
    issue = make_issue(
        assignees=draw(st.sampled_from([(), ("ana",), ("ana", "kim")])),
        comments=draw(st.integers(0, 6)),
        updated=draw(st.none() | st.integers(0, 400)),
        locked=draw(st.booleans()),
    )
    return issue, comments, pulls, draw(st.sampled_from([None, True, False]))


@settings(max_examples=150, deadline=None)
@given(situations())
def test_a_failed_check_never_yields_free(
    situation: tuple[Issue, list[Comment] | None, list[LinkedPull] | None, bool | None],
) -> None:
    issue, comments, pulls, linked_pr = situation
    claim = assess_claim(issue, now=NOW, comments=comments, pulls=pulls, linked_pr=linked_pr)
    missing_replies = comments is None and issue.comments > 0
    missing_pulls = pulls is None and linked_pr is None
    if missing_replies or missing_pulls:
        assert claim.status is not ClaimStatus.FREE
    assert claim.evidence, "a status without evidence cannot be checked by the newcomer"
    assert len(set(claim.evidence)) == len(claim.evidence)
    if issue.locked:
        assert claim.status is ClaimStatus.TAKEN
    if claim.status is ClaimStatus.FREE:
        assert "unassigned" in claim.evidence
    assert claim == assess_claim(
        issue, now=NOW, comments=comments, pulls=pulls, linked_pr=linked_pr
    )


# --------------------------------------------------------------------------- phrases


@pytest.mark.parametrize(
    "body",
    [
        "Can I work on this?",
        "can i work on this issue??",
        "Hi! Could I work on it? It would be my first contribution.",
        "May I take this?",
        "I'd like to work on this.",
        "I’d like to work on this",  # curly apostrophe
        "Id like to work on this",  # no apostrophe at all
        "I would like to work on this!",
        "I want to work on this",
        "I'll work on it this weekend",
        "I will take this one",
        "I'm working on it",
        "I am working on this, PR soon",
        "Im working on a fix",
        "assign me",
        "Please assign this to me",
        "please assign",
        "Can I take this?",
        "Can I pick this up?",
        "I'll take it!",
        "I'd be happy to pick it up.",
        "Can I be assigned?",
        "/assign",
        "  /take",
        "/claim",
        "Thanks!\n/assign",
        "take",
        "Hi @river-new, are you still working on this? If not, I'd be happy to pick it up.",
    ],
)
def test_claim_phrases(body: str) -> None:
    assert is_claim_comment(body)


@pytest.mark.parametrize(
    "body",
    [
        "I'm working on something else",
        "who is working on this?",
        "Is anyone working on this?",
        "assign me a reviewer",
        "Please assign me a reviewer when ready",
        "I'm working on a React app and hit this bug",
        "How can I work on this locally?",
        "I'll take a look tomorrow",
        "I won't be able to work on this",
        "I can't work on this anymore",
        "/unassign",
        "> Can I work on this?\n\nSure, go ahead.",
        "```\n/assign\n```",
        "Any update on this?",
        "",
    ],
)
def test_not_claim_phrases(body: str) -> None:
    assert not is_claim_comment(body)


@pytest.mark.parametrize(
    "body",
    [
        "I won't be able to finish this, sorry.",
        "Please unassign me",
        "Feel free to take it",
        "I'm stepping back so someone else can take it.",
        "I'm no longer working on this",
        "/unassign",
    ],
)
def test_release_phrases(body: str) -> None:
    assert is_release_comment(body)


@pytest.mark.parametrize(
    "body",
    [
        "Still on it! Should have a PR by Friday.",
        "Can I work on this? If I can't finish, I'll say so.",  # a claim that hedges
        "Thanks for the quick review",
    ],
)
def test_not_release_phrases(body: str) -> None:
    assert not is_release_comment(body)


@given(st.text(max_size=200))
def test_phrase_recognition_accepts_any_text(body: str) -> None:
    assert isinstance(is_claim_comment(body), bool)
    assert not (is_claim_comment(body) and is_release_comment(body))


def test_your_own_claim_pull_request_and_assignment_are_yours_not_taken() -> None:
    claim = assess_claim(
        make_issue(assignees=("Learner",), comments=1),
        now=NOW,
        comments=[say("learner", "Can I take this?", 3)],
        pulls=[pull(9, author="learner")],
        me="learner",
    )
    assert claim.status is ClaimStatus.YOURS
    assert claim.evidence[:3] == (
        "assigned to you",
        "your pull request #9 is open",
        "you asked to work on it 3 days ago",
    )


def test_someone_elses_claim_beside_yours_is_still_shown() -> None:
    claim = assess(comments=[say("learner", "I'll take it", 5), say("kim", "Can I help?", 1)])
    assert claim.status is ClaimStatus.TAKEN  # without knowing who "you" are
    mine = assess_claim(
        make_issue(comments=2),
        now=NOW,
        comments=[say("learner", "I'll take it", 5), say("kim", "Can I take this?", 1)],
        pulls=[],
        me="learner",
    )
    assert mine.status is ClaimStatus.YOURS
    assert "kim asked to work on it 1 day ago" in mine.evidence
