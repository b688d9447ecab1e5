"""A learner's pull request on the practice forge, made the way a learner makes one: fork
through the adapter, clone and push with real git, open the pull through the adapter."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from onboard.core.models import RepoRef
from onboard.forge.github import GitHubForge

Edit = Callable[[Path], None]


def git(*args: str, cwd: Path | None = None) -> str:
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0"}
    identity = ["-c", "user.name=Test Learner", "-c", "user.email=learner@practice.invalid"]
    done = subprocess.run(
        ["git", *identity, *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return done.stdout


@dataclass
class LearnerPull:
    client: GitHubForge
    repo: RepoRef
    clone: Path
    branch: str
    number: int

    def push(self, edit: Edit, message: str, *, signoff: bool = True) -> str:
        """Change the clone, commit (signed off, as practice/hello-docs asks) and push to the
        fork; the new head's sha."""
        edit(self.clone)
        git("commit", "-q", *(["-s"] if signoff else []), "-am", message, cwd=self.clone)
        git("push", "-q", "origin", self.branch, cwd=self.clone)
        return git("rev-parse", "HEAD", cwd=self.clone).strip()


def replace_in(path: str, old: str, new: str) -> Edit:
    def edit(clone: Path) -> None:
        target = clone / path
        text = target.read_text(encoding="utf-8")
        assert old in text, f"{old!r} is not in {path}"
        target.write_text(text.replace(old, new, 1), encoding="utf-8")

    return edit


def open_learner_pull(
    client: GitHubForge,
    where: Path,
    edit: Edit,
    *,
    repo: str = "practice/hello-docs",
    branch: str = "fix-typo",
    draft: bool = False,
    signoff: bool = True,
) -> LearnerPull:
    ref = RepoRef.parse(repo)
    fork = client.fork(ref)
    clone = where / ref.name
    git("clone", "-q", fork.clone_url, str(clone))
    git("switch", "-q", "-c", branch, cwd=clone)
    pull = LearnerPull(client, ref, clone, branch, 0)
    pull.push(edit, "Fix a typo in the getting-started guide", signoff=signoff)
    created = client.create_pull(
        ref,
        head=f"{fork.repo.owner}:{branch}",
        base="main",
        title="Fix a typo in the getting-started guide",
        body="Fixes #1",
        draft=draft,
    )
    pull.number = created.number
    return pull
