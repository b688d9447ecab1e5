"""The OSPO views against the practice forge over real HTTP, with real PyGithub requests."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest

from onboard.core.models import RepoRef
from onboard.core.ospo.counting import person_totals
from onboard.core.ospo.queries import METRIC_KEYS
from onboard.flows.ospo import Cost, count_contributions, upstream_needs
from onboard.forge.github import GitHubForge
from onboard.practice import PracticeForge
from tests.flows.ospo_fixtures import (
    TINY,
    add_team_activity,
    config,
    open_ospo_forge,
    quarter,
    team,
)


@pytest.fixture
def ospo_forge(tmp_path: Path, _seeded_forge_data: Path) -> Iterator[PracticeForge]:
    with open_ospo_forge(tmp_path, _seeded_forge_data) as forge:
        yield forge


UPSTREAMS = [
    RepoRef.parse("practice/old-calc"),
    RepoRef.parse(TINY),
    RepoRef.parse("practice/hello-docs"),
]


def test_a_teams_reviews_merged_prs_and_comments_are_counted_once_under_the_new_name(
    ospo_forge: PracticeForge,
) -> None:
    add_team_activity(ospo_forge)
    since, until = quarter()
    report = count_contributions(GitHubForge(config(ospo_forge)), team(), UPSTREAMS, since, until)
    assert report.renamed == {"practice/old-calc": TINY}
    assert report.upstreams == (TINY, "practice/hello-docs")
    mona = person_totals(report.table["ospo-mona"])
    assert mona == {
        "issues_opened": 1,
        "issues_commented": 1,
        "prs_opened": 1,
        "prs_merged": 1,
        "reviews": 0,
    }
    hubot = person_totals(report.table["ospo-hubot"])
    assert hubot["reviews"] == 1 and hubot["prs_opened"] == 1 and hubot["prs_merged"] == 0
    assert person_totals(report.table["ospo-idle"]) == dict.fromkeys(METRIC_KEYS, 0)
    rows = {row["login"]: row for row in report.person_rows()}
    searches = rows["ospo-hubot"]["searches"]
    assert isinstance(searches, dict)
    assert searches["reviews"][0].startswith("https://github.com/search?q=is%3Apr+reviewed-by")
    assert rows["ospo-mona"]["shared"] == ["https://blog.example/reviewing-well"]
    assert not rows["ospo-mona"]["lower_bound"]


def test_a_search_over_the_1000_cap_is_split_by_date_and_counts_every_issue(
    ospo_forge: PracticeForge,
) -> None:
    store = ospo_forge.store
    with store.batch():
        store.add_user("ospo-mona")
        for i in range(1003):
            store.add_issue(TINY, f"Report {i}", user="ospo-mona", created_days_ago=1 + i % 40)
    since, until = date.today() - timedelta(days=50), date.today()
    cost = Cost()
    report = count_contributions(
        GitHubForge(config(ospo_forge)), team(), [RepoRef.parse(TINY)], since, until, cost=cost
    )
    row = report.person_rows()[0]
    assert person_totals(report.table["ospo-mona"])["issues_opened"] == 1003
    assert row["lower_bound"] == []
    searches = row["searches"]
    assert isinstance(searches, dict) and len(searches["issues_opened"]) == 2  # two halves


def test_a_single_day_over_the_cap_is_a_lower_bound(ospo_forge: PracticeForge) -> None:
    store = ospo_forge.store
    with store.batch():
        store.add_user("ospo-mona")
        for i in range(1001):
            store.add_issue(TINY, f"Report {i}", user="ospo-mona", created_days_ago=0)
    today = date.today()
    report = count_contributions(
        GitHubForge(config(ospo_forge)), team(), [RepoRef.parse(TINY)], today, today
    )
    row = report.person_rows()[0]
    assert row["lower_bound"] == ["issues_opened"]
    assert person_totals(report.table["ospo-mona"])["issues_opened"] == 1000


def test_upstream_signals_are_measured_and_sorted_by_need(ospo_forge: PracticeForge) -> None:
    numbers = add_team_activity(ospo_forge)
    needs, upstreams = upstream_needs(GitHubForge(config(ospo_forge)), UPSTREAMS)
    assert upstreams.renamed == {"practice/old-calc": TINY}
    assert [n.score for n in needs] == sorted((n.score for n in needs), reverse=True)
    tiny = next(n for n in needs if n.repo == TINY)
    values = {s.key: s for s in tiny.signals}
    assert values["awaiting_review"].value.endswith("oldest 40 days")
    assert values["last_release"].value == "400 days ago"
    assert values["bus_factor"].value == "1"  # only ospo-mona's pull was merged in 90 days
    assert "review" in tiny.lanes
    assert values["last_commit"].enough_data
    docs = next(n for n in needs if n.repo == "practice/hello-docs")
    release = {s.key: s for s in docs.signals}["last_release"]
    assert release.value == "none published"
    assert numbers["waiting"] > 0


def test_a_rate_limited_search_leaves_not_enough_data_never_a_guess(
    ospo_forge: PracticeForge,
) -> None:
    add_team_activity(ospo_forge)
    ospo_forge.faults.add("rate_limit", path=r"^/search/", reset_in=600)
    needs, _ = upstream_needs(GitHubForge(config(ospo_forge)), [RepoRef.parse(TINY)])
    signals = {s.key: s for s in needs[0].signals}
    for key in ("awaiting_review", "unanswered", "bus_factor", "beginner_share"):
        assert signals[key].value == "not enough data" and not signals[key].enough_data
        assert signals[key].need == 0
    assert signals["last_release"].value == "400 days ago"  # not a search: still measured
    problems = needs[0].problems
    assert any(p.startswith("open issues not counted: ") for p in problems)
    assert any(p.startswith("pull requests awaiting review not counted: ") for p in problems)
    assert all("too many requests" in p for p in problems)
