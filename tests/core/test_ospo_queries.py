"""Search planning within GitHub's limits, date splitting for the 1,000 cap, checkable URLs."""

from __future__ import annotations

from datetime import date
from urllib.parse import parse_qs, urlsplit

import pytest

from onboard.core.models import RepoRef
from onboard.core.ospo.queries import (
    MAX_QUERY,
    METRICS,
    capped,
    operators,
    plan,
    search_url,
    split,
)

SINCE, UNTIL = date(2026, 7, 1), date(2026, 9, 30)


def _repos(n: int) -> list[RepoRef]:
    return [RepoRef("some-long-organisation-name", f"project-number-{i}") for i in range(n)]


def test_fifty_upstreams_are_packed_into_few_queries_within_the_limits() -> None:
    searches = plan(["mona"], _repos(50), SINCE, UNTIL)
    assert all(len(s.query) <= MAX_QUERY and operators(s.query) <= 5 for s in searches)
    covered = {(s.metric.key, r) for s in searches for r in s.repos}
    assert covered == {(m.key, r) for m in METRICS for r in _repos(50)}
    per_metric = len(searches) // len(METRICS)
    assert 1 < per_metric < 50  # packed, but more than one query is needed


def test_each_query_names_the_person_the_range_and_the_metric() -> None:
    search = plan(["mona"], [RepoRef("a", "b")], SINCE, UNTIL)
    queries = {s.metric.key: s.query for s in search}
    assert queries["reviews"] == (
        "is:pr reviewed-by:mona -author:mona updated:2026-07-01..2026-09-30 repo:a/b"
    )
    assert queries["prs_merged"].startswith("is:pr is:merged author:mona merged:2026-07-01..")


def test_the_same_repo_twice_is_searched_once() -> None:
    searches = plan(["mona"], [RepoRef("a", "b"), RepoRef("a", "b")], SINCE, UNTIL)
    assert all(s.repos == (RepoRef("a", "b"),) for s in searches)


def test_a_reversed_range_is_refused() -> None:
    with pytest.raises(ValueError, match="before --since"):
        plan(["mona"], _repos(1), UNTIL, SINCE)


def test_the_search_url_opens_the_same_query_on_github() -> None:
    url = search_url("is:pr author:mona repo:a/b")
    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "github.com", "/search")
    assert parse_qs(parts.query) == {"q": ["is:pr author:mona repo:a/b"], "type": ["issues"]}


def test_capped_answers_are_detected() -> None:
    assert capped(1001, False) and capped(10, True)
    assert not capped(1000, False) and not capped(None, False)


def test_a_capped_search_splits_by_date_until_a_single_day() -> None:
    search = plan(["mona"], _repos(1), SINCE, UNTIL)[0]
    halves = split(search)
    assert halves is not None
    first, second = halves
    assert first.since == SINCE and second.until == UNTIL
    assert (second.since - first.until).days == 1
    day = plan(["mona"], _repos(1), SINCE, SINCE)[0]
    assert split(day) is None
