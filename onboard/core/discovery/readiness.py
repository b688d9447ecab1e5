"""Readiness signals: will this project welcome a newcomer? Shown instead of stars.

Stars say a project is popular, not that anyone will answer a first question or merge a first
pull request. A newcomer choosing a project needs to know four things, each computed here from
data the forge adapter has already fetched:

* **Maintainer replies**: how long someone who asked on a beginner issue waited for a maintainer.
* **First pull requests**: how many recent pull requests from first-time contributors were merged.
* **Last activity**: whether anyone is still working on the project.
* **Community files**: whether CONTRIBUTING and a code of conduct tell newcomers how things work.

Every :class:`Signal` carries ``how``, a sentence saying what it was computed from, so the
newcomer can judge it; and a :class:`Verdict` whose thresholds are the named constants below.
When the sample is too small the signal says "not enough data" and its verdict is UNKNOWN: a
median of two issues would be a made-up number.

Pure: no clock, no network. ``now`` is a parameter so the rules are testable with fixed dates.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from onboard.core.discovery.queries import MAX_QUERY_LENGTH, beginner_label_qualifier
from onboard.core.discovery.roles import is_maintainer
from onboard.core.models import Comment, RepoRef

# --------------------------------------------------------------------------- thresholds

#: Beginner issues opened this long ago or less are the sample for maintainer replies: long
#: enough to gather a few issues on a quiet project, short enough to describe today's team.
RESPONSE_WINDOW_DAYS = 180
#: The forge reads the comments of at most this many (the most recent) beginner issues.
RESPONSE_SAMPLE_SIZE = 8
#: Fewer questions than this and a median says nothing.
MIN_RESPONSE_SAMPLE = 3
#: A median reply within two days feels like a conversation; within a week, still fine.
RESPONSE_GOOD = timedelta(days=2)
RESPONSE_OK = timedelta(days=7)

#: Closed pull requests of first-time contributors in this window are the merge sample.
MERGE_WINDOW_DAYS = 90
MIN_MERGE_SAMPLE = 3
#: At least half merged: first contributions land. A quarter: possible, with persistence.
MERGE_GOOD = 0.5
MERGE_OK = 0.25
#: GitHub's ``author_association`` values for someone's first pull request (to this
#: repository, or to GitHub at all).
FIRST_TIMER_ASSOCIATIONS: frozenset[str] = frozenset({"FIRST_TIME_CONTRIBUTOR", "FIRST_TIMER"})

#: Activity within two weeks: someone will see your pull request. Two months: probably.
ACTIVITY_GOOD = timedelta(days=14)
ACTIVITY_OK = timedelta(days=60)


class Verdict(StrEnum):
    GOOD = "good"
    OK = "ok"
    POOR = "poor"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Signal:
    """One readiness signal: a short ``summary`` for a table, ``how`` for the curious."""

    title: str
    verdict: Verdict
    summary: str
    how: str


# --------------------------------------------------------------------------- inputs


@dataclass(frozen=True)
class BeginnerIssue:
    """A beginner-labelled issue and its comments (``None``: they could not be read)."""

    number: int
    author: str | None
    association: str
    created_at: datetime | None
    comments: tuple[Comment, ...] | None = ()


@dataclass(frozen=True)
class ClosedPull:
    """A closed pull request, as ``GET /pulls?state=closed`` lists it."""

    number: int
    author: str | None
    association: str
    closed_at: datetime | None
    merged_at: datetime | None
    updated_at: datetime | None = None


# --------------------------------------------------------------------------- the result


@dataclass(frozen=True)
class Readiness:
    """The four signals of one repository, with the numbers behind them."""

    repo: RepoRef
    response: Signal
    first_timers: Signal
    activity: Signal
    community: Signal
    #: Median wait for a maintainer reply; ``None`` when there is not enough data or when
    #: half or more of the questions are still unanswered.
    median_response: timedelta | None = None
    responded: int = 0
    asked: int = 0
    first_timer_merged: int = 0
    first_timer_closed: int = 0
    last_activity: datetime | None = None
    has_contributing: bool | None = None
    has_code_of_conduct: bool | None = None
    #: Filled in by the forge adapter: when the data was fetched, why it is old (offline), and
    #: how many requests it cost.
    fetched_at: datetime | None = None
    stale_reason: str | None = None
    requests: int = 0

    @property
    def signals(self) -> tuple[Signal, ...]:
        return (self.response, self.first_timers, self.activity, self.community)


# --------------------------------------------------------------------------- helpers


def _utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _is_bot(login: str | None) -> bool:
    """Bots answer instantly and mean nothing by it; they never count as a maintainer reply."""
    return bool(login and login.endswith("[bot]"))


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def duration_text(span: timedelta) -> str:
    """``"3 hours"``, ``"1.5 days"``, ``"2 weeks"``: a wait as a newcomer would say it."""
    hours = span.total_seconds() / 3600
    if hours < 1:
        minutes = max(1, round(span.total_seconds() / 60))
        return _plural(minutes, "minute")
    if hours < 36:
        return _plural(round(hours), "hour")
    days = hours / 24
    if days < 14:
        rounded = round(days * 2) / 2
        text = f"{rounded:g}"
        return f"{text} day" if rounded == 1 else f"{text} days"
    return _plural(round(days / 7), "week")


def beginner_history_query(
    repo: RepoRef, labels: Sequence[str], now: datetime, window_days: int = RESPONSE_WINDOW_DAYS
) -> str:
    """Search for the beginner issues of ``repo`` opened in the window, open or closed.

    Closed issues count too: a question answered and solved is the best evidence there is.
    """
    since = (_utc(now) - timedelta(days=window_days)).strftime("%Y-%m-%d")
    for spellings in (labels, labels[:1]):
        query = (
            f"repo:{repo.full_name} is:issue {beginner_label_qualifier(spellings)} "
            f"created:>={since}"
        )
        if len(query) <= MAX_QUERY_LENGTH:
            return query
    raise ValueError(f"repository name too long for a search: {repo.full_name}")


# --------------------------------------------------------------------------- maintainer replies


@dataclass(frozen=True)
class ResponseStats:
    asked: int  # questions in the sample (issues where someone outside the team spoke)
    responded: int
    median: timedelta | None  # None: not enough data, or half or more unanswered
    waits: tuple[timedelta, ...]  # of the answered ones
    unasked: int  # maintainer-opened issues nobody outside the team commented on yet
    unread: int  # issues whose comments could not be read


def _question(issue: BeginnerIssue, comments: Sequence[Comment]) -> tuple[datetime, str] | None:
    """When somebody outside the team started waiting, and who; ``None`` if nobody has.

    An issue opened by a newcomer is a question from its first second. Projects open most
    beginner issues themselves, though; there the wait starts with the first comment from
    someone outside the team ("Can I take this?"), and a maintainer-opened issue nobody
    commented on is not a question at all.
    """
    if not is_maintainer(Comment(issue.author, "", association=issue.association)):
        if issue.created_at is None or issue.author is None:
            return None
        return _utc(issue.created_at), issue.author
    for comment in comments:
        if comment.created_at is None or comment.author is None or _is_bot(comment.author):
            continue
        if not is_maintainer(comment):
            return _utc(comment.created_at), comment.author
    return None


def _reply_wait(issue: BeginnerIssue, comments: Sequence[Comment]) -> tuple[bool, timedelta | None]:
    """``(asked, wait)``: whether someone waited, and how long until a maintainer replied.

    A reply is the first later comment by an OWNER, MEMBER or COLLABORATOR who is not the
    person waiting (an issue author answering themselves is no reply) and not a bot.
    """
    question = _question(issue, comments)
    if question is None:
        return False, None
    asked_at, asker = question
    for comment in comments:
        if comment.created_at is None or _is_bot(comment.author) or comment.author == asker:
            continue
        if is_maintainer(comment) and _utc(comment.created_at) >= asked_at:
            return True, _utc(comment.created_at) - asked_at
    return True, None


def response_stats(
    issues: Sequence[BeginnerIssue], now: datetime, window_days: int = RESPONSE_WINDOW_DAYS
) -> ResponseStats:
    """Replies on the beginner issues opened in the window (issues outside it are ignored).

    The median treats an unanswered question as longer than every answered one, so when half
    or more are unanswered there is no honest median to give.
    """
    cutoff = _utc(now) - timedelta(days=window_days)
    waits: list[timedelta] = []
    asked = unasked = unread = 0
    for issue in issues:
        if issue.created_at is None or _utc(issue.created_at) < cutoff:
            continue
        if issue.comments is None:
            unread += 1
            continue
        comments = sorted(
            issue.comments, key=lambda c: _utc(c.created_at) if c.created_at else cutoff
        )
        was_asked, wait = _reply_wait(issue, comments)
        if not was_asked:
            unasked += 1
            continue
        asked += 1
        if wait is not None:
            waits.append(wait)
    median: timedelta | None = None
    if asked >= MIN_RESPONSE_SAMPLE and len(waits) * 2 > asked:
        # Unanswered questions sort last; with more than half answered, the median is among
        # the answered ones (for an even count, the mean of the two middle ones).
        ordered = sorted(waits) + [timedelta.max] * (asked - len(waits))
        middle = [ordered[(asked - 1) // 2], ordered[asked // 2]]
        if timedelta.max not in middle:
            median = statistics.mean(w.total_seconds() for w in middle) * timedelta(seconds=1)
    return ResponseStats(asked, len(waits), median, tuple(waits), unasked, unread)


def response_signal(stats: ResponseStats, window_days: int = RESPONSE_WINDOW_DAYS) -> Signal:
    title = "Maintainer replies"
    parts = [
        f"{_plural(stats.asked, 'beginner issue')} opened in the last {window_days} days "
        "where someone outside the team asked or commented",
        f"{stats.responded} got a maintainer reply",
    ]
    if stats.unasked:
        parts.append(
            f"{_plural(stats.unasked, 'issue')} opened by maintainers had no question from "
            "outside the team yet (not counted)"
        )
    if stats.unread:
        parts.append(f"the comments of {stats.unread} could not be read")
    if stats.asked < MIN_RESPONSE_SAMPLE:
        how = (
            f"Needs at least {MIN_RESPONSE_SAMPLE} questions on beginner issues; found "
            + "; ".join(parts)
            + "."
        )
        return Signal(title, Verdict.UNKNOWN, "not enough data", how)
    if stats.median is None:
        how = (
            "Half or more of the questions are still waiting for a maintainer: "
            + "; ".join(parts)
            + "."
        )
        summary = f"replied to {stats.responded} of {stats.asked}"
        return Signal(title, Verdict.POOR, summary, how)
    how = f"Median wait for the first maintainer reply, of {'; '.join(parts)}."
    if stats.median <= RESPONSE_GOOD:
        verdict = Verdict.GOOD
    elif stats.median <= RESPONSE_OK:
        verdict = Verdict.OK
    else:
        verdict = Verdict.POOR
    summary = (
        f"replies in about {duration_text(stats.median)} "
        f"(replied to {stats.responded} of {stats.asked})"
    )
    return Signal(title, verdict, summary, how)


# --------------------------------------------------------------------------- first pull requests


def first_timer_counts(
    pulls: Iterable[ClosedPull], now: datetime, window_days: int = MERGE_WINDOW_DAYS
) -> tuple[int, int]:
    """``(merged, closed)`` first-time contributors' pull requests closed in the window."""
    cutoff = _utc(now) - timedelta(days=window_days)
    merged = closed = 0
    for pull in pulls:
        if pull.association.upper() not in FIRST_TIMER_ASSOCIATIONS:
            continue
        if pull.closed_at is None or _utc(pull.closed_at) < cutoff:
            continue
        closed += 1
        merged += pull.merged_at is not None
    return merged, closed


