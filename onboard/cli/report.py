"""``onboard report``: export what the learner did, for their mentor. Thin CLI glue.

The report itself is assembled by :func:`onboard.flows.progress_report.make_report`, which the
app's "Export my progress report" uses too.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from onboard.cli.output import fail, problem_line, tell, write_output

if TYPE_CHECKING:
    from onboard.core.sessions.session import Session
    from onboard.core.storage.state import StateError, StateStore

#: ``--format`` from ``--output``'s extension when it is not given.
SUFFIX_FORMATS = {".md": "md", ".markdown": "md", ".json": "json", ".toml": "toml"}


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    report = commands.add_parser(
        "report",
        help="export what you did (checkpoints, contributions, stuck moments) for your mentor",
        description=(
            "Export your progress: checkpoints with times, issues, pull requests, reviews, "
            "non-code contributions, where you got stuck. Never tokens, never paths outside "
            "your workspace, your email only with --include-email."
        ),
    )
    report.add_argument("--session", type=Path, metavar="FILE", help="the mentor's session file")
    report.add_argument(
        "--format",
        choices=["md", "json", "toml"],  # report_render.FORMATS, which imports the report model
        help="default: from --output's extension, else md; mentors summarise json",
    )
    report.add_argument("--output", type=Path, metavar="FILE", help="write here, not to stdout")
    report.add_argument("--include-email", action="store_true", help="add your git user.email")
    report.add_argument(
        "--offline", action="store_true", help="do not ask your fork whether your branch is there"
    )
    report.set_defaults(handler=run)


def run(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    from onboard.core.sessions.report_render import render
    from onboard.core.sessions.session import SessionError
    from onboard.core.storage import paths
    from onboard.core.storage.state import StateError, StateStore
    from onboard.flows.progress_report import make_report

    fmt = args.format or SUFFIX_FORMATS.get(args.output.suffix.lower() if args.output else "", "md")
    store = StateStore(paths.state_path())
    try:
        session = _session(store, args.session)
    except SessionError as error:
        for problem in error.problems:
            print(problem_line(problem), file=sys.stderr)
        print(f"onboard: {args.session} is not a usable session file", file=sys.stderr)
        return 1
    try:
        report = make_report(
            store,
            session,
            check_remote=not args.offline,
            include_email=args.include_email,
            on_save_problem=_say_save_problem,
        )
    except StateError as error:
        return fail(error, one_line=True)
    if not write_output(args.output, render(report, fmt)):
        return 1
    if args.output is not None:
        print(f"Wrote your report to {args.output}. Check it, then send it to your mentor.")
    return 0


def _session(store: StateStore, file: Path | None) -> Session:
    from onboard.core.sessions.session import SELF_GUIDED_ID, load_session, self_guided_session

    if file is not None:
        session = load_session(file)
        _best_effort(lambda: store.join_session(session.id, session.title))
        return session
    active = store.active_session()
    title = store.session_progress(active).title if active else ""
    return self_guided_session(active or SELF_GUIDED_ID, title)


def _say_save_problem(error: StateError) -> None:
    tell(error, one_line=True)


def _best_effort(write: Callable[[], None]) -> None:
    """Progress that cannot be saved must not stop the report: say so and go on."""
    from onboard.core.storage.state import StateError

    try:
        write()
    except StateError as error:
        _say_save_problem(error)
