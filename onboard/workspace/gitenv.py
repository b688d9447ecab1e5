"""Loading GitPython safely and the environment every git command runs with."""

from __future__ import annotations

import os
from types import ModuleType


class WorkspaceError(Exception):
    """A git or file-system problem, described for a newcomer."""


class GitMissing(WorkspaceError):
    """git is not installed (or not on PATH)."""


GIT_MISSING_MESSAGE = (
    "onboard needs git, and it is not installed (or not on your PATH). "
    "Install it from https://git-scm.com/downloads (on Debian/Ubuntu: sudo apt install git), "
    "then start onboard again."
)

#: Never let git stop and wait for a password: inside a TUI that prompt is invisible and hangs.
GIT_ENV: dict[str, str] = {
    "GIT_TERMINAL_PROMPT": "0",
    "GCM_INTERACTIVE": "never",
    "GIT_SSH_COMMAND": os.environ.get("GIT_SSH_COMMAND", "ssh -o BatchMode=yes"),
}


def load_git() -> ModuleType:
    """Import GitPython, turning "no git binary" into :class:`GitMissing`."""
    os.environ.setdefault("GIT_PYTHON_REFRESH", "quiet")
    try:
        import git  # lazy on purpose, see module docstring
    except ImportError as error:
        raise GitMissing(GIT_MISSING_MESSAGE) from error
    try:
        git.Git().version_info  # noqa: B018 - runs `git version`; fails when git is absent
    except (git.GitCommandNotFound, git.GitCommandError, OSError) as error:
        raise GitMissing(GIT_MISSING_MESSAGE) from error
    return git
