"""The searches that count a team's contributions, planned to GitHub's search limits.

GitHub's issue search takes at most 256 characters and five AND/OR/NOT operators, and returns
at most 1,000 results however large ``total_count`` is. A team's question ("what did Mona do
in these 50 projects this quarter?") is too big for one search, so it is planned as a few
searches per person and kind of contribution, each over as many ``repo:`` qualifiers as fit;
a search whose answer is capped (``total_count > 1000`` or ``incomplete_results``) is split in
two by date range (:func:`split`) until each half fits, and a one-day range that still does not
fit is kept as a *lower bound*, said as such. Every count links to a search anyone can open
(:func:`search_url`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from urllib.parse import urlencode

from onboard.core.models import RepoRef

MAX_QUERY = 256
MAX_OPERATORS = 5
RESULT_CAP = 1000
WEB_SEARCH = "https://github.com/search"


@dataclass(frozen=True)
class Metric:
    """One kind of contribution: its search terms (``{login}`` filled in) and the date it is
    ranged on. ``updated`` is the best GitHub offers for comments and reviews: search cannot
    range on when a comment or review was written, only on the issue's last activity."""

    key: str
    label: str
    terms: str
    date_field: str


METRICS: tuple[Metric, ...] = (
    Metric("issues_opened", "issues opened", "is:issue author:{login}", "created"),
    Metric(
        "issues_commented",
        "others' issues commented on",
        "is:issue commenter:{login} -author:{login}",
        "updated",
    ),
    Metric("prs_opened", "pull requests opened", "is:pr author:{login}", "created"),
    Metric("prs_merged", "pull requests merged", "is:pr is:merged author:{login}", "merged"),
    Metric(
        "reviews",
        "others' pull requests reviewed",
        "is:pr reviewed-by:{login} -author:{login}",
        "updated",
    ),
)
METRIC_KEYS = tuple(metric.key for metric in METRICS)


@dataclass(frozen=True)
class PlannedSearch:
    metric: Metric
    login: str
    repos: tuple[RepoRef, ...]
    since: date
    until: date

    @property
    def query(self) -> str:
        return build_query(self.metric, self.login, self.repos, self.since, self.until)

    @property
    def url(self) -> str:
        return search_url(self.query)


def date_range(since: date, until: date) -> str:
    return f"{since.isoformat()}..{until.isoformat()}"


def build_query(
    metric: Metric, login: str, repos: Sequence[RepoRef], since: date, until: date
) -> str:
    terms = metric.terms.format(login=login)
    scope = " ".join(f"repo:{repo.full_name}" for repo in repos)
    return f"{terms} {metric.date_field}:{date_range(since, until)} {scope}".strip()


def search_url(query: str) -> str:
    """The github.com search page that shows what ``query`` found, for anyone to check."""
    return f"{WEB_SEARCH}?{urlencode({'q': query, 'type': 'issues'})}"


def operators(query: str) -> int:
    return sum(1 for word in query.split() if word in ("AND", "OR", "NOT"))


def plan(
    logins: Sequence[str],
    repos: Sequence[RepoRef],
    since: date,
    until: date,
    metrics: Sequence[Metric] = METRICS,
) -> list[PlannedSearch]:
    """Every search needed: per person and metric, the repositories packed into as few
    queries as 256 characters allow. Raises ValueError for an empty or reversed range."""
    if until < since:
        raise ValueError(f"--until {until} is before --since {since}")
    unique = list(dict.fromkeys(repos))
    planned: list[PlannedSearch] = []
    for login in logins:
        for metric in metrics:
            batch: list[RepoRef] = []
            for repo in unique:
                trial = build_query(metric, login, [*batch, repo], since, until)
                if batch and len(trial) > MAX_QUERY:
                    planned.append(PlannedSearch(metric, login, tuple(batch), since, until))
                    batch = []
                if len(build_query(metric, login, [repo], since, until)) > MAX_QUERY:
                    raise ValueError(f"{repo.full_name}: name too long for one GitHub search")
                batch.append(repo)
            if batch:
                planned.append(PlannedSearch(metric, login, tuple(batch), since, until))
    for search in planned:
        assert len(search.query) <= MAX_QUERY and operators(search.query) <= MAX_OPERATORS
    return planned


def capped(total_count: int | None, incomplete: bool) -> bool:
    """True when GitHub's answer is not the whole result: the counts would be short."""
    return incomplete or (total_count is not None and total_count > RESULT_CAP)


def split(search: PlannedSearch) -> tuple[PlannedSearch, PlannedSearch] | None:
    """Two searches over the halves of ``search``'s date range, or None for a single day
    (which can be split no further: its count stays a lower bound)."""
    days = (search.until - search.since).days
    if days < 1:
        return None
    middle = search.since + timedelta(days=days // 2)
    return replace(search, until=middle), replace(search, since=middle + timedelta(days=1))
