"""How a contribution is doing, folded from what the forge said, with GitHub's own rules.

- Checks: the combined commit status and the check runs of the head commit fold into one of
  passing / failing / pending / none, naming what failed. GitHub's combined status says
  ``pending`` when a commit has no statuses at all, so an empty ``statuses`` list counts as no
  statuses rather than as something still running.
- Review decision: the latest review of each reviewer that approves or requests changes (a later
  plain comment does not undo an approval, as on GitHub); changes requested wins over approved,
  and only comments gives "commented". The learner's own reviews never count.
- Replies since last looked and "quiet for N days" count only what others did: the learner's
  own comments are not an answer.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from onboard.core.contributions.facts import (
    CheckRunFact,
    PullFacts,
    ReviewComment,
    ReviewFact,
    StatusFact,
)
from onboard.core.models import Comment

DEFAULT_QUIET_DAYS = 7

_FAILED_CONCLUSIONS = frozenset(
    {"failure", "timed_out", "cancelled", "action_required", "startup_failure", "stale"}
)


class ChecksState(StrEnum):
    PASSING = "passing"
    FAILING = "failing"
    PENDING = "pending"
    NONE = "none"


class ReviewDecision(StrEnum):
    APPROVED = "approved"
    CHANGES_REQUESTED = "changes requested"
    COMMENTED = "commented"
    NONE = "none"


class Outcome(StrEnum):
    OPEN = "open"
    CLOSED = "closed"
    MERGED = "merged"


@dataclass(frozen=True)
class Checks:
    state: ChecksState
    failing: tuple[str, ...] = ()
    pending: tuple[str, ...] = ()
    #: The first failing check's own words (where the slip is), for the detail view.
    failing_summary: str = ""


def fold_checks(statuses: Sequence[StatusFact], check_runs: Sequence[CheckRunFact]) -> Checks:
    """One verdict from the combined status' statuses and the check runs of a commit."""
    failing: list[str] = []
    pending: list[str] = []
    summary = ""
    for status in statuses:
        if status.state in ("failure", "error"):
            failing.append(status.context)
            summary = summary or status.description
        elif status.state == "pending":
            pending.append(status.context)
    for run in check_runs:
        if run.status != "completed":
            pending.append(run.name)
        elif run.conclusion in _FAILED_CONCLUSIONS:
            failing.append(run.name)
            summary = summary or run.summary
    if failing:
        state = ChecksState.FAILING
    elif pending:
        state = ChecksState.PENDING
    elif statuses or check_runs:
        state = ChecksState.PASSING
    else:
        state = ChecksState.NONE
    return Checks(state, tuple(failing), tuple(pending), summary)


def review_decision(reviews: Iterable[ReviewFact], learner: str | None) -> ReviewDecision:
    """GitHub's review decision from the reviews, oldest first, ignoring the learner's own."""
    deciding: dict[str, str] = {}
    commented = False
    for review in reviews:
        author = (review.author or "").lower()
        if review.state == "PENDING" or (learner and author == learner.lower()):
            continue
        if review.state in ("APPROVED", "CHANGES_REQUESTED"):
            deciding[author] = review.state
        elif review.state == "DISMISSED":
            deciding.pop(author, None)
        elif review.state == "COMMENTED":
            commented = True
    if "CHANGES_REQUESTED" in deciding.values():
        return ReviewDecision.CHANGES_REQUESTED
    if "APPROVED" in deciding.values():
        return ReviewDecision.APPROVED
    return ReviewDecision.COMMENTED if commented else ReviewDecision.NONE


def comments_by_place(
    comments: Iterable[ReviewComment],
) -> list[tuple[str, int | None, list[ReviewComment]]]:
    """Review comments grouped by file and line, files in name order, lines in order (a
    comment on an outdated line, ``line`` None, comes last in its file)."""
    groups: dict[tuple[str, int | None], list[ReviewComment]] = {}
    for comment in comments:
        groups.setdefault((comment.path, comment.line), []).append(comment)
    order = sorted(groups, key=lambda k: (k[0], k[1] is None, k[1] or 0))
    return [(path, line, groups[(path, line)]) for path, line in order]


@dataclass(frozen=True)
class Activity:
    """Something someone did on a contribution: who, and when."""

    author: str | None
    at: datetime


def activities_of(facts: PullFacts) -> list[Activity]:
    out = [Activity(c.author, c.created_at) for c in facts.comments if c.created_at]
    out += [Activity(r.author, r.submitted_at) for r in facts.reviews if r.submitted_at]
    out += [Activity(c.author, c.created_at) for c in facts.review_comments if c.created_at]
    return out


