"""What the learner changed in their clone: ``git status``, the diff, and the branch's commits.

Read-only. Everything comes back as plain data (:mod:`onboard.core.change`) for screens, the
CLI and the convention rules; the diff is git's text, cleaned by the UI before it is shown.
"""

from __future__ import annotations

from pathlib import Path

from onboard.core.change.checklist import BranchFacts
from onboard.core.change.pr_template import PullTemplate, find_template
from onboard.core.change.snapshot import MAX_TEXT_CHARS, ProjectSnapshot, wants_text
from onboard.core.change.status import FileStatus, parse_porcelain
from onboard.workspace.gitenv import GIT_ENV, WorkspaceError, load_git
from onboard.workspace.repo import git_reason, open_repo

#: A diff longer than this is cut (a generated file, a lock file): the screen stays responsive.
MAX_DIFF_CHARS = 400_000
RECENT_SUBJECTS = 30


def clone_status(path: Path) -> list[FileStatus]:
    """Changed, staged and new files (each new file listed, not just its folder)."""
    output = _git(path, "status", "--porcelain=v1", "-z", "--untracked-files=all")
    return parse_porcelain(output)


def clone_diff(path: Path, *, max_chars: int = MAX_DIFF_CHARS) -> str:
    """Staged and unstaged changes against ``HEAD``, then every new file shown as added."""
    parts = [_git(path, "diff", "HEAD", "--no-color", "--no-ext-diff", "--find-renames")]
    for entry in clone_status(path):
        if sum(len(part) for part in parts) > max_chars:
            break
        if entry.untracked:
            parts.append(_new_file_diff(path, entry.path))
    text = "\n".join(part.rstrip("\n") for part in parts if part.strip())
    if len(text) > max_chars:
        text = text[:max_chars] + "\n… (the diff goes on; open the files to see the rest)"
    return text + "\n" if text else ""


def _new_file_diff(path: Path, name: str) -> str:
    """``git diff --no-index /dev/null FILE``: exit status 1 means "they differ", not failure."""
    repo = open_repo(path)
    status, out, _err = repo.git.execute(
        ["git", "diff", "--no-index", "--no-color", "--no-ext-diff", "--", "/dev/null", name],
        with_extended_output=True,
        with_exceptions=False,
        env=GIT_ENV,
    )
    return str(out) if status in (0, 1) else ""


def read_snapshot(path: Path, *, history: str = "HEAD") -> ProjectSnapshot:
    """The tracked files, the texts conventions are read from, and ``history``'s subjects."""
    paths = [p for p in _git(path, "ls-files", "-z").split("\0") if p]
    texts: dict[str, str] = {}
    for name in paths:
        if wants_text(name):
            try:
                with (path / name).open(encoding="utf-8", errors="replace") as handle:
                    texts[name] = handle.read(MAX_TEXT_CHARS)
            except OSError:
                continue
    try:
        log = _git(path, "log", f"-n{RECENT_SUBJECTS}", "--format=%s", history, "--")
    except WorkspaceError:
        log = ""  # a clone without that ref (or any commit yet): no history to learn from
    return ProjectSnapshot(tuple(paths), texts, tuple(log.splitlines()))


def branch_facts(
    path: Path, base_ref: str, *, identity: bool, cla_signed: bool = False
) -> BranchFacts:
    """The work branch's commits and files since ``base_ref``, and what is left uncommitted."""
    log = _git(path, "log", "--format=%B%x00", f"{base_ref}..HEAD", "--")
    messages = [m.strip("\n") + "\n" for m in log.split("\0") if m.strip()]
    changed = _git(path, "diff", "--name-only", "-z", f"{base_ref}...HEAD", "--").split("\0")
    uncommitted = [entry.path for entry in clone_status(path)]
    return BranchFacts(
        messages=tuple(messages),
        changed=tuple(name for name in changed if name),
        uncommitted=tuple(uncommitted),
        identity=identity,
        cla_signed=cla_signed,
    )


def _git(path: Path, *args: str) -> str:
    repo = open_repo(path)
    git = load_git()
    try:
        return str(repo.git.execute(["git", *args], env=GIT_ENV, strip_newline_in_stdout=False))
    except git.GitCommandError as error:
        raise WorkspaceError(f"git {args[0]} failed in {path}: {git_reason(error)}") from error


def pull_template(path: Path) -> PullTemplate | None:
    """The project's pull request template, read from disk in GitHub's documented places.

    No git command: quick enough for a screen to call before showing the pull request dialog.
    """
    texts: dict[str, str] = {}
    for folder in (
        path,
        path / ".github",
        path / "docs",
        path / ".github" / "PULL_REQUEST_TEMPLATE",
    ):
        try:
            entries = sorted(folder.iterdir()) if folder.is_dir() else []
        except OSError:
            continue
        for entry in entries:
            name = entry.relative_to(path).as_posix()
            if wants_text(name) and "pull_request_template" in name.lower() and entry.is_file():
                try:
                    with entry.open(encoding="utf-8", errors="replace") as handle:
                        texts[name] = handle.read(MAX_TEXT_CHARS)
                except OSError:
                    continue
    return find_template(ProjectSnapshot(tuple(texts), texts))
