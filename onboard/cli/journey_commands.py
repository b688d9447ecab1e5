"""What ``onboard setup``, ``work``, ``claim`` and ``pr`` share: the forge, the saved journey,
``OWNER/REPO#N``, and turning what went wrong into one line and an exit status.

These commands are the app's journey without its screens (the same flows, the same saved
progress), so a journey begun on the command line goes on in the app and the other way round.
``--practice`` runs them against the practice forge started for the command, on the same data
and under the same saved journey as ``onboard practice``: a mentor can prepare a room, and a
script can rehearse, exactly where the learner will continue.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from onboard.cli.output import fail, tell

if TYPE_CHECKING:
    from onboard.core.journey import Journey
    from onboard.core.models import RepoRef
    from onboard.core.storage.state import StateStore
    from onboard.forge.base import Forge, ForgeConfig

#: ``pallets/flask#123``: an issue, as GitHub writes a reference to one.
_ISSUE_REF = re.compile(r"(?P<repo>[^#\s]+)#(?P<number>[0-9]{1,9})")


def add_forge_options(parser: argparse.ArgumentParser) -> None:
    """``--practice``, as ``onboard doctor`` has it."""
    parser.add_argument(
        "--practice",
        action="store_true",
        help="against the practice forge (offline; continues in `onboard practice`)",
    )


def add_yes_option(parser: argparse.ArgumentParser, what: str) -> None:
    parser.add_argument(
        "--yes",
        action="store_true",
        help=f"{what} without asking (needed when no terminal can be asked)",
    )


def parse_issue(parser: argparse.ArgumentParser, text: str) -> tuple[RepoRef, int]:
    """``OWNER/REPO#N`` as a repository and a number; a usage error (exit 2) otherwise."""
    from onboard.core.models import RepoRef

    match = _ISSUE_REF.fullmatch(text.strip())
    if match is None:
        parser.error(f"{text!r} is not an issue; expected OWNER/REPO#NUMBER, e.g. pallets/flask#12")
    try:
        repo = RepoRef.parse(match["repo"])
    except ValueError as error:
        parser.error(str(error))
    number = int(match["number"])
    if number < 1:
        parser.error(f"{text!r}: issue numbers start at 1")
    return repo, number


@dataclass
class Session:
    """One command's forge, saved progress and journey on that forge."""

    config: ForgeConfig
    forge: Forge
    store: StateStore
    journey: Journey

    def same_project(self, repo: RepoRef) -> bool:
        """Is the journey on ``repo``? GitHub's names are case-insensitive."""
        return (self.journey.project or "").lower() == repo.full_name.lower()

    def command(self, words: str) -> str:
        """``onboard WORDS`` in backquotes, to type next: on this same forge."""
        return f"`onboard {words}{' --practice' if self.config.practice else ''}`"


class CommandFailed(Exception):
    """What stops a command, worded for the person who typed it: one line, exit status 1."""


def require_clone(current: Session, repo: RepoRef) -> Path:
    """The journey's clone of ``repo``, set up through ``upstream``; or what to run first."""
    from onboard.workspace import setup as ws

    journey = current.journey
    if not current.same_project(repo):
        elsewhere = f" (your journey is on {journey.project})" if journey.project else ""
        raise CommandFailed(
            f"{repo} is not set up on this computer{elsewhere}: run "
            f"{current.command(f'setup {repo}')} first."
        )
    if not journey.clone_path or not journey.upstream_added:
        raise CommandFailed(
            f"Setting up {repo} is not finished: run {current.command(f'setup {repo}')}."
        )
    path = Path(journey.clone_path)
    if not ws.inspect(path).exists:
        raise CommandFailed(
            f"Your clone of {repo} is missing from {path}: run "
            f"{current.command(f'setup {repo}')} to clone it again."
        )
    return path


def work_in_clone(current: Session, command: str) -> tuple[RepoRef, Path, int]:
    """The journey's project, clone and issue number, for ``command`` run inside that clone
    on the issue's branch (``onboard commit``, ``onboard pr``); or what to do first."""
    from onboard.core.models import RepoRef
    from onboard.core.storage.paths import display_path

    journey = current.journey
    if not journey.project or not journey.clone_path:
        raise CommandFailed(
            f"No project is set up yet: run {current.command('setup OWNER/REPO')} first."
        )
    repo = RepoRef.parse(journey.project)
    path = Path(journey.clone_path)
    if not Path.cwd().resolve().is_relative_to(path.resolve()):
        raise CommandFailed(
            f"Run `onboard {command}` inside your clone of {repo}: cd {display_path(path)}"
        )
    if journey.issue is None or not journey.work_branch:
        raise CommandFailed(
            f"Start work on an issue first: {current.command(f'work {repo}#NUMBER')} creates "
            "its branch."
        )
    return repo, path, journey.issue


