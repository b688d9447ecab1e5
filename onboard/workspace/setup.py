"""Remotes and branches: turning a fresh clone of a fork into a ready working copy.

Each function is idempotent, so a setup interrupted half way (quit, crash, network drop) can
simply be run again and picks up where it stopped.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from onboard.core.models import RepoRef
from onboard.workspace.gitenv import GIT_ENV, WorkspaceError, load_git
from onboard.workspace.repo import git_reason, open_repo, push_reason, same_remote


def clone_path_for(root: Path, repo: RepoRef) -> Path:
    """Where a project's clone goes: ``ROOT/OWNER/NAME`` of the *upstream* project."""
    return root / repo.owner / repo.name


def set_remote(path: Path, name: str, url: str) -> None:
    """Make remote ``name`` point at ``url``, adding it or correcting a stale URL."""
    repo = open_repo(path)
    try:
        if name in [remote.name for remote in repo.remotes]:
            remote = repo.remote(name)
            if not same_remote(remote.url, url):
                remote.set_url(url)
        else:
            repo.create_remote(name, url)
    except load_git().GitCommandError as error:
        raise WorkspaceError(
            f"git could not set the '{name}' remote: {git_reason(error)}"
        ) from error


def create_branch(path: Path, name: str) -> None:
    """Create ``name`` from the current commit (if new) and switch to it."""
    repo = open_repo(path)
    git = load_git()
    try:
        repo.git.check_ref_format("--branch", name)
    except git.GitCommandError as error:
        raise WorkspaceError(f"'{name}' is not a valid branch name.") from error
    if name.startswith("-"):
        raise WorkspaceError(f"'{name}' is not a valid branch name (it starts with '-').")
    try:
        if name in [head.name for head in repo.heads]:
            repo.heads[name].checkout()
        else:
            repo.git.checkout("-b", name)
    except git.GitCommandError as error:
        raise WorkspaceError(
            f"git could not switch to branch '{name}': {git_reason(error)}"
        ) from error


def start_issue_branch(path: Path, branch: str, *, base: str, upstream: str = "upstream") -> None:
    """Create ``branch`` from the freshly fetched ``upstream/base`` and switch to it.

    Starting from the upstream default branch (not whatever the clone had checked out) keeps the
    pull request small and free of unrelated commits. An existing branch is simply switched to.
    """
    repo = open_repo(path)
    git = load_git()
    if branch in [head.name for head in repo.heads]:
        create_branch(path, branch)
        return
    try:
        repo.git.fetch(upstream, base, env=GIT_ENV)
        repo.git.switch("-c", branch, "--no-track", f"{upstream}/{base}", env=GIT_ENV)
    except git.GitCommandError as error:
        raise WorkspaceError(
            f"git could not start branch '{branch}' from {upstream}/{base}: {git_reason(error)}"
        ) from error


def push_branch(path: Path, branch: str, *, remote: str = "origin") -> None:
    """Push ``branch`` to ``remote`` (your fork) and remember it as the branch's upstream."""
    repo = open_repo(path)
    git = load_git()
    try:
        repo.git.push("--set-upstream", remote, f"{branch}:{branch}", env=GIT_ENV)
    except git.GitCommandError as error:
        raise WorkspaceError(
            f"git could not push '{branch}' to {remote}: {push_reason(remote, git_reason(error))}"
        ) from error


def commits_ahead(path: Path, branch: str, base_ref: str) -> int:
    """How many commits ``branch`` has that ``base_ref`` does not (0: nothing to propose yet)."""
    repo = open_repo(path)
    git = load_git()
    try:
        return int(repo.git.rev_list("--count", f"{base_ref}..{branch}"))
    except (git.GitCommandError, ValueError) as error:
        raise WorkspaceError(f"git could not compare {branch} with {base_ref}.") from error


@dataclass(frozen=True)
class CloneStatus:
    """What is really on disk, used to verify setup and to resume it."""

    exists: bool
    remotes: dict[str, str]
    branch: str | None
    branches: tuple[str, ...]


def inspect(path: Path) -> CloneStatus:
    if not (path / ".git").exists():
        return CloneStatus(False, {}, None, ())
    repo = open_repo(path)
    remotes = {remote.name: remote.url for remote in repo.remotes}
    branch = None if repo.head.is_detached else repo.active_branch.name
    return CloneStatus(True, remotes, branch, tuple(head.name for head in repo.heads))
