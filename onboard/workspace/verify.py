"""After setup, check what is really configured instead of trusting that each step worked.

The classic first-contribution failure is discovering at the very end that ``origin`` points at
the original project (push: 403) or that no credentials are set up for pushing. Each check here
says what it looked at and, when it fails, what to type to fix it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from onboard.workspace.gitenv import GIT_ENV, WorkspaceError, load_git
from onboard.workspace.repo import git_reason, open_repo, remote_slug, same_remote


@dataclass(frozen=True)
class Check:
    title: str
    ok: bool
    detail: str
    fix: str | None = None


def track_upstream(path: Path, default_branch: str, *, upstream: str = "upstream") -> None:
    """Fetch ``upstream`` and make the local default branch follow ``upstream/<default>``.

    Then ``git pull`` on the default branch brings in the project's new work, not the fork's
    (which falls behind the moment it is created).
    """
    repo = open_repo(path)
    git = load_git()
    try:
        repo.git.fetch(upstream, default_branch, env=GIT_ENV)
        if default_branch in [head.name for head in repo.heads]:
            repo.git.branch(f"--set-upstream-to={upstream}/{default_branch}", default_branch)
    except git.GitCommandError as error:
        raise WorkspaceError(
            f"git could not fetch {default_branch} from {upstream}: {git_reason(error)}"
        ) from error


def verify_setup(
    path: Path, *, fork_url: str, upstream_url: str, default_branch: str, branch: str
) -> list[Check]:
    repo = open_repo(path)
    remotes = {remote.name: remote.url for remote in repo.remotes}
    checks = [
        _remote_check(remotes, "origin", fork_url, "your fork"),
        _remote_check(remotes, "upstream", upstream_url, "the original project"),
        _tracking_check(repo, default_branch),
        _push_check(repo, branch),
    ]
    return checks


def _remote_check(remotes: dict[str, str], name: str, wanted: str, what: str) -> Check:
    actual = remotes.get(name)
    title = f"'{name}' is {what}"
    if actual is not None and same_remote(actual, wanted):
        return Check(title, True, remote_slug(actual) or actual)
    detail = f"'{name}' is {actual}" if actual else f"there is no '{name}' remote"
    verb = "set-url" if actual else "add"
    return Check(title, False, detail, f"git remote {verb} {name} {wanted}")


def _tracking_check(repo: Any, default_branch: str) -> Check:
    title = f"{default_branch} follows upstream/{default_branch}"
    reader = repo.config_reader()
    section = f'branch "{default_branch}"'
    remote = reader.get_value(section, "remote", default="") if reader.has_section(section) else ""
    if remote == "upstream":
        return Check(title, True, "git pull on it brings in the project's latest work")
    where = f"it follows '{remote}'" if remote else "it follows nothing"
    return Check(
        title,
        False,
        where,
        f"git fetch upstream && git branch --set-upstream-to=upstream/{default_branch} "
        f"{default_branch}",
    )


def _push_check(repo: Any, branch: str) -> Check:
    """``git push --dry-run``: talks to the fork's push service without changing anything."""
    git = load_git()
    title = "You can push to your fork"
    try:
        repo.git.push(
            "--dry-run", "--porcelain", "origin", f"HEAD:refs/heads/{branch}", env=GIT_ENV
        )
    except git.GitCommandError as error:
        return Check(
            title,
            False,
            git_reason(error),
            "Check that 'origin' is your fork, then let git use your GitHub login: "
            "gh auth setup-git (or set up an SSH key).",
        )
    return Check(title, True, f"a dry-run push of {branch} to origin was accepted")
