"""The simulated maintainer answers a learner's pull request, end to end over real HTTP and git:
a welcome, changes requested with one line comment on the slip CI found, the fix pushed,
checks passing, an approval and a merge that a fresh ``git fetch upstream`` sees."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import requests

from onboard.core.contributions.live import (
    ChecksState,
    Outcome,
    ReviewDecision,
    summarize_pull,
)
from onboard.forge.base import ForgeConfig
from onboard.forge.github import GitHubForge
from onboard.practice import PracticeForge
from tests.practice.learner import git, open_learner_pull, replace_in

GUIDE = "docs/getting-started.md"


def slip(clone: Path) -> None:
    """Fix the typo, and leave a trailing space on its line: the slip CI is there to catch."""
    guide = clone / GUIDE
    lines = guide.read_text(encoding="utf-8").split("\n")
    lines = [f"{t.replace('recieve', 'receive')} " if "recieve" in t else t for t in lines]
    guide.write_text("\n".join(lines), encoding="utf-8")


def append(text: str) -> Callable[[Path], None]:
    def edit(clone: Path) -> None:
        guide = clone / GUIDE
        guide.write_text(guide.read_text(encoding="utf-8") + text, encoding="utf-8")

    return edit


def unslip(clone: Path) -> None:
    guide = clone / GUIDE
    lines = guide.read_text(encoding="utf-8").split("\n")
    guide.write_text("\n".join(t.rstrip(" ") for t in lines), encoding="utf-8")


def test_welcome_review_fix_approval_and_merge(
    practice_forge: PracticeForge, forge_config: ForgeConfig, tmp_path: Path
) -> None:
    client = GitHubForge(forge_config)
    pull = open_learner_pull(client, tmp_path, slip)
    learner = practice_forge.user
    slipped = next(
        n
        for n, text in enumerate((pull.clone / GUIDE).read_text().split("\n"), 1)
        if "receive" in text
    )

    facts = client.pull_facts(pull.repo, pull.number)
    live = summarize_pull(facts, learner, None, facts.created_at)
    assert {(r.name, r.conclusion) for r in facts.check_runs} == {
        ("practice-ci", "failure"),
        ("DCO", "success"),
    }
    [welcome] = facts.comments
    assert welcome.author == "maintainer-mia" and f"@{learner}" in welcome.body
    assert live.checks.state is ChecksState.FAILING
    assert live.checks.failing == ("practice-ci",)
    assert live.checks.failing_summary.startswith(f"{GUIDE}:{slipped}: trailing whitespace")
    assert live.review is ReviewDecision.CHANGES_REQUESTED
    [comment] = facts.review_comments
    assert (comment.author, comment.path, comment.line) == ("maintainer-mia", GUIDE, slipped)
    assert "trailing whitespace" in comment.body
    assert live.outcome is Outcome.OPEN

    pull.push(unslip, "Remove the trailing space")
    facts = client.pull_facts(pull.repo, pull.number)
    live = summarize_pull(facts, learner, None, facts.created_at)
    assert live.checks.state is ChecksState.PASSING
    assert [r.state for r in facts.reviews] == ["CHANGES_REQUESTED", "APPROVED"]
    assert live.review is ReviewDecision.APPROVED
    assert facts.merged and live.outcome is Outcome.MERGED
    assert [c.line for c in facts.review_comments] == [None]  # its line was fixed: outdated
    assert facts.comments[-1].body.startswith("Merged!")
    fixed = client.issue(pull.repo, 1)  # the pull says "Fixes #1": merging closed it, as GitHub
    assert fixed.state == "closed"
    page = requests.get(facts.url, timeout=10).text  # "open in browser" shows the review too
    assert "maintainer-mia reviewed (changes requested)" in page
    assert f"maintainer-mia on {GUIDE}, an outdated line" in page
    assert "Check practice-ci: success" in page

    # The git side: the base branch has a merge commit of the learner's head.
    git(
        "remote",
        "add",
        "upstream",
        practice_forge.git_url + "practice/hello-docs.git",
        cwd=pull.clone,
    )
    git("fetch", "-q", "upstream", cwd=pull.clone)
    parents = git("log", "-1", "--format=%P", "upstream/main", cwd=pull.clone).split()
    assert parents[1] == facts.head_sha
    merged_guide = git("show", f"upstream/main:{GUIDE}", cwd=pull.clone)
    assert "receive" in merged_guide and "recieve" not in merged_guide


def test_a_draft_is_welcomed_and_reviewed_only_once_ready(
    practice_forge: PracticeForge, forge_config: ForgeConfig, tmp_path: Path
) -> None:
    client = GitHubForge(forge_config)
    pull = open_learner_pull(client, tmp_path, replace_in(GUIDE, "recieve", "receive"), draft=True)
    facts = client.pull_facts(pull.repo, pull.number)
    assert len(facts.comments) == 1 and "draft" in facts.comments[0].body
    assert facts.reviews == ()
    assert {(r.name, r.conclusion) for r in facts.check_runs} == {
        ("practice-ci", "success"),
        ("DCO", "success"),
    }

    client.mark_ready_for_review(pull.repo, pull.number)
    facts = client.pull_facts(pull.repo, pull.number)
    assert [r.state for r in facts.reviews] == ["CHANGES_REQUESTED"]
    [comment] = facts.review_comments
    assert comment.path == GUIDE and comment.line is not None
    assert "wording" in comment.body
    assert not facts.merged


def test_nobody_answers_when_switched_off_and_seeded_pulls_are_not_followed(
    practice_forge: PracticeForge, forge_config: ForgeConfig, tmp_path: Path
) -> None:
    practice_forge.maintainer_delay = None
    client = GitHubForge(forge_config)
    pull = open_learner_pull(client, tmp_path, slip)
    facts = client.pull_facts(pull.repo, pull.number)
    assert facts.comments == facts.reviews == facts.check_runs == ()
    followed = practice_forge.store.followed_pulls()
    assert [(full, number) for full, number, _ in followed] == [
        ("practice/hello-docs", pull.number)
    ]


def test_with_a_delay_ci_shows_in_progress_first_and_the_maintainer_takes_turns(
    practice_forge: PracticeForge, forge_config: ForgeConfig, tmp_path: Path
) -> None:
    start = datetime.now(UTC)
    clock = [start]
    practice_forge.store.clock = lambda: clock[0]
    practice_forge.maintainer_delay = 10
    client = GitHubForge(forge_config)
    pull = open_learner_pull(client, tmp_path, slip)

    facts = client.pull_facts(pull.repo, pull.number)
    assert {(r.status, r.conclusion) for r in facts.check_runs} == {("in_progress", None)}
    assert facts.comments == facts.reviews == ()

    clock[0] = start + timedelta(seconds=10)
    facts = client.pull_facts(pull.repo, pull.number)
    assert {(r.name, r.conclusion) for r in facts.check_runs} == {
        ("practice-ci", "failure"),
        ("DCO", "success"),
    }
    assert len(facts.comments) == 1 and facts.reviews == ()

    clock[0] = start + timedelta(seconds=20)
    facts = client.pull_facts(pull.repo, pull.number)
    assert [r.state for r in facts.reviews] == ["CHANGES_REQUESTED"]
    assert facts.reviews[0].submitted_at == clock[0].replace(microsecond=0)


def test_a_commit_without_the_sign_off_hello_docs_asks_for_fails_dco_until_amended(
    practice_forge: PracticeForge, forge_config: ForgeConfig, tmp_path: Path
) -> None:
    client = GitHubForge(forge_config)
    pull = open_learner_pull(
        client, tmp_path, replace_in(GUIDE, "recieve", "receive"), signoff=False
    )
    facts = client.pull_facts(pull.repo, pull.number)
    live = summarize_pull(facts, practice_forge.user, None, facts.created_at)
    assert live.checks.failing == ("DCO",)
    assert "git commit --amend -s --no-edit" in live.checks.failing_summary
    assert "Signed-off-by" in facts.reviews[0].body

    git("commit", "-q", "--amend", "-s", "--no-edit", cwd=pull.clone)
    git("push", "-q", "--force-with-lease", "origin", pull.branch, cwd=pull.clone)
    facts = client.pull_facts(pull.repo, pull.number)
    assert summarize_pull(facts, practice_forge.user, None, facts.created_at).checks.state is (
        ChecksState.PASSING
    )
    assert facts.merged


def test_with_a_delay_the_maintainer_answers_on_its_timer_without_being_asked(
    practice_forge: PracticeForge, forge_config: ForgeConfig, tmp_path: Path
) -> None:
    # Real time on purpose: the timer is what is tested (a tick a second, a 0.1 s delay).
    practice_forge.maintainer_delay = 0.1
    pull = open_learner_pull(GitHubForge(forge_config), tmp_path, slip)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if practice_forge.store.reviews(pull.repo.full_name, pull.number):
            break
        time.sleep(0.1)
    assert [r["state"] for r in practice_forge.store.reviews(pull.repo.full_name, pull.number)] == [
        "CHANGES_REQUESTED"
    ]


def test_an_approved_pull_that_now_conflicts_is_merged_once_brought_up_to_date(
    practice_forge: PracticeForge, forge_config: ForgeConfig, tmp_path: Path
) -> None:
    client = GitHubForge(forge_config)
    first = open_learner_pull(
        client, tmp_path / "a", replace_in(GUIDE, "recieve", "receive"), branch="fix-a"
    )
    second = open_learner_pull(
        client, tmp_path / "b", replace_in(GUIDE, "recieve", "get"), branch="fix-b"
    )
    first.push(append("\nThanks for reading!\n"), "Thanks")
    assert client.pull_facts(first.repo, first.number).merged

    second.push(append("\nBye.\n"), "Bye")
    facts = client.pull_facts(second.repo, second.number)
    assert [r.state for r in facts.reviews] == ["CHANGES_REQUESTED", "APPROVED"]
    assert not facts.merged
    assert "git merge upstream/main" in facts.comments[-1].body

    git("fetch", "-q", practice_forge.git_url + "practice/hello-docs.git", "main", cwd=second.clone)
    git("merge", "-q", "-X", "ours", "FETCH_HEAD", "-m", "Merge main", cwd=second.clone)
    git("push", "-q", "origin", "fix-b", cwd=second.clone)
    facts = client.pull_facts(second.repo, second.number)
    live = summarize_pull(facts, practice_forge.user, None, facts.created_at)
    assert live.checks.state is ChecksState.PASSING  # the merge commit needs no sign-off
    assert facts.merged
