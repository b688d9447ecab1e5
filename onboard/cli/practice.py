"""``onboard practice [serve]``: rehearse the journey against a local practice forge.

Offline and with nobody watching, a newcomer can fork, clone, claim and open a pull request
without fear of doing it wrong in public. ``onboard practice`` opens the app against a practice
forge started for it (:mod:`onboard.cli.tui`); ``onboard practice serve`` runs only the forge
(:mod:`onboard.practice`), for scripts and tests.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from onboard.cli.tui import add_session_option, run_tui


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    practice = commands.add_parser(
        "practice",
        help="rehearse the journey against a local practice forge (offline, nobody watching)",
        description="Start a local practice forge and open the app against it.",
    )
    practice.add_argument("--data", type=Path, help="practice forge data folder")
    add_session_option(
        practice,
        dest="practice_session_file",  # not to override ``onboard --session FILE practice``
        help="guided mode: follow a mentor's session file",
    )
    practice.set_defaults(handler=run_app)
    actions = practice.add_subparsers(dest="practice_command", metavar="ACTION")
    serve = actions.add_parser(
        "serve", help="run only the practice forge until Ctrl+C", description="Run the forge."
    )
    serve.add_argument("--port", type=int, default=0, help="API port (default: a free one)")
    serve.add_argument("--data", type=Path, help="practice forge data folder")
    serve.set_defaults(handler=serve_forge)


def run_app(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    """``onboard practice``: the app on the practice forge (``--session`` before or after)."""
    session_file = args.practice_session_file or args.session_file
    return run_tui(session_file, practice=True, data=args.data)


def serve_forge(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    """``onboard practice serve``: only the forge, in the foreground until Ctrl+C.

    SIGTERM and SIGHUP stop it as Ctrl+C does, and Ctrl+C works even when the shell started it
    with SIGINT ignored (``onboard practice serve &`` in a script): its git daemon must never
    be left listening, with push enabled, after the command is gone.
    """
    from onboard.core.storage import paths
    from onboard.practice import serve
    from onboard.workspace import children

    children.restore_interrupt()
    children.exit_on_signals()
    return serve(args.data or paths.practice_dir(), port=args.port)
