"""Is a branch on the fork? Asked of the fork itself, with the clone's memory as a fallback.

A checkpoint such as "branch pushed" must come from the forge, not from the learner's word, but
a workshop room's network drops and a report must still be made. So :func:`branch_on_remote`
first asks ``git ls-remote`` (bounded by a timeout, never prompting for a password), and when
that fails falls back to the clone's remote-tracking ref, which a successful push leaves behind.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from onboard.workspace.gitenv import GIT_ENV, WorkspaceError, load_git
from onboard.workspace.repo import open_repo

#: A check, not a transfer: a forge that has not answered by then is treated as offline.
LS_REMOTE_TIMEOUT_SECONDS = 15.0


@dataclass(frozen=True)
class RemoteBranch:
    """``found`` is None when neither the remote nor the clone could say."""

    found: bool | None
    #: True when the remote itself answered just now.
    live: bool


def remote_heads(path: Path, remote: str = "origin") -> set[str] | None:
    """Branch names on ``remote`` as it says right now, or None when it cannot be reached."""
    repo = open_repo(path)
    git = load_git()
    if remote not in [r.name for r in repo.remotes]:
        return None
    try:
        output = repo.git.ls_remote(
            "--heads", remote, env=GIT_ENV, kill_after_timeout=LS_REMOTE_TIMEOUT_SECONDS
        )
    except git.GitCommandError:
        return None
    heads = set()
    for line in str(output).splitlines():
        _sha, _, ref = line.partition("\t")
        if ref.startswith("refs/heads/"):
            heads.add(ref.removeprefix("refs/heads/"))
    return heads


def branch_on_remote(path: Path, branch: str, remote: str = "origin") -> RemoteBranch:
    """Whether ``branch`` is on ``remote``: live when reachable, else from the clone's refs.

    Never raises for a missing or broken clone: that is simply "cannot say".
    """
    try:
        heads = remote_heads(path, remote)
        if heads is not None:
            return RemoteBranch(branch in heads, live=True)
        repo = open_repo(path)
        tracked = {ref.name for ref in repo.refs if ref.name.startswith(f"{remote}/")}
    except WorkspaceError:
        return RemoteBranch(None, live=False)
    if f"{remote}/{branch}" in tracked:
        return RemoteBranch(True, live=False)
    return RemoteBranch(None, live=False)
