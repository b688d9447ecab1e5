"""Keep the fork in sync: bring the project's new commits into the local and forked default branch.

Only fast-forwards: a newcomer's default branch should never hold their own commits (work goes on
a branch), so anything else is reported, not merged or forced.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from onboard.workspace.gitenv import GIT_ENV, WorkspaceError, load_git
from onboard.workspace.repo import git_reason, open_repo


@dataclass(frozen=True)
class SyncResult:
    branch: str
    new_commits: int
    pushed: bool

    @property
    def summary(self) -> str:
        if not self.new_commits:
            return f"{self.branch} is already up to date with upstream."
        plural = "s" if self.new_commits != 1 else ""
        where = " and on your fork" if self.pushed else ""
        return f"{self.new_commits} new commit{plural} from upstream on {self.branch}{where}."


def sync_with_upstream(
    path: Path, default_branch: str, *, upstream: str = "upstream", origin: str = "origin"
) -> SyncResult:
    repo = open_repo(path)
    git = load_git()
    target = f"{upstream}/{default_branch}"
    try:
        repo.git.fetch(upstream, default_branch, env=GIT_ENV)
        if default_branch not in [head.name for head in repo.heads]:
            repo.git.branch("--track", default_branch, target)
            new = int(repo.git.rev_list("--count", f"{origin}/{default_branch}..{target}"))
        else:
            new = int(repo.git.rev_list("--count", f"{default_branch}..{target}"))
            _fast_forward(repo, default_branch, target)
    except git.GitCommandError as error:
        raise WorkspaceError(
            f"git could not bring {default_branch} up to date: {git_reason(error)}"
        ) from error
    if new == 0 and _same_commit(repo, default_branch, f"{origin}/{default_branch}"):
        return SyncResult(default_branch, 0, False)
    try:
        repo.git.push(origin, f"{default_branch}:{default_branch}", env=GIT_ENV)
    except git.GitCommandError as error:
        raise WorkspaceError(
            f"Your local {default_branch} is up to date, but git could not push it to your fork: "
            f"{git_reason(error)}"
        ) from error
    return SyncResult(default_branch, new, True)


def _fast_forward(repo: Any, branch: str, target: str) -> None:
    git = load_git()
    try:
        repo.git.merge_base("--is-ancestor", branch, target)
    except git.GitCommandError:
        raise WorkspaceError(
            f"Your {branch} has commits that upstream does not, so it cannot simply be updated. "
            f"Keep your own work on a separate branch; to start {branch} over from upstream: "
            f"git switch {branch} && git reset --hard {target}"
        ) from None
    if not repo.head.is_detached and repo.active_branch.name == branch:
        repo.git.merge("--ff-only", target, env=GIT_ENV)
    else:
        repo.git.branch("-f", branch, target)


def _same_commit(repo: Any, a: str, b: str) -> bool:
    git = load_git()
    try:
        return repo.git.rev_parse(a) == repo.git.rev_parse(b)
    except git.GitCommandError:
        return False
