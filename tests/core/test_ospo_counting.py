"""Counting per person and upstream; signals of need; the three renderings."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date, datetime, timedelta

import pytest

from onboard.core.ospo.counting import (
    Record,
    count,
    from_contribution,
    person_totals,
    upstream_totals,
)
from onboard.core.ospo.render import (
    contributions_csv,
    contributions_json,
    contributions_markdown,
    csv_cell,
    upstreams_csv,
    upstreams_markdown,
)
from onboard.core.ospo.report import ContributionsReport, Evidence
from onboard.core.ospo.signals import NOT_ENOUGH, UpstreamFacts, by_need, signals
from onboard.core.ospo.team import parse_team

NOW = datetime(2026, 10, 1, tzinfo=UTC)


def test_counts_per_person_and_upstream_each_thing_once() -> None:
    records = [
        Record("mona", "a/b", 1, "pr", "author", merged=True),
        Record("mona", "a/b", 1, "pr", "author", merged=True),  # seen by two searches
        Record("Mona", "A/B", 2, "issue", "author"),
        Record("mona", "a/b", 3, "issue", "commenter"),
        Record("hubot", "a/b", 1, "pr", "reviewer"),
        Record("hubot", "c/d", 9, "pr", "reviewer"),
    ]
    table = count(records, ["mona", "hubot", "idle"])
    assert table["idle"] == {}
    assert person_totals(table["mona"]) == {
        "issues_opened": 1,
        "issues_commented": 1,
        "prs_opened": 1,
        "prs_merged": 1,
        "reviews": 0,
    }
    assert person_totals(table["hubot"])["reviews"] == 2
    assert upstream_totals(table)["a/b"]["reviews"] == 1
    assert list(upstream_totals(table)) == ["a/b", "c/d"]


def test_a_learners_own_record_counts_the_same_way_as_the_forge() -> None:
    mine = [
        *from_contribution("mona", "a/b", 1, "pr", "closed", merged=True),
        *from_contribution("mona", "a/b", 7, "review", "open", reviews=2),
        *from_contribution("mona", "a/b", 8, "review", "open", reviews=0),
    ]
    forge = [
        Record("mona", "a/b", 1, "pr", "author", merged=True),
        Record("mona", "a/b", 7, "pr", "reviewer"),
    ]
    assert person_totals(count(mine)["mona"]) == person_totals(count(forge)["mona"])


def test_unknown_facts_say_not_enough_data_and_add_no_need() -> None:
    need = signals(UpstreamFacts("a/b"), NOW)
    assert need.score == 0
    assert all(s.value == NOT_ENOUGH and not s.enough_data for s in need.signals)
    assert all(s.how for s in need.signals)
    assert need.lanes == ()


def test_a_neglected_upstream_ranks_first_with_review_and_triage_lanes() -> None:
    old = NOW - timedelta(days=40)
    neglected = UpstreamFacts(
        "x/neglected",
        awaiting_review=(old, old, NOW),
        unanswered_issues=6,
        open_issues=10,
        mergers_90d=1,
        last_commit=NOW - timedelta(days=200),
        release_known=True,
        last_release=None,
        beginner_issues=2,
    )
    healthy = UpstreamFacts(
        "a/healthy",
        awaiting_review=(),
        unanswered_issues=0,
        open_issues=10,
        mergers_90d=5,
        last_commit=NOW,
        release_known=True,
        last_release=NOW,
        beginner_issues=0,
    )
    ranked = by_need(
        [signals(healthy, NOW), signals(neglected, NOW), signals(UpstreamFacts("z/unknown"), NOW)]
    )
    assert [n.repo for n in ranked] == ["x/neglected", "a/healthy", "z/unknown"]
    top = ranked[0]
    assert top.lanes[:2] == ("review", "triage")
    values = {s.key: s.value for s in top.signals}
    assert values["awaiting_review"] == "3, oldest 40 days"
    assert values["unanswered"] == "6 of 10"
    assert values["beginner_share"] == "2 of 10 (20%)"
    assert values["last_release"] == "none published"


@pytest.mark.parametrize("bad", ["=HYPERLINK(1)", "+1", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_csv_cells_cannot_start_a_formula(bad: str) -> None:
    assert csv_cell(bad) == "'" + bad
    assert csv_cell("mona") == "mona"


def _report() -> ContributionsReport:
    team = parse_team(
        '[[person]]\nlogin = "mona"\nname = "=cmd|x"\nshared = ["https://b.example/[x](y)"]\n'
        '[[person]]\nlogin = "idle"\n'
    )
    table = count([Record("mona", "a/b", 1, "pr", "reviewer")], team.logins)
    evidence = {("mona", "reviews"): Evidence(["https://github.com/search?q=x&type=issues"], True)}
    return ContributionsReport(
        team, date(2026, 7, 1), date(2026, 9, 30), ("a/b",), table, evidence, {"old/b": "a/b"}
    )


def test_renderings_carry_counts_bounds_links_and_guard_hostile_text() -> None:
    report = _report()
    rows = list(csv.reader(io.StringIO(contributions_csv(report))))
    assert rows[0][:2] == ["login", "name"]
    assert rows[1][1] == "'=cmd|x" and rows[1][7:9] == ["1", "reviews"]
    assert rows[2][3:8] == ["0"] * 5
    data = json.loads(contributions_json(report))
    assert data["people"][0]["counts"]["reviews"] == 1
    assert data["people"][0]["lower_bound"] == ["reviews"]
    assert data["renamed"] == {"old/b": "a/b"}
    md = contributions_markdown(report)
    assert "[≥1](<https://github.com/search?q=x&type=issues>)" in md
    assert "[x](y)" not in md  # a link text cannot be injected through the shared link
    assert "old/b → a/b" in md


def test_upstream_renderings_say_how_each_signal_was_computed() -> None:
    needs = [signals(UpstreamFacts("a/b", unanswered_issues=1, open_issues=2), NOW)]
    md = upstreams_markdown(needs)
    assert "not enough data" in md and "comments:0" in md
    rows = list(csv.reader(io.StringIO(upstreams_csv(needs))))
    assert rows[0][:3] == ["repo", "need", "lanes"] and rows[1][0] == "a/b"


def test_an_unknown_contribution_kind_is_refused() -> None:
    with pytest.raises(ValueError, match="expected one of pr, issue, review, comment"):
        from_contribution("mona", "a/b", 1, "tweet")
