"""``onboard report``: export what the learner did, for their mentor. Thin CLI glue.

The report itself is assembled by :func:`onboard.flows.progress_report.make_report`, which the
app's "Export my progress report" uses too.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from onboard.cli.output import write_output
from onboard.core.sessions.report_render import render
from onboard.core.sessions.session import (
    SELF_GUIDED_ID,
    Session,
    SessionError,
    load_session,
    self_guided_session,
)
from onboard.core.storage import paths
from onboard.core.storage.state import StateError, StateStore
from onboard.core.text.sanitize import clean
from onboard.flows.progress_report import make_report

_SUFFIX_FORMATS = {".md": "md", ".markdown": "md", ".json": "json", ".toml": "toml"}


def run_report_command(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    fmt = args.format or _SUFFIX_FORMATS.get(
        args.output.suffix.lower() if args.output else "", "md"
    )
    store = StateStore(paths.state_path())
    try:
        session = _session(store, args.session)
    except SessionError as error:
        for problem in error.problems:
            print(clean(str(problem), one_line=True, max_length=1000), file=sys.stderr)
        print(f"onboard: {args.session} is not a usable session file", file=sys.stderr)
        return 1
    try:
        report = _build(store, session, args)
    except StateError as error:
        print(f"onboard: {clean(error, one_line=True)}", file=sys.stderr)
        return 1
    if not write_output(args.output, render(report, fmt)):
        return 1
    if args.output is not None:
        print(f"Wrote your report to {args.output}. Check it, then send it to your mentor.")
    return 0


def _session(store: StateStore, file: Path | None) -> Session:
    if file is not None:
        session = load_session(file)
        _best_effort(lambda: store.join_session(session.id, session.title))
        return session
    active = store.active_session()
    title = store.session_progress(active).title if active else ""
    return self_guided_session(active or SELF_GUIDED_ID, title)


def _build(store: StateStore, session: Session, args: argparse.Namespace) -> dict[str, object]:
    return make_report(
        store,
        session,
        check_remote=not args.offline,
        include_email=args.include_email,
        on_save_problem=_say_save_problem,
    )


def _say_save_problem(error: StateError) -> None:
    print(f"onboard: {clean(error, one_line=True)}", file=sys.stderr)


def _best_effort(write: Callable[[], None]) -> None:
    """Progress that cannot be saved must not stop the report: say so and go on."""
    try:
        write()
    except StateError as error:
        _say_save_problem(error)
