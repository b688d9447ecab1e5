"""Fork-clone-remote-branch: turning a fork on the forge into a ready working copy.

Each function is idempotent, so a setup interrupted half way (quit, crash, network drop) can
simply be run again and picks up where it stopped.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from onboard.core.models import RepoRef
from onboard.workspace.gitenv import GIT_ENV, WorkspaceError, load_git


@dataclass(frozen=True)
class CloneProgress:
    """How far a clone has got: ``fraction`` in 0..1 (None while unknown) and git's phase."""

    phase: str
    fraction: float | None
    message: str = ""


ProgressCallback = Callable[[CloneProgress], None]

# Share of the whole clone each phase covers, for one bar that only moves forward.
_PHASES: dict[str, tuple[float, float]] = {
    "Counting objects": (0.0, 0.05),
    "Compressing objects": (0.05, 0.1),
    "Receiving objects": (0.1, 0.85),
    "Resolving deltas": (0.85, 0.95),
    "Checking out files": (0.95, 1.0),
}


def clone_path_for(root: Path, repo: RepoRef) -> Path:
    """Where a project's clone goes: ``ROOT/OWNER/NAME`` of the *upstream* project."""
    return root / repo.owner / repo.name


def clone(
    url: str,
    dest: Path,
    *,
    progress: ProgressCallback | None = None,
    partial: bool = True,
) -> None:
    """Clone ``url`` into ``dest`` with live progress; reuse ``dest`` if it already is that clone.

    ``partial`` asks for a blob-less partial clone: history without file contents, which are
    fetched on demand. On servers that do not allow it, git silently does a full clone.
    """
    git = load_git()
    if dest.exists() and not dest.is_dir():
        raise WorkspaceError(
            f"{dest} is a file, not a folder. Move it away or choose another folder."
        )
    if dest.exists() and any(dest.iterdir()):
        existing = _origin_url(dest)
        if existing is None:
            raise WorkspaceError(
                f"{dest} already exists and is not a git clone. Move it away or choose another "
                "folder (set ONBOARD_WORKSPACE)."
            )
        if _same_remote(existing, url):
            return
        if not existing:
            raise WorkspaceError(
                f"{dest} is a git clone without an 'origin' remote. Move it away first."
            )
        raise WorkspaceError(
            f"{dest} is already a clone of {existing}, not of {url}. Move it away first."
        )
    dest.parent.mkdir(parents=True, exist_ok=True)
    options = ["--filter=blob:none"] if partial else []
    # Always pass a RemoteProgress: it is also what collects git's error lines while cloning.
    reporter = _progress_reporter(git, progress)
    try:
        git.Repo.clone_from(url, dest, progress=reporter, env=GIT_ENV, multi_options=options)
    except (git.exc.UnsafeProtocolError, git.exc.UnsafeOptionError) as error:
        raise WorkspaceError(
            f"Refusing to clone {url!r}: it is not a plain repository URL."
        ) from error
    except git.GitCommandError as error:
        reason = _git_reason(error, [*reporter.error_lines, *reporter.other_lines])
        raise WorkspaceError(f"git could not clone {url}: {reason}") from error
    if progress:
        progress(CloneProgress("Done", 1.0))


def set_remote(path: Path, name: str, url: str) -> None:
    """Make remote ``name`` point at ``url``, adding it or correcting a stale URL."""
    repo = _open(path)
    try:
        if name in [remote.name for remote in repo.remotes]:
            remote = repo.remote(name)
            if not _same_remote(remote.url, url):
                remote.set_url(url)
        else:
            repo.create_remote(name, url)
    except load_git().GitCommandError as error:
        raise WorkspaceError(
            f"git could not set the '{name}' remote: {_git_reason(error)}"
        ) from error


def create_branch(path: Path, name: str) -> None:
    """Create ``name`` from the current commit (if new) and switch to it."""
    repo = _open(path)
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
            f"git could not switch to branch '{name}': {_git_reason(error)}"
        ) from error


