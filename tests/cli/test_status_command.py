"""``onboard status``: a recorded claim and a pull request, refreshed from the practice forge
over real HTTP, as plain lines and as ``--json``; offline, the last answer with its age."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

from onboard.core.contributions.record import ContributionKind, ContributionRecord
from onboard.core.storage import paths
from onboard.core.storage.state import StateStore
from onboard.forge.base import ForgeConfig
from onboard.forge.github import GitHubForge
from onboard.practice import PracticeForge
from tests.cli.test_cli import forge_env
from tests.cli_runner import run_onboard as run
from tests.practice.learner import open_learner_pull, replace_in

PROJECT = "practice/hello-docs"


def record_both(forge: PracticeForge, where: Path) -> tuple[int, int]:
    """A claim on a new issue (with a maintainer's answer) and the learner's pull request
    for it (pushed with real git; changes requested), recorded as the app records them."""
    forge.maintainer_delay = None  # the test plays the maintainer
    store = forge.store
    issue = store.get_issue(PROJECT, 1)  # the seeded typo; the pull below says "Fixes #1"
    store.add_comment(PROJECT, 1, "I'd like to work on this!", "learner")
    store.add_comment(PROJECT, 1, "Go ahead \x1b[31m[b]thanks[/b]", "maintainer-mia")
    client = GitHubForge(ForgeConfig(api_url=forge.api_url, token=forge.token, practice=True))
    fix = replace_in("docs/getting-started.md", "recieve", "receive")
    pull = {"number": open_learner_pull(client, where, fix).number}
    store.add_review(PROJECT, pull["number"], "maintainer-mia", "CHANGES_REQUESTED", "One thing")
    key = urlsplit(forge.api_url).netloc
    state = StateStore(paths.state_path())
    when = datetime.now(UTC) - timedelta(days=2)
    base = f"{forge.api_url.replace('/api/v3', '')}/{PROJECT}"
    state.record_contribution(
        key,
        ContributionRecord(
            ContributionKind.CLAIM, PROJECT, issue["number"], f"{base}/issues/1", "Typo", when
        ),
    )
    state.record_contribution(
        key,
        ContributionRecord(
            ContributionKind.PULL,
            PROJECT,
            pull["number"],
            f"{base}/pull/{pull['number']}",
            "Fix the typo",
            when + timedelta(hours=1),
            issue=issue["number"],
        ),
    )
    return issue["number"], pull["number"]


def test_status_json_shows_the_claim_and_the_pull_with_their_state(
    practice_forge: PracticeForge, tmp_path: Path
) -> None:
    issue, pull = record_both(practice_forge, tmp_path)
    ran = run("status", "--json", env=forge_env(practice_forge))
    assert ran.returncode == 0, ran.stderr
    rows = json.loads(ran.stdout)
    by_kind = {row["kind"]: row for row in rows}
    assert set(by_kind) == {"claim", "pull"}
    for row in rows:
        for key in ("repo", "number", "kind", "state", "url", "checks", "review", "updated_at"):
            assert key in row, key
        assert row["repo"] == PROJECT and row["state"] == "open"
    claim, pr = by_kind["claim"], by_kind["pull"]
    assert claim["number"] == issue and claim["replies_since"] == 1
    assert claim["linked_pull"] == pull  # the learner's own pull request, seen in the timeline
    assert pr["number"] == pull and pr["review"] == "changes requested"
    assert pr["updated_at"] and "Changes requested" in pr["next_step"]

    plain = run("status", env=forge_env(practice_forge))
    assert plain.returncode == 0, plain.stderr
    assert f"pull  open    {PROJECT}#{pull}" in plain.stdout
    assert "review changes requested" in plain.stdout
    assert "\x1b" not in plain.stdout and practice_forge.token not in plain.stdout


def test_status_offline_shows_the_last_answer_and_says_so(
    practice_forge: PracticeForge, tmp_path: Path
) -> None:
    record_both(practice_forge, tmp_path)
    env = forge_env(practice_forge)
    assert run("status", "--json", env=env).returncode == 0
    url = practice_forge.api_url
    practice_forge.stop()
    ran = run("status", "--json", env={**env, "GITHUB_API_URL": url})
    assert ran.returncode == 0, ran.stderr
    rows = json.loads(ran.stdout)
    assert {row["state"] for row in rows} == {"open"}  # the last answer, not "unknown"
    assert all(row["error"] for row in rows)
    assert "shown from the last answer" in ran.stderr


def test_status_with_nothing_ever_answered_offline_fails_in_one_line(
    practice_forge: PracticeForge, tmp_path: Path
) -> None:
    record_both(practice_forge, tmp_path)
    env = forge_env(practice_forge)
    practice_forge.stop()
    ran = run("status", env=env)
    assert ran.returncode == 1
    assert len(ran.stderr.strip().splitlines()) == 1 and ran.stderr.startswith("onboard: ")


def test_status_without_contributions_says_what_to_do_first(
    practice_forge: PracticeForge,
) -> None:
    ran = run("status", env=forge_env(practice_forge))
    assert ran.returncode == 0
    assert "No claims or pull requests yet" in ran.stdout
    assert run("status", "--bogus").returncode == 2
    assert run("status", "--quiet-days", "0").returncode == 2


def test_quiet_days_are_saved_and_used(practice_forge: PracticeForge) -> None:
    key = urlsplit(practice_forge.api_url).netloc
    practice_forge.store.add_comment(PROJECT, 1, "I'd like to work on this!", "learner")
    state = StateStore(paths.state_path())
    long_ago = datetime.now(UTC) - timedelta(days=5)
    state.record_contribution(
        key, ContributionRecord(ContributionKind.CLAIM, PROJECT, 1, "http://x/1", "T", long_ago)
    )
    env = forge_env(practice_forge)
    [row] = json.loads(run("status", "--json", env=env).stdout)
    assert row["quiet_days"] is None  # 5 days is not quiet yet by default (7)
    [row] = json.loads(run("status", "--json", "--quiet-days", "3", env=env).stdout)
    assert row["quiet_days"] == 5 and "polite ping" in row["next_step"]
    assert state.quiet_days() == 3


def test_the_whole_loop_from_the_command_line_to_the_first_merge(
    practice_forge: PracticeForge, tmp_path: Path
) -> None:
    """#13's loop with nothing but commands and git: set up, branch, edit on disk, commit with
    the sign-off the practice project asks for, open a pull request ready for review; the
    practice maintainer requests a change; fix and push; ``status`` sees the merge, and the
    report's ``first_pr_merged`` checkpoint is reached."""
    env = forge_env(practice_forge)
    setup = run("setup", PROJECT, "--yes", env=env)
    assert setup.returncode == 0, setup.stderr
    clone = Path(setup.stdout.splitlines()[-1])
    assert run("work", f"{PROJECT}#1", env=env).returncode == 0
    guide = clone / "docs" / "getting-started.md"
    guide.write_text(guide.read_text().replace("recieve", "receive"))
    git(clone, "commit", "-qsam", "Fix the spelling of 'receive'")
    (tmp_path / "pr.md").write_text("Fixes #1\n\nThe guide now spells 'receive' right.\n")
    pr = run("pr", "--body-file", str(tmp_path / "pr.md"), "--ready", "--yes", cwd=clone, env=env)
    assert pr.returncode == 0, pr.stderr

    [row] = json.loads(run("status", "--json", env=env).stdout)
    assert (row["kind"], row["state"], row["review"]) == ("pull", "open", "changes requested")
    [comment] = row["review_comments"]
    assert comment["path"] and isinstance(comment["line"], int)

    guide.write_text(guide.read_text() + "\nThanks for reading!\n")
    git(clone, "commit", "-qsam", "Answer the review")
    git(clone, "push", "-q", "origin", "HEAD")
    [row] = json.loads(run("status", "--json", env=env).stdout)
    assert row["state"] == "merged", row
    assert "Merged" in run("status", env=env).stdout

    report = run("report", "--format", "json", "--offline", env=env)
    assert report.returncode == 0, report.stderr
    checkpoints = {c["kind"]: c for c in json.loads(report.stdout)["checkpoints"]}
    assert checkpoints["first_pr_merged"]["done"], checkpoints["first_pr_merged"]
    assert json.loads(report.stdout)["counts"]["prs_merged"] == 1


def git(clone: Path, *args: str) -> str:
    import subprocess

    done = subprocess.run(["git", *args], cwd=clone, check=True, capture_output=True, text=True)
    return done.stdout
