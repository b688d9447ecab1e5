"""Ordering suggestions so the best first contribution is on top, and saying why.

The score is deliberately simple: a weighted sum of a few named components, each worth at most
its weight in :data:`WEIGHTS`. Every component that moves the score also adds a short reason
("unassigned", "no PR", "maintainer replied 2 days ago"), so a newcomer can see why an issue is
suggested and disagree with it. No learned model, nothing hidden.

Claim status dominates: its weight is larger than all other components together, so every FREE
issue ranks above every UNKNOWN one, and every UNKNOWN one above every TAKEN one. Taken issues
sink but stay in the list, because seeing them is how newcomers learn what "taken" looks like.

Pure: ``now`` is a parameter; no clock, network or files.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from onboard.core.discovery.roles import is_maintainer
from onboard.core.models import (
    Claim,
    ClaimStatus,
    Comment,
    Contribution,
    Issue,
    Lane,
    Preferences,
    RepoRef,
)
from onboard.core.text.timefmt import ago

#: The most each component can add (or, negated, subtract). The others can add at most 40 and
#: take away at most 15, so with 60 for the claim a FREE issue scores at least 45, an UNKNOWN one
#: between -15 and 40, and a TAKEN one at most -20: claim status always decides the tier.
WEIGHTS: dict[str, float] = {
    "claim": 75.0,
    "maintainer": 10.0,
    "freshness": 10.0,
    # What the newcomer told us counts more than our own signals: it is their choice.
    "lane": 20.0,
    "language": 15.0,
    "discussion": 5.0,
}

#: Updated within this many days: fresh (up). Maintainers still remember the issue.
FRESH_DAYS = 30
#: Not updated for this many days: stale (down). The code it talks about may have moved on.
STALE_DAYS = 180
#: A maintainer's comment this recent means someone is around to answer questions.
MAINTAINER_REPLY_DAYS = 30
#: Up to this many replies is a normal amount of context to read.
QUIET_REPLIES = 3
#: From this many replies on, the discussion counts as long (full penalty).
LONG_DISCUSSION_REPLIES = 15

#: Claim status as a component value in [-1, 1]: free up, unknown neutral, taken down.
_CLAIM_VALUE: dict[ClaimStatus, float] = {
    ClaimStatus.FREE: 1.0,
    ClaimStatus.UNKNOWN: 0.0,
    ClaimStatus.TAKEN: -1.0,
    ClaimStatus.YOURS: 1.0,  # the learner's own work comes first
}

_NO_PREFERENCES = Preferences()

Candidate = tuple[Issue, Lane, Claim, Sequence[Comment] | None]


@dataclass(frozen=True)
class Component:
    """One named part of a score: its value in [-1, 1], weighted contribution, and reasons."""

    name: str
    value: float
    reasons: tuple[str, ...] = ()

    @property
    def points(self) -> float:
        return WEIGHTS[self.name] * self.value


def _utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _claim_component(claim: Claim) -> Component:
    """Reasons in goodfirstissue.dev style for free issues; the main evidence otherwise."""
    value = _CLAIM_VALUE[claim.status]
    if claim.status is ClaimStatus.FREE:
        return Component("claim", value, ("unassigned", "no PR"))
    first = claim.evidence[0] if claim.evidence else ""
    if claim.status is ClaimStatus.TAKEN:
        return Component("claim", value, (f"likely taken ({first})" if first else "likely taken",))
    if claim.status is ClaimStatus.YOURS:
        return Component("claim", value, (f"yours ({first})" if first else "yours",))
    return Component(
        "claim", value, (f"not sure it is free ({first})" if first else "not sure it is free",)
    )


def _freshness_component(issue: Issue, now: datetime) -> Component:
    if issue.updated_at is None:
        return Component("freshness", 0.0)
    updated = _utc(issue.updated_at)
    age = now - updated
    if age <= timedelta(days=FRESH_DAYS):
        return Component("freshness", 1.0, (f"updated {ago(updated, now)}",))
    if age > timedelta(days=STALE_DAYS):
        quiet = ago(updated, now).removesuffix(" ago")
        return Component("freshness", -1.0, (f"no activity for {quiet}",))
    return Component("freshness", 0.0)


def _maintainer_component(comments: Sequence[Comment] | None, now: datetime) -> Component:
    """A recent maintainer comment: someone will answer the newcomer's questions."""
    latest: datetime | None = None
    for comment in comments or ():
        if not is_maintainer(comment) or comment.created_at is None:
            continue
        if comment.author and comment.author.endswith("[bot]"):
            continue
        when = _utc(comment.created_at)
        if latest is None or when > latest:
            latest = when
    if latest is None or now - latest > timedelta(days=MAINTAINER_REPLY_DAYS):
        return Component("maintainer", 0.0)
    return Component("maintainer", 1.0, (f"maintainer replied {ago(latest, now)}",))