def start_issue_branch(path: Path, branch: str, *, base: str, upstream: str = "upstream") -> None:
    """Create ``branch`` from the freshly fetched ``upstream/base`` and switch to it.

    Starting from the upstream default branch (not whatever the clone had checked out) keeps the
    pull request small and free of unrelated commits. An existing branch is simply switched to.
    """
    repo = _open(path)
    git = load_git()
    if branch in [head.name for head in repo.heads]:
        create_branch(path, branch)
        return
    try:
        repo.git.fetch(upstream, base, env=GIT_ENV)
        repo.git.switch("-c", branch, "--no-track", f"{upstream}/{base}", env=GIT_ENV)
    except git.GitCommandError as error:
        raise WorkspaceError(
            f"git could not start branch '{branch}' from {upstream}/{base}: {_git_reason(error)}"
        ) from error


def push_branch(path: Path, branch: str, *, remote: str = "origin") -> None:
    """Push ``branch`` to ``remote`` (your fork) and remember it as the branch's upstream."""
    repo = _open(path)
    git = load_git()
    try:
        repo.git.push("--set-upstream", remote, f"{branch}:{branch}", env=GIT_ENV)
    except git.GitCommandError as error:
        raise WorkspaceError(
            f"git could not push '{branch}' to {remote}: {_git_reason(error)}"
        ) from error


def commits_ahead(path: Path, branch: str, base_ref: str) -> int:
    """How many commits ``branch`` has that ``base_ref`` does not (0: nothing to propose yet)."""
    repo = _open(path)
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
    repo = _open(path)
    remotes = {remote.name: remote.url for remote in repo.remotes}
    branch = None if repo.head.is_detached else repo.active_branch.name
    return CloneStatus(True, remotes, branch, tuple(head.name for head in repo.heads))


def _open(path: Path) -> Any:
    git = load_git()
    try:
        return git.Repo(path)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError) as error:
        raise WorkspaceError(f"{path} is not a git clone (was it moved or deleted?).") from error


def _origin_url(path: Path) -> str | None:
    git = load_git()
    try:
        repo = git.Repo(path)
        return repo.remote("origin").url if "origin" in [r.name for r in repo.remotes] else ""
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        return None


def _same_remote(a: str, b: str) -> bool:
    def norm(url: str) -> str:
        return url.rstrip("/").removesuffix(".git").lower()

    return norm(a) == norm(b)


def _git_reason(error: Exception, extra_lines: list[str] | tuple[str, ...] = ()) -> str:
    """git's own explanation in one line: its ``fatal:``/``error:`` lines, else its last line.

    GitPython wraps stderr as ``stderr: '...'``; when a progress handler is attached, stderr is
    consumed by the handler instead and arrives here as ``extra_lines``.
    """
    stderr = str(getattr(error, "stderr", "") or "").strip()
    stderr = stderr.removeprefix("stderr:").strip().strip("'")
    lines = [line.strip() for line in [*stderr.splitlines(), *extra_lines] if line.strip()]
    lines = [line for line in lines if line not in ("'", "Aborting")]
    important = [line for line in lines if line.lower().startswith(("fatal:", "error:"))]
    chosen = important or lines[-1:] or [f"git exited with status {getattr(error, 'status', '?')}"]
    return " ".join(dict.fromkeys(chosen))


def _progress_reporter(git: Any, callback: ProgressCallback | None) -> Any:
    """A ``git.RemoteProgress`` that turns git's phases into one forward-moving fraction."""
    names = {
        git.RemoteProgress.COUNTING: "Counting objects",
        git.RemoteProgress.COMPRESSING: "Compressing objects",
        git.RemoteProgress.RECEIVING: "Receiving objects",
        git.RemoteProgress.RESOLVING: "Resolving deltas",
        git.RemoteProgress.CHECKING_OUT: "Checking out files",
    }

    class Reporter(git.RemoteProgress):  # type: ignore[misc, name-defined]
        best = 0.0

        def update(
            self, op_code: int, cur_count: float, max_count: float | None = None, message: str = ""
        ) -> None:
            phase = names.get(op_code & self.OP_MASK)
            if phase is None or callback is None:
                return
            start, end = _PHASES[phase]
            part = (float(cur_count) / float(max_count)) if max_count else 0.0
            self.best = max(self.best, start + (end - start) * min(part, 1.0))
            callback(CloneProgress(phase, self.best, message or ""))

    return Reporter()
