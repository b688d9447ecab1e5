"""``onboard commit``, inside the clone: commit your change the project's way.

The same rules as the app's commit dialog (:mod:`onboard.flows.change`): the message starts from
the issue's title in the project's style (``--message-file`` gives your own), every changed file
is committed, a ``Signed-off-by`` is added when the project asks for the DCO, and the exact
commit is shown on standard error before it is made (``--yes`` skips the question). Committing
is local: nothing is pushed. Standard output is the new commit's id; what the checklist still
misses (a news fragment, a CLA) follows on standard error.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from onboard.cli.journey_commands import add_forge_options

if TYPE_CHECKING:
    from onboard.cli.journey_commands import Session


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    commit = commands.add_parser(
        "commit",
        help="inside your clone: commit your change the project's way",
        description=(
            "Run inside your clone, on the branch `onboard work` created: commit every changed "
            "file with a message in the project's style (Conventional Commits when its history "
            "uses them), signed off when it asks for the DCO, after showing the exact commit "
            "(or with --yes). Prints the commit's id. Nothing is pushed: `onboard pr` does that."
        ),
    )
    commit.add_argument(
        "--message-file", type=Path, metavar="FILE", help="the commit message (default: drafted)"
    )
    commit.add_argument("--yes", action="store_true", help="make the commit without asking")
    commit.add_argument("--json", action="store_true", help="print the commit as JSON")
    add_forge_options(commit)
    commit.set_defaults(handler=run)


def run(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    from onboard.cli.journey_commands import read_text_file, run_reporting, session

    def body() -> int:
        message = None
        if args.message_file is not None:
            message = read_text_file(args.message_file, what="commit message")
        with session(args) as current:
            return _commit(current, args, message)

    return run_reporting(body)


def _commit(current: Session, args: argparse.Namespace, message: str | None) -> int:
    import sys

    from onboard.cli.confirm import Declined, NoTerminal
    from onboard.cli.journey_commands import CommandFailed, progress, work_in_clone
    from onboard.cli.output import print_json
    from onboard.core.text.sanitize import clean
    from onboard.flows import change

    journey = current.journey
    repo, _clone, number = work_in_clone(current, "commit")
    issue = current.forge.issue(repo, number)
    view = change.look(current.forge, current.store, journey, issue)
    files = [entry.path for entry in view.status]
    if not files:
        raise CommandFailed("Nothing to commit: change and save a file in your clone first.")
    if view.identity is None:
        raise CommandFailed(
            "git does not know who you are. For this clone only: "
            '`git config --local user.name "Your Name"` and '
            "`git config --local user.email you@example.org`, then run this again."
        )
    text = message if message is not None else view.message
    if not text.strip():
        raise CommandFailed(f"{args.message_file}: the commit message is empty")
    if not args.yes:
        if not sys.stdin.isatty():
            raise NoTerminal(
                "commit: onboard shows the commit before making it, and there is no terminal "
                "to ask you on; pass --yes to make it"
            )
        print(clean(view.preview(text, files), max_length=8000), file=sys.stderr)
        print("Make this commit? [y/N] ", end="", file=sys.stderr, flush=True)
        if sys.stdin.readline().strip().lower() not in {"y", "yes"}:
            raise Declined("Nothing was committed.")
    sha = change.commit(view, files, text)
    after = change.look(
        current.forge, current.store, journey, issue, base=view.base_ref.removeprefix("upstream/")
    )
    missing = [item for item in after.checklist.missing if item.key not in ("commit", "clean")]
    for item in missing:
        link = f" ({item.link})" if item.link else ""
        progress(f"Still to do: {clean(item.text, one_line=True)}{clean(link, one_line=True)}")
    if args.json:
        print_json(
            {
                "sha": sha,
                "branch": view.branch,
                "files": files,
                "signed_off": view.conventions.sign_off,
                "missing": [item.key for item in missing],
            }
        )
    else:
        print(sha)
    return 0
