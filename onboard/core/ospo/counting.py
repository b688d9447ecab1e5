"""Counting contributions per person and per upstream, from plain records.

The forge's search answers and a learner's own "My contributions" record describe the same
facts (this person authored, commented on or reviewed that issue or pull request), so both are
turned into :class:`Record` and counted by :func:`count`: a cohort's summary and the OSPO view
then agree by construction. A record seen twice (two searches, a split date range, a learner's
record and a search) counts once.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from onboard.core.ospo.queries import METRIC_KEYS

Kind = Literal["issue", "pr"]
Role = Literal["author", "commenter", "reviewer"]


@dataclass(frozen=True)
class Record:
    """One thing ``login`` did on issue or pull request ``repo#number``."""

    login: str
    repo: str
    number: int
    kind: Kind
    role: Role
    merged: bool = False


def metrics_of(record: Record) -> tuple[str, ...]:
    """The metric keys (:data:`~onboard.core.ospo.queries.METRICS`) a record counts towards."""
    if record.kind == "issue":
        return {"author": ("issues_opened",), "commenter": ("issues_commented",)}.get(
            record.role, ()
        )
    if record.role == "author":
        return ("prs_opened", "prs_merged") if record.merged else ("prs_opened",)
    if record.role == "reviewer":
        return ("reviews",)
    return ()


#: A learner's record kinds, as (the issue or pull's kind, what they did on it).
CONTRIBUTION_KINDS: dict[str, tuple[Kind, Role]] = {
    "pr": ("pr", "author"),
    "issue": ("issue", "author"),
    "review": ("pr", "reviewer"),
    "comment": ("issue", "commenter"),
}


def from_contribution(
    login: str,
    repo: str,
    number: int,
    kind: str,
    state: str = "open",
    merged: bool = False,
    reviews: int = 0,
) -> list[Record]:
    """A learner's own record of one contribution, as :class:`Record` s: how "My
    contributions" joins the count, so a cohort summary and the OSPO view agree.

    ``kind`` is ``pr`` (their pull request; ``merged`` when it was), ``issue`` (an issue they
    opened), ``review`` (someone else's pull request they reviewed; ``reviews`` is how many
    times, and counts once, as GitHub's ``reviewed-by:`` does) or ``comment`` (someone else's
    issue they commented on). ``state`` is kept for the caller's sake; counting ignores it, as
    the searches do. Raises ValueError for another kind.
    """
    if kind not in CONTRIBUTION_KINDS:
        raise ValueError(f"kind {kind!r}: expected one of {', '.join(CONTRIBUTION_KINDS)}")
    if kind == "review" and reviews < 1:
        return []
    record_kind, role = CONTRIBUTION_KINDS[kind]
    return [Record(login, repo, number, record_kind, role, merged and kind == "pr")]


@dataclass
class Counts:
    """Per metric, the issue/pull numbers counted (a set, so nothing counts twice)."""

    numbers: dict[str, set[int]] = field(default_factory=lambda: {k: set() for k in METRIC_KEYS})

    def total(self, metric: str) -> int:
        return len(self.numbers[metric])

    def add(self, metric: str, number: int) -> None:
        self.numbers[metric].add(number)

    def merge(self, other: Counts) -> None:
        for metric, numbers in other.numbers.items():
            self.numbers[metric] |= numbers


def count(records: Iterable[Record], logins: Iterable[str] = ()) -> dict[str, dict[str, Counts]]:
    """``{login: {repo: Counts}}``; every login in ``logins`` is present, even with nothing
    (a person with no activity is a row of zeros, not a missing row). Logins and repository
    names compare case-insensitively, as on GitHub; the first spelling seen is kept."""
    spelled: dict[str, str] = {}
    table: dict[str, dict[str, Counts]] = {}
    for login in logins:
        table.setdefault(spelled.setdefault(login.casefold(), login), {})
    repo_names: dict[str, str] = {}
    for record in records:
        login = spelled.setdefault(record.login.casefold(), record.login)
        repo = repo_names.setdefault(record.repo.casefold(), record.repo)
        per_repo = table.setdefault(login, {})
        for metric in metrics_of(record):
            per_repo.setdefault(repo, Counts()).add(metric, record.number)
    return table


def person_totals(per_repo: dict[str, Counts]) -> dict[str, int]:
    """One person's numbers over every upstream (the same number in two repos is two things)."""
    return {m: sum(counts.total(m) for counts in per_repo.values()) for m in METRIC_KEYS}


def upstream_totals(table: dict[str, dict[str, Counts]]) -> dict[str, dict[str, int]]:
    """Per upstream, what the whole team did there (two people reviewing one pull are two
    reviews), sorted by repository name."""
    totals: dict[str, dict[str, int]] = {}
    for per_repo in table.values():
        for repo, counts in per_repo.items():
            row = totals.setdefault(repo, dict.fromkeys(METRIC_KEYS, 0))
            for metric in METRIC_KEYS:
                row[metric] += counts.total(metric)
    return dict(sorted(totals.items(), key=lambda item: item[0].casefold()))
