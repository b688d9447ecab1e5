"""A learner's own record, counted by the OSPO's counting (:mod:`onboard.core.ospo.counting`).

A session report lists what the learner did as plain items (``repo``, ``number``, ``kind``,
``merged``), the inputs of :func:`~onboard.core.ospo.counting.from_contribution`; the report's
``counts`` and the cohort summary's are computed from those items by the same
:func:`~onboard.core.ospo.counting.count` and :func:`~onboard.core.ospo.counting.person_totals`
the OSPO view uses on the forge's searches, so the two agree on the same facts by construction
(a claim is an issue commented on, a pull request is opened and, once seen merged, merged, a
review counts once per pull request, as ``reviewed-by:`` does).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from onboard.core.contributions.record import ContributionKind, ContributionRecord
from onboard.core.ospo.counting import (
    CONTRIBUTION_KINDS,
    Counts,
    Record,
    count,
    from_contribution,
    person_totals,
    upstream_totals,
)
from onboard.core.ospo.queries import METRIC_KEYS

#: ``owner/repo#12``, as :func:`onboard.flows.act.post_review` words a review's event.
_REF = re.compile(r"(?P<repo>[A-Za-z0-9][\w.-]*/[\w.-]+)#(?P<number>[0-9]{1,9})")
#: ``…/owner/repo/pull/12…``: a review's address, when its words do not say where it is.
_PULL_URL = re.compile(r"/(?P<repo>[\w.-]+/[\w.-]+)/pull/(?P<number>[0-9]{1,9})(?:[/#?]|$)")


def review_ref(text: str, url: object) -> tuple[str, int] | None:
    """Which pull request a recorded review was on: from its words, else its address."""
    match = _REF.fullmatch(text.strip()) if text else None
    if match is None and isinstance(url, str):
        match = _PULL_URL.search(url)
    return (match["repo"], int(match["number"])) if match else None


def learner_items(
    contributions: Iterable[ContributionRecord], reviewed: Iterable[tuple[str, int]] = ()
) -> list[dict[str, Any]]:
    """The learner's contributions as the report's plain items, in the order given."""
    items: list[dict[str, Any]] = []
    for record in contributions:
        kind = "pr" if record.kind is ContributionKind.PULL else "comment"
        merged = record.kind is ContributionKind.PULL and record.merged_at is not None
        items.append({"repo": record.repo, "number": record.number, "kind": kind, "merged": merged})
    for repo, number in reviewed:
        items.append({"repo": repo, "number": number, "kind": "review", "merged": False})
    return items


def records_of(login: str, items: Iterable[object]) -> list[Record]:
    """Counting records of one learner's items; an item that is not one (a hand-edited
    report) is left out, never guessed."""
    out: list[Record] = []
    for item in items:
        if not isinstance(item, Mapping):
            continue
        repo, number, kind = item.get("repo"), item.get("number"), item.get("kind")
        if not isinstance(repo, str) or "/" not in repo or kind not in CONTRIBUTION_KINDS:
            continue
        if not isinstance(number, int) or isinstance(number, bool) or number < 1:
            continue
        merged = item.get("merged") is True
        out += from_contribution(login, repo, number, kind, merged=merged, reviews=1)
    return out


def counts_of(login: str, items: Iterable[object]) -> dict[str, int]:
    """One learner's totals, per metric, exactly as the OSPO view totals a person."""
    return person_totals(count(records_of(login, items), [login])[login])


def cohort_counts(
    learners: Mapping[str, Iterable[object]],
) -> tuple[dict[str, int], dict[str, dict[str, int]]]:
    """A cohort's totals (the sum of each learner's, as a team's) and per upstream."""
    records = [r for login, items in learners.items() for r in records_of(login, items)]
    table: dict[str, dict[str, Counts]] = count(records, learners)
    totals = dict.fromkeys(METRIC_KEYS, 0)
    for per_repo in table.values():
        for metric, value in person_totals(per_repo).items():
            totals[metric] = totals.get(metric, 0) + value
    return totals, upstream_totals(table)
