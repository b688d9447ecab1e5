"""``onboard --session FILE``: a broken session file stops before the app, naming the file and
the line; a practice session is recognised; web mode passes the session to every tab."""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

import pytest

from onboard.cli import main
from onboard.cli.serve import app_command
from onboard.cli.tui import load_guided_session

EXAMPLE = Path(__file__).parents[2] / "guides" / "sessions" / "workshop-example.toml"


def broken(tmp_path: Path) -> Path:
    text = EXAMPLE.read_text().replace('kind = "tests_ran"', 'kind = "tests_passed"')
    path = tmp_path / "workshop.toml"
    path.write_text(text)
    return path


@pytest.mark.parametrize(
    "argv",
    [
        ["--session", "{file}"],
        ["practice", "--session", "{file}"],
        ["serve", "--session", "{file}"],
    ],
)
def test_a_broken_session_file_stops_before_the_app_and_says_where(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    path = broken(tmp_path)
    assert main([arg.replace("{file}", str(path)) for arg in argv]) == 1
    err = capsys.readouterr().err
    assert f"cannot use the session file {path}" in err
    line = next(
        n for n, text in enumerate(path.read_text().splitlines(), 1) if "tests_passed" in text
    )
    assert f"workshop.toml:{line}" in err and "tests_passed" in err
    assert "onboard session validate" in err


def test_a_missing_session_file_is_one_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--session", str(tmp_path / "nope.toml")]) == 1
    assert "nope.toml" in capsys.readouterr().err


def test_a_session_on_practice_packs_needs_the_practice_forge() -> None:
    guided = load_guided_session(EXAMPLE)
    assert guided is not None and guided.needs_practice
    assert guided.session.id == "practice-workshop-example"


def test_every_web_tab_runs_the_session(tmp_path: Path) -> None:
    session = tmp_path / "my workshop.toml"
    command = app_command(practice_data=tmp_path / "data", session_file=session)
    argv = shlex.split(command.removeprefix("exec "))
    assert argv == [
        sys.executable,
        "-m",
        "onboard",
        "--session",
        str(session),
        "practice",
        "--data",
        str(tmp_path / "data"),
    ]
