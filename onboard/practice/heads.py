"""Noticing pushes to a pull request's branch, as GitHub does when it "synchronizes" a pull.

Pushes reach the forge through git daemon (``git receive-pack`` writing straight into the bare
repository), which tells the HTTP side nothing. Rather than a hook in every bare repository, the
forge looks when it is asked: before answering an API request it compares each followed pull's
branch tip (its loose ref file, which a push writes, else ``git rev-parse``) with the
``head.sha`` it knows, and on a difference moves the head: the commits are fetched into the
base repository, ``refs/pull/N/head`` follows, the diff stats are recomputed. Nobody can see a
pull's head without asking the API, so looking on read is as good as a hook, and costs nothing
while no pull is followed (only pulls opened through ``POST /pulls`` are; seeded ones never
move).
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import TYPE_CHECKING

from onboard.practice import plumbing
from onboard.practice.gitdaemon import GitError
from onboard.practice.store import Record

if TYPE_CHECKING:  # the context creates the maintainer
    from onboard.practice.context import ForgeContext


def sync_head(forge: ForgeContext, full: str, issue: Record) -> str | None:
    """Move the pull's head to its branch's tip when it was pushed to; the new sha, or None."""
    pull = issue["pull"]
    if issue["state"] != "open" or not pull or not pull["head_repo"]:
        return None
    head_bare = forge.bare(pull["head_repo"])
    sha = _tip(head_bare, pull["head_ref"]) if head_bare.is_dir() else None
    if sha is None or sha == pull["head_sha"]:
        return None
    bare = forge.bare(full)
    try:
        if pull["head_repo"] != full:
            plumbing.fetch_commit(bare, head_bare, sha)
    except GitError:
        return None  # a push still being written: the next look sees it
    number = issue["number"]
    plumbing.update_ref(bare, f"refs/pull/{number}/head", sha)
    forge.store.move_head(full, number, sha, **plumbing.diff_stats(bare, pull["base_sha"], sha))
    return sha


def _tip(bare: Path, branch: str) -> str | None:
    """The branch's tip, read from its loose ref file when there is one (what a push writes:
    a file read instead of a git process, on every request), else asked of git."""
    if plumbing.safe_ref(branch):
        with contextlib.suppress(OSError, UnicodeDecodeError):
            text = (bare / "refs" / "heads" / branch).read_text(encoding="ascii").strip()
            if len(text) == 40 and all(c in "0123456789abcdef" for c in text):
                return text
    return plumbing.branch_sha(bare, branch)
