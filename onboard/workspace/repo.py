"""Small shared pieces for working with a local clone: opening it, comparing remote URLs, and
turning git's error output into one sentence a newcomer can read."""

from __future__ import annotations

import functools
import re
from pathlib import Path
from types import ModuleType
from typing import Any

from onboard.workspace import children
from onboard.workspace.gitenv import WorkspaceError, load_git

# owner/name at the end of any URL git understands: https://host/o/r(.git), git@host:o/r.git,
# git://host:port/o/r.git, file:///srv/git/o/r.git.
_SLUG = re.compile(r"[/:](?P<owner>[^/:]+)/(?P<name>[^/]+?)(?:\.git)?/?$")


def open_repo(path: Path) -> Any:
    """The clone at ``path``, whose git commands (fetch, push, ls-remote) end with onboard."""
    git = load_git()
    try:
        return _repo_type(git)(path)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError) as error:
        raise WorkspaceError(f"{path} is not a git clone (was it moved or deleted?).") from error


@functools.cache
def _repo_type(git: ModuleType) -> Any:
    """``git.Repo`` whose commands get a parent-death signal (:mod:`.children`).

    A fetch or a push on a stalled network can run for minutes; if onboard is killed meanwhile
    it must not go on alone. Through ``Repo.GitCommandWrapperType``, GitPython's own hook for a
    ``Git`` of one's choosing. Only commands that talk to a remote: the signal needs a
    ``preexec_fn``, which makes Python fork the whole process instead of a cheap ``vfork``
    (about 10 ms a command, measured), and local commands end in moments anyway. Only commands
    GitPython waits for, in the calling thread: the kernel's signal follows the thread that
    started the child. They stay in onboard's process group, so a terminal's Ctrl+C or hang-up
    reaches them as it reaches onboard.
    """

    class Git(git.Git):  # type: ignore[misc, name-defined]
        def execute(self, command: Any, **kwargs: Any) -> Any:
            if not kwargs.get("as_process") and _talks_to_a_remote(command):
                for key, value in children.popen_options(new_session=False).items():
                    kwargs.setdefault(key, value)
            return super().execute(command, **kwargs)

    class Repo(git.Repo):  # type: ignore[misc, name-defined]
        GitCommandWrapperType = Git

    return Repo


_REMOTE_COMMANDS = frozenset({"fetch", "pull", "push", "ls-remote", "clone"})


def _talks_to_a_remote(command: Any) -> bool:
    """Whether a git command line (``git [-c k=v ...] fetch ...``) may wait on the network."""
    if isinstance(command, str):
        command = command.split()
    words = [word for word in command[1:6] if isinstance(word, str)]
    return any(word in _REMOTE_COMMANDS for word in words)


def same_remote(a: str, b: str) -> bool:
    """Whether two remote URLs name the same repository in the same place (same host and path)."""

    def norm(url: str) -> str:
        return url.rstrip("/").removesuffix(".git").lower()

    return norm(a) == norm(b)


def remote_slug(url: str) -> str | None:
    """``owner/name`` of a remote URL, lower-cased, whatever its protocol or host.

    Used to recognise "a clone of the same project" when the URL differs only in how it was
    written (https vs ssh, an old practice-forge port): remotes are then corrected, not refused.
    """
    match = _SLUG.search(url.strip())
    if match is None:
        return None
    return f"{match['owner']}/{match['name']}".lower()


def git_reason(error: Exception, extra_lines: list[str] | tuple[str, ...] = ()) -> str:
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


_PUSH_REFUSED = ("service not enabled", "access denied", "permission to", "403", "denied to")


def push_reason(remote: str, reason: str) -> str:
    """git's reason for a failed push, plus what it means when the server refused the push.

    GitHub answers "Permission to o/r denied" / 403 and the practice forge "service not enabled";
    either way the newcomer needs to hear that this remote is not theirs to push to.
    """
    if any(marker in reason.lower() for marker in _PUSH_REFUSED):
        return (
            f"{reason} — you are not allowed to push to '{remote}'. Push to your own fork "
            "(the 'origin' remote), and make sure git can use your login (gh auth setup-git)."
        )
    return reason