def _discussion_component(issue: Issue, comments: Sequence[Comment] | None) -> Component:
    """Long threads are harder to catch up on; the penalty grows with the number of replies."""
    replies = len(comments) if comments is not None else issue.comments
    if replies <= QUIET_REPLIES:
        return Component("discussion", 0.0)
    if replies >= LONG_DISCUSSION_REPLIES:
        return Component("discussion", -1.0, (f"long discussion ({replies} replies)",))
    value = -(replies - QUIET_REPLIES) / (LONG_DISCUSSION_REPLIES - QUIET_REPLIES)
    return Component("discussion", value, (f"{replies} replies to read",))


def _lane_component(lane: Lane, preferences: Preferences) -> Component:
    if lane in preferences.lanes:
        return Component("lane", 1.0, (f"fits your interest: {lane.title.lower()}",))
    return Component("lane", 0.0)


def _language_component(languages: Sequence[str], preferences: Preferences) -> Component:
    known = {language.casefold() for language in preferences.languages}
    shared = list(dict.fromkeys(lang for lang in languages if lang.casefold() in known))
    if not shared:
        return Component("language", 0.0)
    names = shared[0] if len(shared) == 1 else f"{', '.join(shared[:-1])} and {shared[-1]}"
    return Component("language", 1.0, (f"uses {names}, which you know",))


def score_components(
    issue: Issue,
    lane: Lane,
    claim: Claim,
    comments: Sequence[Comment] | None,
    *,
    now: datetime,
    preferences: Preferences = _NO_PREFERENCES,
    languages: Sequence[str] = (),
) -> list[Component]:
    """Every component of an issue's score, most important first.

    The claim status always comes first, even when UNKNOWN adds nothing: whether someone else is
    on it is the first thing a newcomer needs to know. The others follow by their effect on the
    score, ties in the order of :data:`WEIGHTS`.
    """
    now = _utc(now)
    components = [
        _claim_component(claim),
        _maintainer_component(comments, now),
        _freshness_component(issue, now),
        _lane_component(lane, preferences),
        _language_component(languages, preferences),
        _discussion_component(issue, comments),
    ]
    order = list(WEIGHTS)
    return sorted(
        components, key=lambda c: (c.name != "claim", -abs(c.points), order.index(c.name))
    )


def score_reasons(
    issue: Issue,
    lane: Lane,
    claim: Claim,
    comments: Sequence[Comment] | None,
    *,
    now: datetime,
    preferences: Preferences = _NO_PREFERENCES,
    languages: Sequence[str] = (),
) -> tuple[float, tuple[str, ...]]:
    """The score and the reasons behind it, in order of importance."""
    components = score_components(
        issue, lane, claim, comments, now=now, preferences=preferences, languages=languages
    )
    score = math.fsum(component.points for component in components)
    # Components that do not move the score carry no reasons, except an UNKNOWN claim.
    reasons = tuple(reason for component in components for reason in component.reasons)
    return score, reasons


def _sort_key(contribution: Contribution) -> tuple[float, float, str, int]:
    """Score first; then the most recently updated; then repository and number, for stability."""
    updated = contribution.issue.updated_at
    recency = _utc(updated).timestamp() if updated else -math.inf
    issue = contribution.issue
    return (-contribution.score, -recency, issue.repo.full_name.casefold(), issue.number)


def rank(
    candidates: Sequence[Candidate],
    *,
    now: datetime,
    preferences: Preferences = _NO_PREFERENCES,
    project_languages: Mapping[RepoRef, Sequence[str]] | None = None,
) -> list[Contribution]:
    """Score every candidate and return them best first, each with its reasons.

    ``project_languages`` maps a repository to the languages it uses (from the guide pack);
    repositories without an entry simply get no language reason.
    """
    languages = project_languages or {}
    ranked = []
    for issue, lane, claim, comments in candidates:
        score, reasons = score_reasons(
            issue,
            lane,
            claim,
            comments,
            now=now,
            preferences=preferences,
            languages=languages.get(issue.repo, ()),
        )
        ranked.append(Contribution(issue, lane, claim, score, reasons))
    return sorted(ranked, key=_sort_key)
