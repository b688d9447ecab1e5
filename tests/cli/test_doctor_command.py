"""``onboard doctor``: against the practice forge, offline, and as a real process where the
process is the point (a PATH without git, a terminal that cannot print ✓)."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from onboard.core.journey import Journey
from onboard.core.storage.state import StateStore
from onboard.practice import PracticeForge
from tests.cli_runner import Ran, run_onboard

PROJECTS = Path(__file__).resolve().parents[1] / "data" / "projects"


def run(*args: str, env: dict[str, str] | None = None) -> Ran:
    """``onboard doctor ARGS`` in this process."""
    return run_onboard("doctor", *args, env=env)


def process(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """``onboard doctor ARGS`` as a real process, with ``env`` on top of this one's."""
    return subprocess.run(
        [sys.executable, "-m", "onboard", "doctor", *args],
        capture_output=True,
        text=True,
        timeout=90,
        env={**os.environ, "PYTHONIOENCODING": "utf-8", **env},
        check=False,
    )


def forge_env(forge: PracticeForge) -> dict[str, str]:
    return {"GITHUB_API_URL": forge.api_url, "GH_TOKEN": forge.token}


def lines_starting(output: str, prefix: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith(prefix)]


def test_ready_machine_against_the_practice_forge() -> None:
    result = run(str(PROJECTS / "python-pyproject"), "--practice")
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    assert lines_starting(out, "✓ git: 2.")
    assert "✓ Your name and email for commits: Test Learner <learner@practice.invalid>" in out
    assert lines_starting(out, "✓ Connection to practice forge: practice forge answers; ")
    assert "✓ Signed in to practice forge: signed in as learner" in out
    assert "✓ Token may fork and push: scopes: repo, read:org." in out
    assert lines_starting(out, "✓ Python (python3): ")
    assert out.rstrip().endswith("Ready: nothing failed.")


def test_json_report(practice_forge: PracticeForge) -> None:
    result = run(str(PROJECTS / "go"), "--json", env=forge_env(practice_forge))
    report = json.loads(result.stdout)
    ids = [check["id"] for check in report["checks"]]
    assert ids[:6] == ["git", "git-identity", "forge", "token", "token-scopes", "project"]
    assert "tool-go" in ids
    assert report["project"] == str(PROJECTS / "go")
    statuses = {check["id"]: check["status"] for check in report["checks"]}
    assert statuses["token"] == "ok"
    assert report["ready"] is (result.returncode == 0)
    assert report["ready"] is (statuses["tool-go"] != "fail")
    assert all(set(c) == {"id", "title", "status", "detail", "fix"} for c in report["checks"])


def test_missing_git_fails_with_how_to_install(
    practice_forge: PracticeForge, tmp_path: Path
) -> None:
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    # A real process: a machine without git is a whole process whose PATH has none.
    result = process(env={**forge_env(practice_forge), "PATH": str(empty)})
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    out = result.stdout
    assert "✗ git: git is not installed" in out
    fix = out.split("✗ git:", 1)[1].splitlines()[1]
    assert fix.startswith("    To install git: ")
    assert "sudo apt install git" in fix or "brew install git" in fix or "winget" in fix
    assert "- Your name and email for commits: needs git first." in out
    assert "✓ Signed in to GitHub" not in out  # the label follows GITHUB_API_URL
    assert practice_forge.token not in out


def test_unreachable_forge_fails_with_practice_hint() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = run(env={"GITHUB_API_URL": f"http://127.0.0.1:{port}"})
    assert result.returncode == 1
    assert "✗ Connection to 127.0.0.1:" in result.stdout
    assert "onboard practice" in result.stdout
    assert "! Signed in to 127.0.0.1" in result.stdout  # no token: advice, not a failure


def test_folder_that_does_not_exist(practice_forge: PracticeForge, tmp_path: Path) -> None:
    result = run(str(tmp_path / "nope"), env=forge_env(practice_forge))
    assert result.returncode == 1
    assert "✗ Project: " in result.stdout
    assert "is not a folder" in result.stdout


def test_defaults_to_the_journeys_clone_and_its_pack_steps(
    practice_forge: PracticeForge, isolated_home: Path
) -> None:
    clone = isolated_home / "onboard-projects" / "practice" / "tiny-calc"
    shutil.copytree(PROJECTS / "python-pyproject", clone)
    store = StateStore(isolated_home / ".local" / "share" / "onboard" / "state.json")
    journey = Journey(project="practice/tiny-calc", fork="learner/tiny-calc", clone_path=str(clone))
    host = practice_forge.api_url.split("//", 1)[1].split("/", 1)[0]
    store.save_journey(host, journey)
    result = run(env=forge_env(practice_forge))
    assert "✓ Project: ~/onboard-projects/practice/tiny-calc needs Python" in result.stdout
    # practice/tiny-calc is a practice-pack project: its steps only count on the practice forge
    assert "guide pack" not in result.stdout
    result = run("--practice")
    assert "no project chosen yet" in result.stdout
    store.save_journey("practice", journey)
    result = run("--practice")
    assert "✓ Project: ~/onboard-projects/practice/tiny-calc" in result.stdout
    assert (
        "✓ Programs the guide pack's setup runs: nothing beyond the checks above." in result.stdout
    )
    assert "python is not installed" not in result.stdout


def test_path_in_the_workspace_names_its_pack_project(isolated_home: Path) -> None:
    clone = isolated_home / "onboard-projects" / "practice" / "tiny-calc"
    clone.mkdir(parents=True)
    result = run(str(clone), "--practice")
    assert (
        "✓ Programs the guide pack's setup runs: nothing beyond the checks above." in result.stdout
    )
    assert "python is not installed" not in result.stdout


def test_hostile_project_files_are_printed_inert(
    practice_forge: PracticeForge, tmp_path: Path
) -> None:
    project = tmp_path / "hostile"
    project.mkdir()
    (project / ".nvmrc").write_text("\x1b]52;c;cHduZWQ=\x07\x1b[2J99\n")
    result = run(str(project), env=forge_env(practice_forge))
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout
    assert "Node.js (node)" in result.stdout


@pytest.mark.parametrize("encoding", ["ascii", "cp1252"])
def test_terminal_without_unicode_gets_ascii_marks(
    encoding: str, practice_forge: PracticeForge
) -> None:
    """A real process: the interpreter picks its output encoding when it starts.

    A Go project fails its toolchain check here (no Go), so the failure mark is printed too; a
    Python project would add the real venv check, which other tests make.
    """
    result = process(
        str(PROJECTS / "go"),
        env={**forge_env(practice_forge), "PYTHONIOENCODING": encoding},
    )
    assert "Traceback" not in result.stderr
    assert lines_starting(result.stdout, "ok git: ")
    assert lines_starting(result.stdout, "X Go (go): ") or lines_starting(
        result.stdout, "ok Go (go): "
    )


def test_help_lists_doctor() -> None:
    helped = run_onboard("--help")
    assert helped.returncode == 0
    assert "doctor" in helped.stdout
