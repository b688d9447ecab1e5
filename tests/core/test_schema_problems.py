"""The machinery guide packs and session files share: one mistake reads the same in both, and
the defensive reader and the check order behave the same whoever calls them."""

from __future__ import annotations

from pathlib import Path

import pytest

from onboard.core.packs.validation import PACK_FILE, validate_pack
from onboard.core.schemas.problems import (
    Problem,
    check_toml,
    format_key,
    read_text,
    unknown,
)
from onboard.core.sessions.validation import SCHEMA_PATH, validate_session_source

PACK = """\
format = 1
name = "mine"
title = "My pack"
forge = "github"

[[projects]]
repo = "pallets/flask"
"""

SESSION = """\
format = 1
id = "spring-cohort"
title = "Spring cohort"
packs = ["practice"]

[[checkpoints]]
id = "chosen"
kind = "project-chosen"
"""


def _pack_problems(tmp_path: Path, text: str) -> list[Problem]:
    folder = tmp_path / "pack"
    folder.mkdir()
    (folder / PACK_FILE).write_text(text, encoding="utf-8")
    return validate_pack(folder).problems


def test_a_misspelt_key_gets_the_same_suggestion_in_a_pack_and_a_session(tmp_path: Path) -> None:
    pack = _pack_problems(tmp_path, PACK.replace('title = "My pack"', 'titel = "My pack"'))
    session = validate_session_source(
        SESSION.replace('title = "Spring cohort"', 'titel = "Spring cohort"'), tmp_path / "s.toml"
    ).problems
    pack_message = next(p.message for p in pack if p.key == "titel")
    session_message = next(p.message for p in session if p.key == "titel")
    assert pack_message == session_message == "unknown key 'titel'; did you mean 'title'?"
    assert [p.line for p in pack if p.key == "titel"] == [3]
    assert [p.line for p in session if p.key == "titel"] == [3]


@pytest.mark.parametrize(("subject", "text"), [("a pack", PACK), ("a session", SESSION)])
def test_credential_keys_are_refused_in_the_callers_words(
    tmp_path: Path, subject: str, text: str
) -> None:
    text = 'token = "ghp_x"\n' + text
    found = (
        _pack_problems(tmp_path, text)
        if subject == "a pack"
        else validate_session_source(text, tmp_path / "s.toml").problems
    )
    refused = [p for p in found if p.key == "token"]
    assert len(refused) == 1  # the schema's "unknown key" is not said as well
    assert refused[0].message.startswith(f"{subject} may not set the API host")


def test_a_pack_toml_that_is_a_folder_says_so(tmp_path: Path) -> None:
    (tmp_path / "pack" / PACK_FILE).mkdir(parents=True)
    problems = validate_pack(tmp_path / "pack").problems
    assert [p.message for p in problems] == ["is a folder; expected a text file"]


def test_read_text_names_what_was_expected(tmp_path: Path) -> None:
    problems: list[Problem] = []
    missing = tmp_path / "missing.toml"
    assert read_text(missing, problems, max_bytes=10, expected="x", missing="not here") is None
    big = tmp_path / "big.toml"
    big.write_text("a" * 11)
    assert read_text(big, problems, max_bytes=10, expected="x", missing="") is None
    fine = tmp_path / "fine.toml"
    fine.write_text("é = 1\n", encoding="utf-8")
    assert read_text(fine, problems, max_bytes=10, expected="x", missing="") == "é = 1\n"
    assert [p.message for p in problems] == ["not here", "too large; expected at most 10 bytes"]


def test_rules_are_skipped_for_keys_the_schema_already_reported(tmp_path: Path) -> None:
    source = SESSION.replace('id = "spring-cohort"', "id = 7")

    def rules(data: object) -> list[tuple[tuple[str | int, ...], str, str]]:
        return [(("id",), "said by a rule", "error"), (("title",), "about the title", "warning")]

    data, problems = check_toml(
        source, tmp_path / "s.toml", subject="a session", schema_path=SCHEMA_PATH, rules=rules
    )
    assert data is not None and data["id"] == 7
    by_key = {p.key: p for p in problems}
    assert "said by a rule" not in by_key["id"].message
    assert str(by_key["title"]) == f"{tmp_path / 's.toml'}:3: warning: title: about the title"


def test_too_deep_input_returns_no_data(tmp_path: Path) -> None:
    source = "a = " + "{b = " * 40 + "1" + "}" * 40 + "\n"
    data, problems = check_toml(
        source, tmp_path / "s.toml", subject="x", schema_path=SCHEMA_PATH, rules=lambda _: []
    )
    assert data is None
    assert all("nesting is too deep" in p.message for p in problems)


def test_format_key_and_unknown() -> None:
    assert format_key(("projects", 0, "lanes", "docs")) == "projects[0].lanes.docs"
    assert unknown("zzz", ["code", "docs"], "lane") == (
        "unknown lane 'zzz'; expected one of: code, docs"
    )
