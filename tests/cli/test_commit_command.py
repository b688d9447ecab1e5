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


def test_the_loop_with_onboard_commit_review_fix_approval_merge(
    working: tuple[PracticeForge, Path, str], tmp_path: Path
) -> None:
    """Edit on disk, `onboard commit` (signed off, as hello-docs asks), `onboard pr --ready`, the
    simulated maintainer's requested change, a fix committed and pushed, approval, merge."""
    from onboard.core.models import RepoRef
    from onboard.forge.base import ForgeConfig
    from onboard.forge.github import GitHubForge

    forge, clone, branch = working
    env = forge_env(forge)
    guide = clone / "docs" / "getting-started.md"
    guide.write_text(guide.read_text().replace("recieve", "receive"))
    assert run("commit", "--yes", cwd=clone, env=env).returncode == 0
    (tmp_path / "pr.md").write_text("Fixes #1\n\nThe guide now spells 'receive' right.\n")
    pr = run("pr", "--body-file", str(tmp_path / "pr.md"), "--ready", "--yes", cwd=clone, env=env)
    assert pr.returncode == 0, pr.stderr
    number = int(pr.stdout.strip().rsplit("/", 1)[-1])
    client = GitHubForge(ForgeConfig(api_url=forge.api_url, token=forge.token, practice=True))
    repo = RepoRef.parse(PROJECT)

    def review_states() -> list[str]:
        return [review.state for review in client.pull_facts(repo, number).reviews]

    assert review_states() == ["CHANGES_REQUESTED"]
    facts = client.pull_facts(repo, number)
    assert {check.name: check.conclusion for check in facts.check_runs}.get("DCO") == "success"

    guide.write_text(guide.read_text() + "\nThank you for reading.\n")
    fixed = run("commit", "--yes", cwd=clone, env=env)
    assert fixed.returncode == 0, fixed.stderr
    git(clone, "push", "-q", "origin", branch)
    for _ in range(5):  # the maintainer acts on reads: approval, then the merge
        facts = client.pull_facts(repo, number)
        if facts.merged:
            break
    assert "APPROVED" in [review.state for review in facts.reviews]
    assert facts.merged and facts.state == "closed"
