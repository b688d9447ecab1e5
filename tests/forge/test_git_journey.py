"""The whole journey over real sockets: fork via PyGithub, clone/push with real git, open a PR."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import github
import pytest
import requests

from onboard.practice import PRACTICE_USER, PracticeForge


def git(
    *args: str, cwd: Path | None = None, check: bool = True
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0"}
    identity = ["-c", "user.name=Test Learner", "-c", "user.email=learner@practice.invalid"]
    return subprocess.run(
        ["git", *identity, *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=check,
    )


def test_fork_clone_push_and_open_a_pull_request(
    forge: PracticeForge, gh: github.Github, tmp_path: Path
) -> None:
    upstream = gh.get_repo("practice/hello-docs")
    fork = upstream.create_fork()
    assert fork.full_name == f"{PRACTICE_USER}/hello-docs"
    assert fork.fork is True
    assert fork.parent.full_name == "practice/hello-docs"
    assert fork.source.full_name == "practice/hello-docs"
    assert fork.has_issues is False
    assert fork.owner.login == PRACTICE_USER
    assert fork.permissions.admin is True
    assert upstream.create_fork().full_name == fork.full_name  # forking twice returns the fork
    assert gh.get_repo("practice/hello-docs").forks_count == 1

    clone = tmp_path / "hello-docs"
    git("clone", "-q", fork.clone_url, str(clone))
    assert (clone / "CONTRIBUTING.md").exists()
    log = git("log", "--format=%an <%ae>|%s", cwd=clone).stdout.splitlines()
    assert len(log) == 5
    assert all(
        line.startswith("Practice Maintainer <maintainer@practice.invalid>|") for line in log
    )

    git("switch", "-q", "-c", "fix-typo", cwd=clone)
    guide = clone / "docs" / "getting-started.md"
    guide.write_text(guide.read_text().replace("recieve", "receive"))
    git("commit", "-q", "-am", "Fix a typo in the getting-started guide", cwd=clone)
    git("push", "-q", "origin", "fix-typo", cwd=clone)

    # Pushing straight to the upstream project is refused at connection time, as GitHub's 403
    # is (so even `git push --dry-run` finds out); onboard explains it in plain words.
    denied = git("push", upstream.clone_url, "fix-typo", cwd=clone, check=False)
    assert denied.returncode != 0
    assert "service not enabled" in denied.stderr
    dry_run = git("push", "--dry-run", upstream.clone_url, "fix-typo", cwd=clone, check=False)
    assert dry_run.returncode != 0

    pr = upstream.create_pull(
        title="Fix a typo in the getting-started guide",
        body="Fixes #1",
        head=f"{PRACTICE_USER}:fix-typo",
        base="main",
    )
    assert pr.number == 11  # shares numbering with the ten seeded issues and pull requests
    assert pr.state == "open" and pr.draft is False
    assert pr.head.ref == "fix-typo"
    assert pr.head.label == f"{PRACTICE_USER}:fix-typo"
    assert pr.head.repo.full_name == fork.full_name
    assert pr.head.sha == git("rev-parse", "HEAD", cwd=clone).stdout.strip()
    assert pr.base.ref == "main" and pr.base.repo.full_name == "practice/hello-docs"
    assert (pr.commits, pr.additions, pr.deletions, pr.changed_files) == (1, 1, 1, 1)
    assert pr.html_url.endswith("/practice/hello-docs/pull/11")
    assert pr.raw_data["author_association"] == "FIRST_TIME_CONTRIBUTOR"

    assert [p.number for p in upstream.get_pulls()] == [11]
    assert [p.number for p in upstream.get_pulls(head=f"{PRACTICE_USER}:fix-typo")] == [11]
    as_issue = upstream.get_issue(11)
    assert as_issue.pull_request is not None
    assert as_issue.html_url.endswith("/pull/11")
    assert upstream.get_pull(11).title == pr.title

    # GitHub keeps the head in the base repository as refs/pull/N/head.
    fetched = git("ls-remote", upstream.clone_url, "refs/pull/11/head", cwd=clone).stdout
    assert fetched.split()[0] == pr.head.sha

    with pytest.raises(github.GithubException) as duplicate:
        upstream.create_pull(title="Again", body="", head=f"{PRACTICE_USER}:fix-typo", base="main")
    assert duplicate.value.status == 422
    assert "already exists" in duplicate.value.data["errors"][0]["message"]


def test_invalid_head_or_base_is_422(
    forge: PracticeForge, gh: github.Github, http: requests.Session
) -> None:
    upstream = gh.get_repo("practice/tiny-calc")
    upstream.create_fork()
    with pytest.raises(github.GithubException) as info:
        upstream.create_pull(title="Nope", body="", head=f"{PRACTICE_USER}:no-such", base="main")
    assert info.value.status == 422
    assert info.value.data["errors"] == [
        {"resource": "PullRequest", "field": "head", "code": "invalid"}
    ]
    response = http.post(
        f"{forge.api_url}/repos/practice/tiny-calc/pulls",
        json={"title": "x", "head": f"{PRACTICE_USER}:main", "base": "main"},
        headers={"Authorization": f"token {forge.token}"},
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["message"] == "No commits between main and main"
    bad_base = http.post(
        f"{forge.api_url}/repos/practice/tiny-calc/pulls",
        json={"title": "x", "head": "main", "base": "nope"},
        headers={"Authorization": f"token {forge.token}"},
    )
    assert bad_base.json()["errors"][0]["field"] == "base"
    anonymous = http.post(f"{forge.api_url}/repos/practice/tiny-calc/pulls", json={})
    assert anonymous.status_code == 401


def test_fork_supports_partial_clone_and_upstream_pull_refs(
    forge: PracticeForge, gh: github.Github, tmp_path: Path
) -> None:
    fork = gh.get_repo("practice/tiny-calc").create_fork(default_branch_only=True)
    partial = tmp_path / "partial"
    git("clone", "-q", "--filter=blob:none", fork.clone_url, str(partial))
    assert git("config", "remote.origin.promisor", cwd=partial).stdout.strip() == "true"
    assert (partial / "src" / "tiny_calc" / "stats.py").exists()
    # The seeded pull request's head lives in the upstream repo, ready to review.
    review = tmp_path / "review"
    git("clone", "-q", gh.get_repo("practice/tiny-calc").clone_url, str(review))
    git("fetch", "-q", "origin", "pull/5/head:pr-5", cwd=review)
    ops = git("show", "pr-5:src/tiny_calc/ops.py", cwd=review).stdout
    assert "cannot divide" in ops


def test_seeded_bug_is_real(forge: PracticeForge, tmp_path: Path) -> None:
    """tiny-calc's average() really skips the last number, so the fix is a real fix."""
    clone = tmp_path / "tiny-calc"
    git("clone", "-q", f"{forge.git_url}practice/tiny-calc.git", str(clone))
    result = subprocess.run(
        [
            "python",
            "-c",
            "import sys; sys.path.insert(0, 'src'); from tiny_calc import average; "
            "print(average([2, 4, 6]))",
        ],
        cwd=clone,
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == "2.0"


def test_fork_with_a_name_and_default_branch_only(
    forge: PracticeForge, http: requests.Session
) -> None:
    auth = {"Authorization": f"token {forge.token}"}
    api = forge.api_url
    # sam-contrib's fork has an extra branch; forking it copies every branch unless told not to.
    full = http.post(f"{api}/repos/sam-contrib/tiny-calc/forks", headers=auth)
    assert full.status_code == 202
    assert full.json()["source"]["full_name"] == "practice/tiny-calc"
    assert full.json()["parent"]["full_name"] == "sam-contrib/tiny-calc"
    branches = http.get(f"{api}/repos/{PRACTICE_USER}/tiny-calc/branches", headers=auth).json()
    assert {b["name"] for b in branches} == {"main", "friendlier-divide-error"}
    # One fork per network: forking upstream now hands back the same fork.
    again = http.post(f"{api}/repos/practice/tiny-calc/forks", headers=auth)
    assert again.json()["full_name"] == f"{PRACTICE_USER}/tiny-calc"

    named = http.post(
        f"{api}/repos/practice/kind-words/forks",
        json={"name": "my-kind-words", "default_branch_only": True},
        headers=auth,
    )
    assert named.status_code == 202
    assert named.json()["full_name"] == f"{PRACTICE_USER}/my-kind-words"
    names = http.get(f"{api}/repos/{PRACTICE_USER}/my-kind-words/branches", headers=auth).json()
    assert [b["name"] for b in names] == ["main"]
    mine = http.get(f"{api}/user/repos", headers=auth).json()
    assert [r["name"] for r in mine] == ["my-kind-words", "tiny-calc"]
    anonymous = http.post(f"{api}/repos/practice/kind-words/forks")
    assert anonymous.status_code == 401
