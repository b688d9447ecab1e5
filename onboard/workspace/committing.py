"""Making the commit: the chosen files only, signed off when the project asks, as the learner.

The identity git commits as is read with ``user.useConfigOnly``: git would otherwise invent one
from the computer's name (``kim@laptop.(none)``), which then sits in public history for good.
Setting it writes to the clone's own config (``--local``) and only after the learner agreed.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from onboard.workspace.gitenv import GIT_ENV, WorkspaceError, load_git
from onboard.workspace.repo import git_reason, open_repo

_STRICT = ["-c", "user.useConfigOnly=true"]
_IDENT = re.compile(r"^(?P<name>.*?) <(?P<email>[^<>]*)> \d+ [+-]\d{4}$")
_EMAIL = re.compile(r"^[^\s@<>]+@[^\s@<>]+$")


@dataclass(frozen=True)
class CommitIdentity:
    name: str
    email: str


def commit_identity(path: Path) -> CommitIdentity | None:
    """Who a commit in ``path`` would be by (None: git does not know, and must be told)."""
    repo = open_repo(path)
    status, out, _err = repo.git.execute(
        ["git", *_STRICT, "var", "GIT_COMMITTER_IDENT"],
        with_extended_output=True,
        with_exceptions=False,
        env=GIT_ENV,
    )
    match = _IDENT.match(str(out).strip()) if status == 0 else None
    if match is None or not match["name"].strip() or not match["email"].strip():
        return None
    return CommitIdentity(match["name"], match["email"])


def identity_problem(name: str, email: str) -> str | None:
    """Why ``name``/``email`` cannot be used for commits, or None."""
    if not name.strip() or any(c in name for c in "<>\n\r"):
        return "Your name is empty or holds < > or a line break: write it as you sign."
    if not _EMAIL.match(email.strip()):
        return (
            "That email does not look like one (name@example.org). Your forge's private "
            "'noreply' address works too."
        )
    return None


def set_local_identity(path: Path, name: str, email: str) -> None:
    """``git config --local user.name/user.email``: this clone only, after consent."""
    problem = identity_problem(name, email)
    if problem:
        raise WorkspaceError(problem)
    repo = open_repo(path)
    git = load_git()
    try:
        repo.git.config("--local", "user.name", name.strip(), env=GIT_ENV)
        repo.git.config("--local", "user.email", email.strip(), env=GIT_ENV)
    except git.GitCommandError as error:
        raise WorkspaceError(f"git could not save your name: {git_reason(error)}") from error


def commit_files(path: Path, files: Sequence[str], message: str, *, sign_off: bool) -> str:
    """Stage ``files`` (new, changed or deleted) and commit exactly them; returns the commit id.

    ``--cleanup=whitespace`` keeps lines starting with ``#`` (issue references), matching
    :func:`onboard.core.change.message.final_message`, which the preview shows.
    """
    if not files:
        raise WorkspaceError("Choose at least one changed file to commit.")
    if not message.strip():
        raise WorkspaceError("The commit message is empty: say what the change does.")
    repo = open_repo(path)
    git = load_git()
    with tempfile.NamedTemporaryFile("w", suffix=".txt", encoding="utf-8", delete=False) as note:
        note.write(message)
    options = ["--cleanup=whitespace", "--file", note.name, *(["--signoff"] if sign_off else [])]
    try:
        # Literal pathspecs: a file named ":(glob)*" is that file, not every file.
        repo.git.execute(["git", "--literal-pathspecs", "add", "--all", "--", *files], env=GIT_ENV)
        repo.git.execute(
            ["git", "--literal-pathspecs", *_STRICT, "commit", *options, "--", *files], env=GIT_ENV
        )
    except git.GitCommandError as error:
        raise WorkspaceError(f"git could not make the commit: {git_reason(error)}") from error
    finally:
        Path(note.name).unlink(missing_ok=True)
    return str(repo.head.commit.hexsha)
