"""One row of *My contributions* (and of ``onboard status``): a record folded with what the
forge said, as plain data.

The screen, the command line and the cached last answer all use the same row, so what the
learner sees offline is exactly what they saw the last time the forge answered, with its age.
A row that could not be refreshed keeps its error (one row fails, never the whole list).
Rows round-trip through :meth:`ContributionRow.to_json` / :func:`row_from_json` for that cache;
the JSON is also what ``onboard status --json`` prints.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from onboard.core.contributions.facts import PullFacts, ReviewComment
from onboard.core.contributions.live import (
    DEFAULT_QUIET_DAYS,
    Checks,
    ChecksState,
    Outcome,
    ReviewDecision,
    summarize_claim,
    summarize_pull,
)
from onboard.core.contributions.record import (
    ContributionKind,
    ContributionRecord,
    parse_stamp,
    stamp,
)
from onboard.core.models import Comment, LinkedPull


@dataclass(frozen=True)
class ContributionRow:
    """A claim or pull request with its live state, or why it could not be refreshed."""

    forge: str
    record: ContributionRecord
    #: "open", "merged" or "closed"; "unknown" when the forge was never asked successfully.
    state: str
    fetched_at: datetime | None
    checks: Checks = field(default_factory=lambda: Checks(ChecksState.NONE))
    review: ReviewDecision = ReviewDecision.NONE
    review_comments: tuple[ReviewComment, ...] = ()
    replies_since: int = 0
    quiet_days: int | None = None
    updated_at: datetime | None = None
    draft: bool = False
    next_step: str = ""
    #: Claims: assigned to the learner; the learner's own pull request for the issue, if any.
    assigned: bool = False
    linked_pull: int | None = None
    #: Why this row is not fresh (the forge's words), when it is not.
    error: str | None = None

    @property
    def kind(self) -> ContributionKind:
        return self.record.kind

    @property
    def key(self) -> tuple[str, str, int]:
        return self.record.key

    @property
    def where(self) -> str:
        return f"{self.record.repo}#{self.record.number}"

    @property
    def merged(self) -> bool:
        return self.state == Outcome.MERGED.value

    def to_json(self) -> dict[str, Any]:
        """The ``onboard status --json`` object, also the cache's, so keys never change."""
        return {
            "forge": self.forge,
            "repo": self.record.repo,
            "number": self.record.number,
            "kind": self.record.kind.value,
            "title": self.record.title,
            "state": self.state,
            "url": self.record.url,
            "draft": self.draft,
            "checks": self.checks.state.value,
            "failing_checks": list(self.checks.failing),
            "failing_summary": self.checks.failing_summary,
            "review": self.review.value,
            "review_comments": [
                {
                    "author": c.author,
                    "path": c.path,
                    "line": c.line,
                    "body": c.body,
                    "created_at": stamp(c.created_at) if c.created_at else None,
                }
                for c in self.review_comments
            ],
            "updated_at": stamp(self.updated_at) if self.updated_at else None,
            "fetched_at": stamp(self.fetched_at) if self.fetched_at else None,
            "quiet_days": self.quiet_days,
            "replies_since": self.replies_since,
            "next_step": self.next_step,
            "assigned": self.assigned,
            "linked_pull": self.linked_pull,
            "issue": self.record.issue,
            "error": self.error,
        }