def first_timer_signal(
    merged: int, closed: int, *, scanned: int, window_days: int = MERGE_WINDOW_DAYS
) -> Signal:
    """``scanned``: how many closed pull requests were looked at to find these."""
    title = "First pull requests"
    source = (
        f"the {_plural(scanned, 'most recently updated closed pull request')}"
        if scanned
        else "the closed pull requests (there were none)"
    )
    found = (
        f"{_plural(closed, 'pull request')} from first-time contributors closed in the last "
        f"{window_days} days, {merged} of them merged"
    )
    if closed < MIN_MERGE_SAMPLE:
        how = f"Needs at least {MIN_MERGE_SAMPLE}; among {source}: {found}."
        return Signal(title, Verdict.UNKNOWN, "not enough data", how)
    share = merged / closed
    if share >= MERGE_GOOD:
        verdict = Verdict.GOOD
    elif share >= MERGE_OK:
        verdict = Verdict.OK
    else:
        verdict = Verdict.POOR
    how = f"Share merged, among {source}: {found}."
    return Signal(title, verdict, f"{merged} of {closed} merged ({share:.0%})", how)


# --------------------------------------------------------------------------- activity


def last_activity(
    pushed_at: datetime | None, updates: Iterable[datetime | None]
) -> datetime | None:
    moments = [_utc(m) for m in (pushed_at, *updates) if m is not None]
    return max(moments) if moments else None


