"""Which upstreams need help: signals of need, each saying how it was computed.

An OSPO secures the projects it depends on; the question is where help is needed *now*. Each
signal comes from facts the forge measured (:class:`UpstreamFacts`, plain values so the
computation is tested without a forge); a fact that could not be measured is ``None`` and its
signal says "not enough data" and adds nothing to the need score, never a guess. Reviews and
triage count as much as code, so the lanes offered name them first when they are needed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

NOT_ENOUGH = "not enough data"
REVIEW_WAIT_DAYS = 14
STALE_DAYS = 180
BUS_FACTOR_LOW = 2


@dataclass(frozen=True)
class UpstreamFacts:
    """What the forge told us about one upstream (``None``: could not be measured)."""

    repo: str
    #: When each open, non-draft pull request without any review was opened.
    awaiting_review: tuple[datetime, ...] | None = None
    #: Open issues with no comment at all, out of ``open_issues``.
    unanswered_issues: int | None = None
    open_issues: int | None = None
    #: Distinct authors of pull requests merged in the last 90 days.
    mergers_90d: int | None = None
    last_release: datetime | None = None
    release_known: bool = False
    last_commit: datetime | None = None
    beginner_issues: int | None = None
    #: Why the facts are partial (a refused search, a rate limit), for the reader.
    problems: tuple[str, ...] = ()


@dataclass(frozen=True)
class Signal:
    key: str
    label: str
    value: str
    how: str
    need: int = 0  # 0 (fine or unknown) .. 3 (needs help most)
    enough_data: bool = True


@dataclass(frozen=True)
class UpstreamNeed:
    repo: str
    signals: tuple[Signal, ...]
    lanes: tuple[str, ...]
    problems: tuple[str, ...] = field(default=())

    @property
    def score(self) -> int:
        return sum(signal.need for signal in self.signals)


def _days(now: datetime, then: datetime) -> int:
    return max(0, (now - then) // timedelta(days=1))


def _unknown(key: str, label: str, how: str) -> Signal:
    return Signal(key, label, NOT_ENOUGH, how, 0, False)


def signals(facts: UpstreamFacts, now: datetime) -> UpstreamNeed:
    """The signals and lanes of one upstream, measured at ``now``."""
    found: list[Signal] = []
    lanes: list[str] = []
    how = "open, non-draft pull requests without any review (search is:pr is:open review:none)"
    if facts.awaiting_review is None:
        found.append(_unknown("awaiting_review", "waiting for a first review", how))
    else:
        waits = sorted((_days(now, t) for t in facts.awaiting_review), reverse=True)
        long = sum(1 for w in waits if w >= REVIEW_WAIT_DAYS)
        value = f"{len(waits)}" + (f", oldest {waits[0]} days" if waits else "")
        found.append(
            Signal("awaiting_review", "waiting for a first review", value, how, min(3, long))
        )
        if waits:
            lanes.append("review")
    how = "open issues with no comment at all, of all open issues (search comments:0)"
    if facts.unanswered_issues is None or not facts.open_issues:
        found.append(_unknown("unanswered", "issues without any reply", how))
    else:
        share = facts.unanswered_issues / facts.open_issues
        found.append(
            Signal(
                "unanswered",
                "issues without any reply",
                f"{facts.unanswered_issues} of {facts.open_issues}",
                how,
                3 if share >= 0.5 else 2 if share >= 0.25 else 0,
            )
        )
        if facts.unanswered_issues:
            lanes.append("triage")
    how = "distinct authors of pull requests merged in the last 90 days (a bus factor)"
    if facts.mergers_90d is None:
        found.append(_unknown("bus_factor", "people merged in 90 days", how))
    else:
        found.append(
            Signal(
                "bus_factor",
                "people merged in 90 days",
                str(facts.mergers_90d),
                how,
                3 if facts.mergers_90d == 0 else 2 if facts.mergers_90d < BUS_FACTOR_LOW else 0,
            )
        )
        if facts.mergers_90d < BUS_FACTOR_LOW:
            lanes.append("maintenance")
    how = "the newest commit on the default branch"
    if facts.last_commit is None:
        found.append(_unknown("last_commit", "last commit", how))
    else:
        age = _days(now, facts.last_commit)
        found.append(
            Signal(
                "last_commit", "last commit", f"{age} days ago", how, 2 if age >= STALE_DAYS else 0
            )
        )
    how = "the latest published release"
    if not facts.release_known:
        found.append(_unknown("last_release", "last release", how))
    elif facts.last_release is None:
        found.append(Signal("last_release", "last release", "none published", how, 1))
    else:
        age = _days(now, facts.last_release)
        found.append(
            Signal("last_release", "last release", f"{age} days ago", how, 1 if age >= 365 else 0)
        )
    how = "open issues with a beginner label, of all open issues"
    if facts.beginner_issues is None or not facts.open_issues:
        found.append(_unknown("beginner_share", "beginner issues", how))
    else:
        percent = round(100 * facts.beginner_issues / facts.open_issues)
        found.append(
            Signal(
                "beginner_share",
                "beginner issues",
                f"{facts.beginner_issues} of {facts.open_issues} ({percent}%)",
                how,
            )
        )
        if facts.beginner_issues:
            lanes.append("code and docs (beginner issues)")
    return UpstreamNeed(facts.repo, tuple(found), tuple(dict.fromkeys(lanes)), facts.problems)


def by_need(needs: Sequence[UpstreamNeed]) -> list[UpstreamNeed]:
    """Most in need first; ties by how much is unknown (less first), then by name."""
    return sorted(
        needs,
        key=lambda n: (-n.score, sum(not s.enough_data for s in n.signals), n.repo.casefold()),
    )