def row_from_json(raw: object, record: ContributionRecord, forge: str) -> ContributionRow | None:
    """A cached row for ``record``, or None when ``raw`` is not a usable one (a damaged cache
    is a cache miss, never a crash)."""
    if not isinstance(raw, dict) or raw.get("state") not in ("open", "merged", "closed"):
        return None
    try:
        checks = Checks(
            ChecksState(raw.get("checks", "none")),
            tuple(str(name) for name in raw.get("failing_checks") or ()),
            (),
            str(raw.get("failing_summary") or ""),
        )
        review = ReviewDecision(raw.get("review", "none"))
        comments = tuple(
            ReviewComment(
                c.get("author") if isinstance(c.get("author"), str) else None,
                str(c.get("body") or ""),
                str(c.get("path") or ""),
                c["line"] if isinstance(c.get("line"), int) else None,
                parse_stamp(c.get("created_at")),
            )
            for c in raw.get("review_comments") or ()
            if isinstance(c, dict)
        )
    except (ValueError, TypeError, AttributeError):
        return None
    quiet = raw.get("quiet_days")
    replies = raw.get("replies_since")
    pull = raw.get("linked_pull")
    return ContributionRow(
        forge=forge,
        record=record,
        state=raw["state"],
        fetched_at=parse_stamp(raw.get("fetched_at")),
        checks=checks,
        review=review,
        review_comments=comments,
        replies_since=replies if isinstance(replies, int) else 0,
        quiet_days=quiet if isinstance(quiet, int) else None,
        updated_at=parse_stamp(raw.get("updated_at")),
        draft=raw.get("draft") is True,
        next_step=str(raw.get("next_step") or ""),
        assigned=raw.get("assigned") is True,
        linked_pull=pull if isinstance(pull, int) else None,
    )


def pull_row(
    forge: str,
    record: ContributionRecord,
    facts: PullFacts,
    learner: str | None,
    now: datetime,
    *,
    quiet_after: int = DEFAULT_QUIET_DAYS,
) -> ContributionRow:
    live = summarize_pull(facts, learner, record.last_seen_at, now, quiet_after=quiet_after)
    return ContributionRow(
        forge=forge,
        record=record,
        state=live.outcome.value,
        fetched_at=now,
        checks=live.checks,
        review=live.review,
        review_comments=live.review_comments,
        replies_since=live.replies_since,
        quiet_days=live.quiet_days,
        updated_at=live.updated_at,
        draft=live.draft,
        next_step=live.next_step,
    )


def claim_row(
    forge: str,
    record: ContributionRecord,
    *,
    state: str,
    assignees: Sequence[str],
    comments: Sequence[Comment],
    pulls: Sequence[LinkedPull],
    updated_at: datetime | None,
    learner: str | None,
    now: datetime,
    quiet_after: int = DEFAULT_QUIET_DAYS,
) -> ContributionRow:
    """A claimed issue: answers since the claim, assigned?, the learner's own pull request."""
    live = summarize_claim(
        state,
        comments,
        record.created_at,
        updated_at,
        learner,
        record.last_seen_at,
        now,
        quiet_after=quiet_after,
    )
    me = (learner or "").lower()
    assigned = bool(me) and any(a.lower() == me for a in assignees)
    mine = [p for p in pulls if me and (p.author or "").lower() == me]
    linked = mine[-1].number if mine else None
    return ContributionRow(
        forge=forge,
        record=record,
        state=live.outcome.value,
        fetched_at=now,
        replies_since=live.replies_since,
        quiet_days=live.quiet_days,
        updated_at=updated_at,
        next_step=claim_next_step(live.outcome, assigned, linked, live.quiet_days),
        assigned=assigned,
        linked_pull=linked,
    )


def claim_next_step(
    outcome: Outcome, assigned: bool, linked_pull: int | None, quiet: int | None
) -> str:
    """One sentence on what to do about a claim now."""
    if outcome is not Outcome.OPEN:
        return "The issue is closed: nothing more to do on this claim."
    if linked_pull is not None:
        return f"Your pull request #{linked_pull} is linked: follow it in its own row."
    if quiet is not None:
        return f"Quiet for {quiet} days: a polite ping is fine, or start the work anyway."
    if assigned:
        return "Assigned to you: make the change and open a pull request."
    return "Claimed: start the work, and open a draft pull request early."


def failed_row(
    forge: str, record: ContributionRecord, error: str, cached: ContributionRow | None
) -> ContributionRow:
    """The last answer (with its age) when there is one, else an unknown row; both say why."""
    if cached is not None:
        return replace(cached, record=record, error=error)
    return ContributionRow(
        forge=forge,
        record=record,
        state="unknown",
        fetched_at=None,
        next_step="Could not be checked yet: try again when the forge answers.",
        error=error,
    )
