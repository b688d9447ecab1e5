"""``onboard session ...``: the mentor's command line. Thin glue over the core modules.

- ``new`` writes a valid session file (a two-hour workshop unless told otherwise) with tomli-w;
- ``validate`` checks one, worded and exiting like ``onboard pack validate`` (0 / 1 / 2);
- ``summary`` aggregates learners' JSON reports (:mod:`onboard.core.sessions.cohort`);
- ``dashboard`` shows them live in the terminal (:mod:`onboard.ui.mentor_app`).
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime
from pathlib import Path

from onboard.cli.output import write_output
from onboard.core.packs.loading import load_all_packs
from onboard.core.schemas.problems import Problem
from onboard.core.sessions.cohort import load_reports, render_summary, summarise
from onboard.core.sessions.session import CheckpointKind
from onboard.core.sessions.template import (
    DEFAULT_PACKS,
    DEFAULT_TITLE,
    WORKSHOP_CHECKPOINTS,
    session_toml,
    workshop_data,
)
from onboard.core.sessions.validation import validate_session_file, validate_session_source
from onboard.core.text.sanitize import clean

HEADER = (
    "# A mentor session for onboard: the format is described in guides/SESSION-FORMAT.md.\n"
    "# Check it after editing with: onboard session validate {path}\n"
)


def run_session_command(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    action = args.session_command
    if action == "new":
        return _new(parser, args)
    if action == "validate":
        return _validate(parser, args)
    if action == "summary":
        return _summary(args)
    if action == "dashboard":
        return _dashboard(args)
    parser.error(f"unknown session action {action!r}")


def _known_packs() -> set[str]:
    packs, errors = load_all_packs()
    return {pack.name for pack in packs} | {
        problem.file.parent.name for error in errors for problem in error.problems[:1]
    }


def _one_line(problem: Problem) -> str:
    return clean(str(problem), one_line=True, max_length=1000)


def _new(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    starts_at = None
    if args.starts_at:
        try:
            starts_at = datetime.fromisoformat(args.starts_at.replace("Z", "+00:00"))
        except ValueError:
            parser.error(f"--starts-at {args.starts_at!r}: expected e.g. 2025-06-12T14:00+02:00")
        if starts_at.tzinfo is None:
            parser.error("--starts-at needs its UTC offset, e.g. 2025-06-12T14:00+02:00")
    data = workshop_data(
        title=args.title or DEFAULT_TITLE,
        session_id=args.id,
        packs=args.pack or DEFAULT_PACKS,
        kinds=[CheckpointKind(kind) for kind in args.checkpoint] or WORKSHOP_CHECKPOINTS,
        projects=args.project,
        lanes=args.lane,
        mentor=args.mentor,
        mentor_contact=args.mentor_contact,
        help_name=args.help_name,
        help_url=args.help_url,
        starts_at=starts_at,
    )
    path: Path = args.path or Path(f"{data['id']}.toml")
    text = HEADER.format(path=path) + session_toml(data)
    validation = validate_session_source(text, path, known_packs=_known_packs())
    errors = [p for p in validation.problems if p.severity == "error"]
    if errors:  # a flag's value the format does not allow: nothing is written
        for problem in errors:
            print(f"onboard: {clean(problem.key)}: {clean(problem.message)}", file=sys.stderr)
        return 2
    if path.exists() and not args.force:
        print(f"onboard: {path} already exists; add --force to replace it", file=sys.stderr)
        return 1
    if not write_output(path, text):
        return 1
    for problem in validation.problems:  # warnings, such as a pack not installed here
        print(f"onboard: {clean(problem.key)}: {clean(problem.message)}", file=sys.stderr)
    minutes = sum(item["minutes"] for item in data["agenda"])
    print(
        f"Created {path}: {len(data['checkpoints'])} checkpoints, a {minutes}-minute agenda. "
        f"Edit it, then run: onboard session validate {path}"
    )
    return 0


def _validate(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    path: Path = args.path
    if not path.is_file():
        what = "is a folder" if path.is_dir() else "does not exist"
        parser.exit(2, f"onboard: {path} {what}; expected a session file (TOML)\n")
    validation = validate_session_file(path, known_packs=_known_packs())
    if args.json:
        report = {
            "session": str(path),
            "valid": validation.valid,
            "problems": [problem.to_json() for problem in validation.problems],
        }
        print(json.dumps(report, indent=2, ensure_ascii=False))
    else:
        for problem in validation.problems:
            print(_one_line(problem))
        errors = [p for p in validation.problems if p.severity == "error"]
        summary = "valid" if validation.valid else f"invalid ({len(errors)} problems)"
        print(f"{path}: {summary}", file=sys.stderr)
    return 0 if validation.valid else 1


def _summary(args: argparse.Namespace) -> int:
    reports, problems = load_reports(args.reports)
    for problem in problems:
        print(f"onboard: {clean(problem, one_line=True, max_length=1000)}", file=sys.stderr)
    if not reports:
        print("onboard: no usable report; nothing to summarise", file=sys.stderr)
        return 1
    text = render_summary(summarise(reports, problems), args.format)
    if not write_output(args.output, text):
        return 1
    if args.output is not None:
        print(f"Wrote the summary of {len(reports)} reports to {args.output}")
    return 1 if problems else 0


def _dashboard(args: argparse.Namespace) -> int:
    """Run the dashboard; unreadable files and an empty folder are shown on it, not refused."""
    from onboard.ui.mentor_app import MentorApp  # Textual: imported only when it is needed
    from onboard.ui.screens.mentor_dashboard import MentorDashboardScreen

    MentorApp(MentorDashboardScreen(args.paths)).run()
    return 0
