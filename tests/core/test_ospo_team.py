"""The team file: strict, with file/key/expected in every error; hostile logins and links."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from onboard.core.ospo.team import TeamError, load_team, parse_team

GOOD = """
[groups]
platform = "Platform team"

[[person]]
login = "mona"
name = "Mona Lisa"
groups = ["platform"]
shared = ["https://blog.example/post", "http://talks.example/t/1"]

[[person]]
login = "quiet-one"
"""


def test_a_good_team_file_reads_people_groups_and_links() -> None:
    team = parse_team(GOOD)
    assert team.logins == ("mona", "quiet-one")
    assert team.people[0].shared == ("https://blog.example/post", "http://talks.example/t/1")
    assert team.groups == {"platform": "Platform team"}


@pytest.mark.parametrize(
    "login",
    [
        "mona lisa",
        "mona\x1b]0;pwned\x07",
        '"mona"',
        "-mona",
        "mona-",
        "mo--na",
        "a" * 40,
        "mona OR author:x",
        "",
    ],
)
def test_a_login_that_is_not_a_github_login_is_refused_with_the_key(login: str) -> None:
    text = f"[[person]]\nlogin = {json.dumps(login)}\n"
    with pytest.raises(TeamError) as caught:
        parse_team(text, "team.toml")
    message = str(caught.value)
    assert message.startswith("team.toml: person[0].login:")
    assert "expected 1-39 letters" in message
    assert "\x1b" not in message


@pytest.mark.parametrize(
    "link",
    [
        "javascript:alert(1)",
        "file:///etc/passwd",
        "https://ok.example/ two",
        "https://ok.example/\x1b[2J",
        "//no-scheme.example",
        "https://",
    ],
)
def test_only_http_links_are_knowledge_shared(link: str) -> None:
    text = f'[[person]]\nlogin = "mona"\nshared = [{json.dumps(link)}]\n'
    with pytest.raises(TeamError, match=r"team.toml: person\[0\]\.shared\[0\]: "):
        parse_team(text, "team.toml")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[[person]]\nlogin = 'a'\nlogn = 'b'\n", "unknown key 'logn'"),
        ("people = 1\n", "unknown key 'people'"),
        ("[groups]\n", "'person' must be one or more"),
        (
            "[[person]]\nlogin = 'a'\n[[person]]\nlogin = 'A'\n",
            "person[1].login: 'A' is listed twice",
        ),
        ("[[person]]\nlogin = 'a'\ngroups = 'x'\n", "person[0].groups: expected a list"),
        ("[[person]]\nlogin = 'a'\nname = 3\n", "person[0].name: expected a string"),
        ("[[person]\n", "not valid TOML"),
    ],
)
def test_bad_files_name_the_key_and_what_was_expected(text: str, expected: str) -> None:
    with pytest.raises(TeamError) as caught:
        parse_team(text, "team.toml")
    assert expected in str(caught.value)


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(TeamError, match="no such file"):
        load_team(tmp_path / "team.toml")


def test_the_shipped_example_team_file_is_valid() -> None:
    example = Path(__file__).resolve().parents[2] / "guides" / "ospo" / "team-example.toml"
    team = load_team(example)
    assert team.logins == ("sam-contrib", "alex-helper", "river-new")
    assert set(team.groups) == {"docs", "platform"}