def activity_signal(latest: datetime | None, now: datetime, *, items: int) -> Signal:
    """``items``: how many issues and pull requests were looked at besides the last push."""
    title = "Last activity"
    how = (
        f"The latest of the last push and the updates of the {items} issues and pull requests read."
        if items
        else "The last push to the repository."
    )
    if latest is None:
        return Signal(title, Verdict.UNKNOWN, "unknown", how)
    age = _utc(now) - latest
    if age <= ACTIVITY_GOOD:
        verdict = Verdict.GOOD
    elif age <= ACTIVITY_OK:
        verdict = Verdict.OK
    else:
        verdict = Verdict.POOR
    summary = "today" if age < timedelta(days=1) else f"{duration_text(age)} ago"
    return Signal(title, verdict, summary, how)


# --------------------------------------------------------------------------- community files


def community_signal(has_contributing: bool | None, has_code_of_conduct: bool | None) -> Signal:
    title = "Community files"
    how = "From GitHub's community profile of the repository (CONTRIBUTING and CODE_OF_CONDUCT)."
    if has_contributing is None or has_code_of_conduct is None:
        return Signal(title, Verdict.UNKNOWN, "unknown", how + " It could not be read.")
    present = [
        name
        for name, flag in (
            ("CONTRIBUTING", has_contributing),
            ("code of conduct", has_code_of_conduct),
        )
        if flag
    ]
    if len(present) == 2:
        return Signal(title, Verdict.GOOD, "CONTRIBUTING and code of conduct", how)
    if present:
        missing = "code of conduct" if has_contributing else "CONTRIBUTING"
        return Signal(title, Verdict.OK, f"{present[0]}, no {missing}", how)
    return Signal(title, Verdict.POOR, "neither CONTRIBUTING nor code of conduct", how)