@contextlib.contextmanager
def session(args: argparse.Namespace) -> Iterator[Session]:
    """The forge to talk to (GitHub from the environment, or ``--practice``) and the journey.

    A practice forge started here stops when the command ends, with its git daemon.
    """
    from onboard.core.storage import paths
    from onboard.core.storage.state import StateStore
    from onboard.forge.connect import SHARED_PRACTICE_ENV, PracticeSession, github_config
    from onboard.forge.github import GitHubForge

    practice = None
    if args.practice:
        running = running_practice_url(paths.practice_dir())
        environ = {**os.environ, SHARED_PRACTICE_ENV: running} if running else None
        practice = PracticeSession(environ=environ)
    try:
        try:
            config = practice.start() if practice else github_config()
        except Exception as error:  # the practice forge needs git and a free port
            raise CommandFailed(f"the practice forge could not start: {error}") from error
        store = StateStore(paths.state_path())
        yield Session(config, GitHubForge(config), store, store.journey(config.key))
    finally:
        if practice is not None:
            practice.stop()


def running_practice_url(data_dir: Path) -> str | None:
    """The API of a practice forge already serving ``data_dir`` (the app's, in another
    terminal), or None.

    Two forges on one data folder would fight over its ports and its ``forge.json``, so a
    command joins the running one, as the tabs of ``onboard serve --practice`` do. It is
    recognised by the data folder's own token, which no other server would accept as the
    practice learner's.
    """
    import json

    import requests

    try:
        api = json.loads((data_dir / "ports.json").read_text(encoding="utf-8"))["api"]
        token = (data_dir / "token").read_text(encoding="utf-8").strip()
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if not isinstance(api, int) or not token:
        return None
    url = f"http://127.0.0.1:{api}"
    try:
        answer = requests.get(f"{url}/user", headers={"Authorization": f"token {token}"}, timeout=2)
        login = answer.json().get("login") if answer.ok else None
    except (requests.RequestException, ValueError, AttributeError):
        return None
    return url if isinstance(login, str) and login else None


def run_reporting(body: Callable[[], int]) -> int:
    """Call ``body()``; what a newcomer can act on (the forge, git, a file) is one line.

    Exit status 1 for those, with the hint to rehearse offline when the forge is unreachable;
    2 when a public action needs ``--yes`` (a usage error, as argparse's are); 130 after Ctrl+C
    (what shells expect), whose git children end with onboard (:mod:`onboard.workspace.children`)
    and whose saved progress lets the same command go on. Anything else is a bug and keeps its
    traceback.
    """
    from onboard.cli.confirm import Declined, NoTerminal
    from onboard.forge.base import ForgeError, ForgeUnreachable
    from onboard.workspace.gitenv import WorkspaceError

    try:
        return body()
    except NoTerminal as error:
        tell(error, one_line=True)
        return 2
    except KeyboardInterrupt:
        tell("Stopped. Run the same command again to go on where it stopped.")
        return 130
    except ForgeUnreachable as error:
        return fail(f"{error} (To rehearse offline: add --practice)", one_line=True)
    except (CommandFailed, Declined, ForgeError, WorkspaceError, ValueError) as error:
        return fail(error, one_line=True)


def progress(message: str) -> None:
    """A progress line on standard error: standard output keeps only the result."""
    print(message, file=sys.stderr, flush=True)


#: GitHub refuses comment and pull request bodies longer than this many characters.
MAX_BODY_CHARS = 65536


def read_text_file(path: Path, *, what: str) -> str:
    """A comment or description the learner wrote in a file, or why it cannot be used."""
    try:
        data = path.read_bytes()
    except OSError as error:
        reason = (error.strerror or type(error).__name__).lower()
        raise CommandFailed(f"cannot read the {what} from {path}: {reason}") from error
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise CommandFailed(
            f"{path}: expected the {what} as UTF-8 text, but byte {error.start + 1} is not"
        ) from error
    if len(text) > MAX_BODY_CHARS:
        raise CommandFailed(
            f"{path}: the {what} has {len(text):,} characters; GitHub takes at most "
            f"{MAX_BODY_CHARS:,}"
        )
    return text
