"""``onboard commit`` on the practice forge, with real git: the project's sign-off, the drafted
message, the preview only with a terminal, and one line on stderr for what cannot be done."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from onboard.practice import PracticeForge
from tests.cli.test_cli import forge_env
from tests.cli.test_journey_commands import PROJECT, git, set_up
from tests.cli_runner import run_onboard as run


@pytest.fixture
def working(practice_forge: PracticeForge) -> tuple[PracticeForge, Path, str]:
    """Set up, with a branch for hello-docs#1 (which asks for a DCO sign-off)."""
    _ran, clone = set_up(practice_forge)
    ran = run("work", f"{PROJECT}#1", env=forge_env(practice_forge))
    assert ran.returncode == 0, ran.stderr
    return practice_forge, clone, ran.stdout.strip()


def test_commit_signs_off_as_the_project_asks_and_prints_the_id(
    working: tuple[PracticeForge, Path, str], tmp_path: Path
) -> None:
    forge, clone, branch = working
    nothing = run("commit", "--yes", cwd=clone, env=forge_env(forge))
    assert (nothing.returncode, nothing.stderr) == (
        1,
        "onboard: Nothing to commit: change and save a file in your clone first.\n",
    )
    guide = clone / "docs" / "getting-started.md"
    guide.write_text(guide.read_text().replace("recieve", "receive"))
    asked = run("commit", cwd=clone, env=forge_env(forge))  # no terminal, no --yes: usage
    assert asked.returncode == 2 and "pass --yes" in asked.stderr
    assert git(clone, "status", "--porcelain")  # nothing was committed

    ran = run("commit", "--yes", "--json", cwd=clone, env=forge_env(forge))
    assert ran.returncode == 0, ran.stderr
    made = json.loads(ran.stdout)
    assert made["sha"] == git(clone, "rev-parse", "HEAD") and made["branch"] == branch
    assert made["files"] == ["docs/getting-started.md"] and made["signed_off"] is True
    message = git(clone, "log", "-1", "--format=%B")
    assert message.startswith('Fix a typo in the getting-started guide: "recieve"')
    assert "\n\nFixes #1\n\nSigned-off-by: Test Learner <learner@practice.invalid>" in message

    (clone / "docs" / "index.md").write_text("# Welcome, all\n")
    (tmp_path / "msg.txt").write_text("Welcome everyone on the home page\n")
    own = run(
        "commit",
        "--yes",
        "--message-file",
        str(tmp_path / "msg.txt"),
        cwd=clone,
        env=forge_env(forge),
    )
    assert own.returncode == 0, own.stderr
    assert own.stdout.strip() == git(clone, "rev-parse", "HEAD")
    assert git(clone, "log", "-1", "--format=%B") == (
        "Welcome everyone on the home page\n\n"
        "Signed-off-by: Test Learner <learner@practice.invalid>"
    )


def test_commit_outside_the_clone_says_where_to_go(
    working: tuple[PracticeForge, Path, str], tmp_path: Path
) -> None:
    forge, _clone, _branch = working
    ran = run("commit", "--yes", cwd=tmp_path, env=forge_env(forge))
    assert ran.returncode == 1
    assert ran.stderr.startswith("onboard: Run `onboard commit` inside your clone of practice/")
