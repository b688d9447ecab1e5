"""Who the learner is to git: the name on their commits, for progress reports.

Only ``user.name`` and ``user.email`` are read, as git itself resolves them (the clone's own
config first, when a clone is given); a report shows the email only when asked to.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from onboard.workspace.gitenv import GIT_ENV, WorkspaceError, load_git


@dataclass(frozen=True)
class GitIdentity:
    name: str | None
    email: str | None


def git_identity(clone: Path | None = None) -> GitIdentity:
    """``user.name`` / ``user.email`` (None when unset, or when git is missing)."""
    try:
        git = load_git()
    except WorkspaceError:
        return GitIdentity(None, None)
    cwd = clone if clone is not None and (clone / ".git").exists() else None
    runner = git.Git(str(cwd)) if cwd is not None else git.Git()

    def value(key: str) -> str | None:
        try:
            answer = runner.config("--get", key, env=GIT_ENV)
        except git.GitCommandError:  # exit status 1: not set
            return None
        return str(answer).strip() or None

    return GitIdentity(value("user.name"), value("user.email"))
