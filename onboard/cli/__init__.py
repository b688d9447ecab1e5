"""The ``onboard`` command line: the top parser, and one module of this package per command.

argparse rather than click: it is in the standard library (no dependency, nothing extra to
import before the first frame), gives sub-commands, ``--help`` and exit status 2 on usage errors
out of the box, which is all this CLI needs.

Each command's module adds its own sub-parser, options and handler (``register``); a handler
takes the top parser (its usage errors read like any other) and the parsed arguments, and
returns the exit status. ``onboard`` with no command starts the app (:mod:`onboard.cli.tui`).
A command module imports only what its parser needs: what a command does is imported when it
runs, so ``onboard --help`` and the app's first frame pay for no other command.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from onboard import __version__
from onboard.cli import (
    auth,
    claim,
    commit,
    deps,
    doctor,
    find,
    ospo,
    pack,
    pr,
    practice,
    report,
    serve,
    session,
    setup,
    status,
    tui,
    work,
)
from onboard.cli.output import fail

#: The commands, in the order ``onboard --help`` lists them.
COMMANDS = (
    practice,
    find,
    setup,
    work,
    claim,
    commit,
    pr,
    status,
    deps,
    ospo,
    pack,
    doctor,
    auth,
    serve,
    report,
    session,
)

EPILOG = """\
examples:
  onboard                         start the app against GitHub
  onboard practice                rehearse the whole journey offline
  onboard --session workshop.toml guided mode: a mentor's agenda, checkpoints and help
  onboard practice serve          run only the practice forge (for scripts and tests)
  onboard serve --practice        the app in a web browser, for a workshop
  onboard find pallets/flask --json
  onboard setup pallets/flask     fork, clone, upstream, branch; prints the clone's path
  onboard work pallets/flask#12   a branch for that issue, from the latest upstream
  onboard claim pallets/flask#12 --message-file plan.md
  onboard commit                  inside the clone: commit your change the project's way
  onboard pr --body-file pr.md    inside the clone: push and open a draft pull request
  onboard status --json           your claims and pull requests: checks, reviews, merged
  onboard setup practice/hello-docs --practice --yes   rehearse it (or prepare a room)

A token is read from GH_TOKEN, GITHUB_TOKEN, `gh auth token`, or the one saved by
`onboard auth login`; GITHUB_API_URL selects the API.
"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="onboard",
        description="From 'I want to contribute' to a first open-source contribution.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"onboard {__version__}")
    tui.add_session_option(
        parser,
        dest="session_file",
        help="guided mode: follow a mentor's session file (agenda, checkpoints, help)",
    )
    parser.set_defaults(handler=tui.run_app)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for command in COMMANDS:
        command.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    from onboard.core.storage.state import StateError

    try:
        return args.handler(parser, args)
    except StateError as error:  # any command: an unusable data folder is a message, not a trace
        return fail(error, one_line=True)
