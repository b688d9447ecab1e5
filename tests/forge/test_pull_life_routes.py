"""The endpoints of a pull request's life answer PyGithub in GitHub's shapes: review comments
(on diff lines only), reviews with line comments, combined status, check runs, merging."""

from __future__ import annotations

from pathlib import Path

import github
import pytest

from onboard.forge.base import ForgeConfig
from onboard.forge.github import GitHubForge
from onboard.practice import PracticeForge
from tests.forge.conftest import make_client
from tests.practice.learner import LearnerPull, git, open_learner_pull, replace_in

GUIDE = "docs/getting-started.md"


@pytest.fixture
def pull(practice_forge: PracticeForge, forge_config: ForgeConfig, tmp_path: Path) -> LearnerPull:
    practice_forge.maintainer_delay = None  # the tests play the maintainer themselves
    practice_forge.store.add_token("maintainer-mia", "mia-token")
    return open_learner_pull(
        GitHubForge(forge_config), tmp_path, replace_in(GUIDE, "recieve", "receive")
    )


def fixed_line(pull: LearnerPull) -> int:
    lines = (pull.clone / GUIDE).read_text().split("\n")
    return next(n for n, text in enumerate(lines, 1) if "receive" in text)


def test_a_review_with_a_line_comment_and_its_comments_list(
    practice_forge: PracticeForge, pull: LearnerPull
) -> None:
    mia = make_client(practice_forge, "mia-token")
    pr = mia.get_repo("practice/hello-docs").get_pull(pull.number)
    line = fixed_line(pull)
    review = pr.create_review(
        body="One thing:",
        event="REQUEST_CHANGES",
        comments=[{"path": GUIDE, "line": line, "body": "Maybe *get* instead?"}],
    )
    assert review.state == "CHANGES_REQUESTED"
    [comment] = pr.get_review_comments()
    assert (comment.path, comment.line, comment.original_line, comment.side) == (
        GUIDE,
        line,
        line,
        "RIGHT",
    )
    assert comment.user.login == "maintainer-mia" and comment.body == "Maybe *get* instead?"
    assert comment.commit_id == pr.head.sha and comment.pull_request_review_id == review.id
    assert comment.html_url.endswith(f"/pull/{pull.number}#discussion_r{comment.id}")
    assert comment.created_at is not None
    assert mia.get_repo("practice/hello-docs").get_pull(pull.number).review_comments == 1

    with pytest.raises(github.GithubException) as off_diff:
        pr.create_review(
            body="Not here", event="COMMENT", comments=[{"path": GUIDE, "line": 900, "body": "?"}]
        )
    assert off_diff.value.status == 422
    assert "must be part of the diff" in str(off_diff.value.data["errors"])


def test_combined_status_and_check_runs_of_the_head(
    practice_forge: PracticeForge, pull: LearnerPull
) -> None:
    mia = make_client(practice_forge, "mia-token")
    repo = mia.get_repo("practice/hello-docs")
    head = repo.get_pull(pull.number).head.sha
    commit = repo.get_commit(head)
    empty = commit.get_combined_status()
    assert (empty.state, empty.total_count, empty.sha) == ("pending", 0, head)
    assert commit.get_check_runs().totalCount == 0

    commit.create_status("failure", description="2 words misspelled", context="spelling")
    commit.create_status("success", description="All good now", context="spelling")
    combined = commit.get_combined_status()
    assert combined.state == "success"
    assert [(s.context, s.state, s.description) for s in combined.statuses] == [
        ("spelling", "success", "All good now")
    ]

    run = practice_forge.store.add_check_run("practice/hello-docs", head, "practice-ci")
    practice_forge.store.update_check_run(
        "practice/hello-docs",
        run["id"],
        status="completed",
        conclusion="failure",
        output={"title": "Trailing whitespace", "summary": f"{GUIDE}:3: trailing whitespace"},
    )
    [check] = commit.get_check_runs()
    assert (check.name, check.status, check.conclusion) == ("practice-ci", "completed", "failure")
    assert check.output.summary == f"{GUIDE}:3: trailing whitespace"
    assert check.head_sha == head and check.completed_at is not None

    with pytest.raises(github.GithubException) as unknown:
        repo.get_commit("f" * 40).get_combined_status()
    assert unknown.value.status == 422


def test_merging_is_for_maintainers_and_lands_in_git(
    practice_forge: PracticeForge, pull: LearnerPull
) -> None:
    learner = make_client(practice_forge)
    theirs = learner.get_repo("practice/hello-docs").get_pull(pull.number)
    assert theirs.is_merged() is False
    with pytest.raises(github.GithubException) as refused:
        theirs.merge()
    assert refused.value.status == 403

    mia = make_client(practice_forge, "mia-token")
    pr = mia.get_repo("practice/hello-docs").get_pull(pull.number)
    with pytest.raises(github.GithubException) as moved:
        pr.merge(sha="0" * 40)
    assert moved.value.status == 409
    status = pr.merge()
    assert status.merged is True and len(status.sha) == 40
    again = mia.get_repo("practice/hello-docs").get_pull(pull.number)
    assert again.merged and again.is_merged() and again.state == "closed"
    assert again.merged_by.login == "maintainer-mia" and again.merge_commit_sha == status.sha
    with pytest.raises(github.GithubException) as twice:
        again.merge()
    assert twice.value.status == 405

    git("fetch", "-q", practice_forge.git_url + "practice/hello-docs.git", "main", cwd=pull.clone)
    assert git("rev-parse", "FETCH_HEAD", cwd=pull.clone).strip() == status.sha


def test_a_draft_cannot_be_merged(
    practice_forge: PracticeForge, forge_config: ForgeConfig, tmp_path: Path
) -> None:
    practice_forge.maintainer_delay = None
    practice_forge.store.add_token("maintainer-mia", "mia-token")
    draft = open_learner_pull(
        GitHubForge(forge_config), tmp_path, replace_in(GUIDE, "recieve", "receive"), draft=True
    )
    mia = make_client(practice_forge, "mia-token")
    with pytest.raises(github.GithubException) as refused:
        mia.get_repo("practice/hello-docs").get_pull(draft.number).merge()
    assert refused.value.status == 405
