"""A quarterly contributions report: the counts, the searches behind them, what is a bound.

Every number must be checkable, so each person's metric keeps the search URLs that produced it,
and a metric any of whose searches hit GitHub's 1,000-result cap is marked a lower bound.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from onboard.core.ospo.counting import Counts, person_totals, upstream_totals
from onboard.core.ospo.queries import METRIC_KEYS
from onboard.core.ospo.team import Team


@dataclass
class Evidence:
    """For one person and metric: the searches asked, and whether any answer was capped."""

    urls: list[str] = field(default_factory=list)
    lower_bound: bool = False
    failed: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ContributionsReport:
    team: Team
    since: date
    until: date
    upstreams: tuple[str, ...]
    table: dict[str, dict[str, Counts]]
    evidence: dict[tuple[str, str], Evidence]
    #: Upstreams given under an old name: old -> new (counted under the new one, once).
    renamed: dict[str, str] = field(default_factory=dict)

    def person_rows(self) -> list[dict[str, object]]:
        """One row per person (team file order), with totals, links to searches and bounds."""
        rows: list[dict[str, object]] = []
        for person in self.team.people:
            per_repo = self.table.get(person.login, {})
            totals = person_totals(per_repo)
            rows.append(
                {
                    "login": person.login,
                    "name": person.name,
                    "groups": list(person.groups),
                    "counts": totals,
                    "lower_bound": [
                        m for m in METRIC_KEYS if self._evidence(person.login, m).lower_bound
                    ],
                    "searches": {m: self._evidence(person.login, m).urls for m in METRIC_KEYS},
                    "failed": sorted(
                        {f for m in METRIC_KEYS for f in self._evidence(person.login, m).failed}
                    ),
                    "upstreams": {
                        repo: {m: counts.total(m) for m in METRIC_KEYS}
                        for repo, counts in sorted(per_repo.items())
                        if any(counts.total(m) for m in METRIC_KEYS)
                    },
                    "shared": list(person.shared),
                }
            )
        return rows

    def upstream_rows(self) -> dict[str, dict[str, int]]:
        return upstream_totals(self.table)

    def _evidence(self, login: str, metric: str) -> Evidence:
        return self.evidence.get((login, metric), Evidence())