# --------------------------------------------------------------------------- all together


def assess(
    repo: RepoRef,
    *,
    now: datetime,
    issues: Sequence[BeginnerIssue] = (),
    pulls: Sequence[ClosedPull] = (),
    pushed_at: datetime | None = None,
    updates: Iterable[datetime | None] = (),
    has_contributing: bool | None = None,
    has_code_of_conduct: bool | None = None,
    issues_read: bool = True,
    pulls_read: bool = True,
) -> Readiness:
    """All four signals. ``issues_read``/``pulls_read`` false: that part could not be fetched,
    so its signal is UNKNOWN rather than computed from an empty list."""
    stats = response_stats(issues, now)
    response = response_signal(stats)
    if not issues_read:
        response = Signal(
            response.title,
            Verdict.UNKNOWN,
            "unknown",
            "The beginner issues could not be searched.",
        )
    merged, closed = first_timer_counts(pulls, now)
    first_timers = first_timer_signal(merged, closed, scanned=len(pulls))
    if not pulls_read:
        first_timers = Signal(
            first_timers.title,
            Verdict.UNKNOWN,
            "unknown",
            "The closed pull requests could not be read.",
        )
    update_list = list(updates)
    latest = last_activity(pushed_at, update_list)
    return Readiness(
        repo=repo,
        response=response,
        first_timers=first_timers,
        activity=activity_signal(latest, now, items=sum(1 for u in update_list if u)),
        community=community_signal(has_contributing, has_code_of_conduct),
        median_response=stats.median,
        responded=stats.responded,
        asked=stats.asked,
        first_timer_merged=merged,
        first_timer_closed=closed,
        last_activity=latest,
        has_contributing=has_contributing,
        has_code_of_conduct=has_code_of_conduct,
    )
