"""``onboard ospo upstreams`` and ``onboard ospo contributions`` against the practice forge."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from onboard.practice import PracticeForge
from tests.cli_runner import run_onboard
from tests.flows.ospo_fixtures import TEAM_TOML, TINY, add_team_activity, open_ospo_forge, quarter


@pytest.fixture
def ospo_forge(tmp_path: Path, _seeded_forge_data: Path) -> Iterator[PracticeForge]:
    with open_ospo_forge(tmp_path, _seeded_forge_data) as forge:
        yield forge


@pytest.fixture
def env(ospo_forge: PracticeForge, tmp_path: Path) -> dict[str, str]:
    add_team_activity(ospo_forge)
    return {
        "GITHUB_API_URL": ospo_forge.api_url,
        "GH_TOKEN": ospo_forge.token,
        "ONBOARD_PYPI_URL": "http://127.0.0.1:9/",  # never reached: the list names repos
        "ONBOARD_NPM_URL": "http://127.0.0.1:9/",
    }


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    team = tmp_path / "team.toml"
    team.write_text(TEAM_TOML, encoding="utf-8")
    upstreams = tmp_path / "upstreams.txt"
    upstreams.write_text(f"# ours\npractice/old-calc\n{TINY}\n", encoding="utf-8")
    return team, upstreams


def test_contributions_as_csv_count_each_person_and_link_nothing_hostile(
    env: dict[str, str], files: tuple[Path, Path]
) -> None:
    team, upstreams = files
    since, until = quarter()
    ran = run_onboard(
        "ospo",
        "contributions",
        "--team",
        str(team),
        "--since",
        str(since),
        "--until",
        str(until),
        "--upstreams",
        str(upstreams),
        "--format",
        "csv",
        env=env,
    )
    assert ran.returncode == 0, ran.stderr
    rows = {row["login"]: row for row in csv.DictReader(io.StringIO(ran.stdout))}
    assert rows["ospo-mona"]["prs_merged"] == "1"
    assert rows["ospo-hubot"]["reviews"] == "1"
    assert rows["ospo-idle"]["issues_opened"] == "0"


def test_contributions_as_json_say_the_rename_and_the_searches(
    env: dict[str, str], files: tuple[Path, Path]
) -> None:
    team, upstreams = files
    since, _ = quarter()
    ran = run_onboard(
        "ospo",
        "contributions",
        "--team",
        str(team),
        "--since",
        str(since),
        "--upstreams",
        str(upstreams),
        "--json",
        env=env,
    )
    assert ran.returncode == 0, ran.stderr
    data = json.loads(ran.stdout)
    assert data["renamed"] == {"practice/old-calc": TINY}
    assert data["upstreams"] == [TINY]
    mona = data["people"][0]
    assert mona["upstreams"][TINY]["issues_commented"] == 1
    assert all(u.startswith("https://github.com/search?q=") for u in mona["searches"]["reviews"])


def test_upstreams_in_markdown_with_how_each_signal_was_computed(
    env: dict[str, str], files: tuple[Path, Path]
) -> None:
    _, upstreams = files
    ran = run_onboard("ospo", "upstreams", str(upstreams), "--format", "md", env=env)
    assert ran.returncode == 0, ran.stderr
    assert f"## {TINY} (need " in ran.stdout
    assert "waiting for a first review" in ran.stdout and "review:none" in ran.stdout
    assert "renamed to practice/tiny-calc" in ran.stderr


@pytest.mark.parametrize(
    ("team_text", "expected"),
    [
        ('[[person]]\nlogin = "x y"\n', "person[0].login: 'x y' is not a GitHub login"),
        ('[[person]]\nlogin = "ok"\nshared = ["javascript:alert(1)"]\n', "is not an http(s) link"),
    ],
)
def test_a_bad_team_file_is_one_line_and_exit_1(
    tmp_path: Path, team_text: str, expected: str
) -> None:
    team = tmp_path / "team.toml"
    team.write_text(team_text, encoding="utf-8")
    ran = run_onboard("ospo", "contributions", "--team", str(team), "--since", "2026-01-01")
    assert ran.returncode == 1
    assert expected in ran.stderr and len(ran.stderr.strip().splitlines()) == 1


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    team = tmp_path / "team.toml"
    team.write_text(TEAM_TOML, encoding="utf-8")
    bad_date = run_onboard("ospo", "contributions", "--team", str(team), "--since", "July")
    assert bad_date.returncode == 2 and "expected YYYY-MM-DD" in bad_date.stderr
    reversed_range = run_onboard(
        "ospo",
        "contributions",
        "--team",
        str(team),
        "--since",
        "2026-09-01",
        "--until",
        "2026-01-01",
    )
    assert reversed_range.returncode == 2 and "before --since" in reversed_range.stderr