def comment_activities(comments: Iterable[Comment]) -> list[Activity]:
    return [Activity(c.author, c.created_at) for c in comments if c.created_at]


def by_others(activities: Iterable[Activity], learner: str | None) -> list[Activity]:
    me = (learner or "").lower()
    return [a for a in activities if (a.author or "").lower() != me or not me]


def replies_since(
    activities: Iterable[Activity], learner: str | None, last_seen: datetime | None
) -> int:
    """How many things others did after the learner last looked (all of them, never looked)."""
    return sum(1 for a in by_others(activities, learner) if last_seen is None or a.at > last_seen)


def quiet_days(
    activities: Iterable[Activity],
    learner: str | None,
    since: datetime,
    now: datetime,
    *,
    after: int = DEFAULT_QUIET_DAYS,
) -> int | None:
    """Whole days without a word from anyone else (counted from ``since``, the contribution's
    start, when nobody ever answered), or None while it is under ``after`` days."""
    others = [a.at for a in by_others(activities, learner)]
    last = max([since, *others])
    days = int((now - last).total_seconds() // 86_400)
    return days if days >= max(after, 1) else None


@dataclass(frozen=True)
class PullLive:
    """A pull request as the learner needs to see it."""

    outcome: Outcome
    draft: bool
    head_sha: str
    checks: Checks
    review: ReviewDecision
    review_comments: tuple[ReviewComment, ...]
    replies_since: int
    quiet_days: int | None
    updated_at: datetime | None

    @property
    def next_step(self) -> str:
        """One sentence: what the learner can do now."""
        if self.outcome is Outcome.MERGED:
            return "Merged: congratulations, your contribution is part of the project!"
        if self.outcome is Outcome.CLOSED:
            return "Closed without a merge. Read the last comments: it happens, and it is not you."
        if self.checks.state is ChecksState.FAILING:
            where = f": {self.checks.failing_summary}" if self.checks.failing_summary else ""
            return f"A check failed ({', '.join(self.checks.failing)}){where}. Fix it and push."
        if self.review is ReviewDecision.CHANGES_REQUESTED:
            return "Changes requested: read the comments, change your branch, push again."
        if self.draft and self.review is ReviewDecision.APPROVED:
            return "Approved: mark it ready for review so it can be merged."
        if self.draft:
            return "A draft: mark it ready for review when your checklist is done."
        if self.quiet_days is not None:
            return f"Quiet for {self.quiet_days} days: a polite ping is fine now."
        if self.review is ReviewDecision.APPROVED:
            return "Approved: a maintainer will merge it."
        return "Waiting for a review."


def summarize_pull(
    facts: PullFacts,
    learner: str | None,
    last_seen: datetime | None,
    now: datetime,
    *,
    quiet_after: int = DEFAULT_QUIET_DAYS,
) -> PullLive:
    if facts.merged:
        outcome = Outcome.MERGED
    elif facts.state == "closed":
        outcome = Outcome.CLOSED
    else:
        outcome = Outcome.OPEN
    activities = activities_of(facts)
    since = facts.created_at or now
    quiet = (
        quiet_days(activities, learner, since, now, after=quiet_after)
        if outcome is Outcome.OPEN
        else None
    )
    return PullLive(
        outcome=outcome,
        draft=facts.draft,
        head_sha=facts.head_sha,
        checks=fold_checks(facts.statuses, facts.check_runs),
        review=review_decision(facts.reviews, learner),
        review_comments=facts.review_comments,
        replies_since=replies_since(activities, learner, last_seen),
        quiet_days=quiet,
        updated_at=facts.updated_at,
    )


@dataclass(frozen=True)
class ClaimLive:
    """A claimed issue: still open?, answers since last looked, quiet for how long."""

    outcome: Outcome
    replies_since: int
    quiet_days: int | None
    updated_at: datetime | None


def summarize_claim(
    state: str,
    comments: Sequence[Comment],
    claimed_at: datetime,
    updated_at: datetime | None,
    learner: str | None,
    last_seen: datetime | None,
    now: datetime,
    *,
    quiet_after: int = DEFAULT_QUIET_DAYS,
) -> ClaimLive:
    activities = [a for a in comment_activities(comments) if a.at >= claimed_at]
    outcome = Outcome.OPEN if state == "open" else Outcome.CLOSED
    quiet = (
        quiet_days(activities, learner, claimed_at, now, after=quiet_after)
        if outcome is Outcome.OPEN
        else None
    )
    return ClaimLive(outcome, replies_since(activities, learner, last_seen), quiet, updated_at)
