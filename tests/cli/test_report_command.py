"""``onboard report`` as a learner uses it: a real practice-forge journey saved in the real
progress file, exported by the command (in-process, through ``main``); nothing secret or
outside the workspace leaks."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest

from onboard.core.journey import Journey
from onboard.core.sessions.progress import SessionEvent
from onboard.core.storage.state import StateStore
from onboard.flows.setup import SetupFlow
from onboard.forge.base import ForgeConfig
from onboard.forge.github import GitHubForge
from tests.cli_runner import run_onboard as onboard

REPO_ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = REPO_ROOT / "guides" / "sessions" / "workshop-example.toml"
FAKE_TOKEN = "ghp_" + "Z9y8X7w6V5u4T3s2R1q0" * 2


@pytest.fixture
def journey(forge_config: ForgeConfig, state_store: StateStore, isolated_home: Path) -> Journey:
    """The learner joined the workshop and set up practice/hello-docs for real."""
    state_store.join_session("practice-workshop-example", "Workshop")
    chosen = Journey()
    chosen.choose("practice/hello-docs")
    workspace = isolated_home / "onboard-projects"
    return SetupFlow(GitHubForge(forge_config), state_store, workspace).run(
        chosen, lambda _event: None
    )


def test_json_report_of_a_real_journey(
    journey: Journey, state_store: StateStore, isolated_home: Path
) -> None:
    state_store.record_event(SessionEvent.tests_ran(0))
    result = onboard("report", "--session", str(EXAMPLE), "--format", "json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["format"] == "onboard-report/1"
    assert report["learner"]["name"] == "Test Learner"  # git user.name; no email
    assert set(report["learner"]) == {"name", "id"}  # the id counts a learner once in a cohort
    assert report["session"]["id"] == "practice-workshop-example"
    done = [c["id"] for c in report["checkpoints"] if c["done"]]
    assert done == ["chosen", "cloned", "tests"]
    assert report["projects"][0]["clone"] == "practice/hello-docs"
    assert str(isolated_home) not in result.stdout
    assert "learner@practice.invalid" not in result.stdout

    # Times are the first time each checkpoint was seen: the same in every later report.
    again = json.loads(onboard("report", "--session", str(EXAMPLE), "--format", "json").stdout)
    assert again["checkpoints"] == report["checkpoints"]
    assert state_store.session_progress("practice-workshop-example").checkpoints


def test_email_only_with_include_email(journey: Journey) -> None:
    result = onboard("report", "--session", str(EXAMPLE), "--format", "json", "--include-email")
    assert json.loads(result.stdout)["learner"]["email"] == "learner@practice.invalid"


def test_format_follows_the_output_file(journey: Journey, tmp_path: Path) -> None:
    for name, check in (
        ("me.toml", lambda text: tomllib.loads(text)["format"] == "onboard-report/1"),
        ("me.json", lambda text: json.loads(text)["format"] == "onboard-report/1"),
        ("me.md", lambda text: text.startswith("# Progress report: Test Learner")),
    ):
        output = tmp_path / name
        result = onboard("report", "--session", str(EXAMPLE), "--output", str(output))
        assert result.returncode == 0, result.stderr
        assert "send it to your mentor" in result.stdout
        assert check(output.read_text()), name


def test_without_a_session_file_the_joined_session_is_reported(journey: Journey) -> None:
    result = onboard("report", "--format", "json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["session"] == {
        "id": "practice-workshop-example",
        "title": "Workshop",
        "starts_at": None,
        "joined_at": report["session"]["joined_at"],
    }
    assert len(report["checkpoints"]) == 11  # every kind, without the mentor's file


def test_no_session_at_all_still_reports(isolated_home: Path) -> None:
    result = onboard("report")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("# Progress report: Test Learner")
    assert "Self-guided journey" in result.stdout


def test_tokens_and_hostile_text_never_come_out(journey: Journey, state_store: StateStore) -> None:
    state_store.record_event(
        SessionEvent.stuck(
            "clone",
            "technical-hurdles",
            f"\x1b]52;c;ZXZpbA==\x07 GH_TOKEN={FAKE_TOKEN} <img src=x> [a](javascript:x)",
        )
    )
    env = {"GH_TOKEN": "a-token-of-unusual-shape-123"}
    state_store.record_event(SessionEvent("note", text="a-token-of-unusual-shape-123"))
    for fmt in ("md", "json", "toml"):
        result = onboard("report", "--session", str(EXAMPLE), "--format", fmt, env=env)
        assert result.returncode == 0, result.stderr
        assert FAKE_TOKEN not in result.stdout
        assert "a-token-of-unusual-shape-123" not in result.stdout
        assert "\x1b" not in result.stdout and "\x07" not in result.stdout
        assert "[token removed]" in result.stdout.replace("\\", "")
    markdown = onboard("report", "--session", str(EXAMPLE), env=env).stdout
    assert "&lt;img src=x&gt; \\[a\\](javascript:x)" in markdown


def test_an_invalid_session_file_is_explained(tmp_path: Path) -> None:
    broken = tmp_path / "s.toml"
    broken.write_text(EXAMPLE.read_text().replace("format = 1", "format = 2"))
    result = onboard("report", "--session", str(broken))
    assert result.returncode == 1
    assert f"{broken}:4: format: expected 1, got 2" in result.stderr
    assert result.stdout == ""


def test_offline_report_does_not_ask_the_fork(journey: Journey) -> None:
    result = onboard("report", "--session", str(EXAMPLE), "--offline", "--format", "json")
    assert result.returncode == 0, result.stderr
