"""``onboard session ...``: the mentor's command line. Thin glue over the core modules.

- ``new`` writes a valid session file (a two-hour workshop unless told otherwise) with tomli-w;
- ``validate`` checks one, worded and exiting like ``onboard pack validate`` (0 / 1 / 2);
- ``summary`` aggregates learners' JSON reports (:mod:`onboard.core.sessions.cohort`);
- ``dashboard`` shows them live in the terminal (:mod:`onboard.ui.mentor_app`).
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from pathlib import Path

from onboard.cli.output import fail, print_validation, write_output
from onboard.core.models import Lane
from onboard.core.sessions.checkpoint_kind import CheckpointKind
from onboard.core.text.sanitize import clean

HEADER = (
    "# A mentor session for onboard: the format is described in guides/SESSION-FORMAT.md.\n"
    "# Check it after editing with: onboard session validate {path}\n"
)


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    session = commands.add_parser(
        "session",
        help="mentor sessions: write and check a session file; summarise or watch reports",
        description="Mentor sessions for workshops and cohorts (guides/SESSION-FORMAT.md).",
    )
    actions = session.add_subparsers(dest="session_command", metavar="ACTION", required=True)
    new = actions.add_parser(
        "new", help="write a session file (a two-hour workshop unless told otherwise)"
    )
    new.add_argument("path", nargs="?", type=Path, help="file to write (default: ID.toml)")
    new.add_argument("--title", help="the session's title")
    new.add_argument("--id", help="session id (default: from the title)")
    new.add_argument(
        "--pack", action="append", default=[], help="a guide pack (repeatable; default practice)"
    )
    new.add_argument(
        "--project", action="append", default=[], metavar="OWNER/REPO", help="allowed project"
    )
    new.add_argument(
        "--lane",
        action="append",
        default=[],
        metavar="LANE",
        choices=[lane.value for lane in Lane],
        help="an allowed kind of contribution (repeatable; default all): %(choices)s",
    )
    new.add_argument(
        "--checkpoint",
        action="append",
        default=[],
        metavar="KIND",
        choices=[kind.value for kind in CheckpointKind],
        help="a checkpoint (repeatable; default: a two-hour workshop's six): %(choices)s",
    )
    new.add_argument("--mentor", help="the mentor's name")
    new.add_argument("--mentor-contact", help="https:// or mailto: link")
    new.add_argument("--help-name", help="where to ask for help, e.g. '#workshop chat'")
    new.add_argument("--help-url", help="https:// or mailto: link for help")
    new.add_argument("--starts-at", help="e.g. 2025-06-12T14:00+02:00")
    new.add_argument("--force", action="store_true", help="replace an existing file")
    new.set_defaults(handler=_new)
    validate = actions.add_parser(
        "validate", help="check a session file (exit 0 valid, 1 invalid, 2 usage error)"
    )
    validate.add_argument("path", type=Path, help="the session file")
    validate.add_argument("--json", action="store_true", help="print the result as JSON")
    validate.set_defaults(handler=_validate)
    summary = actions.add_parser(
        "summary", help="summarise learners' JSON reports: checkpoints, barriers, who is stuck"
    )
    summary.add_argument("reports", nargs="+", type=Path, metavar="REPORT")
    summary.add_argument("--format", choices=["md", "json"], default="md")
    summary.add_argument("--output", type=Path, metavar="FILE", help="write here")
    summary.set_defaults(handler=_summary)
    dashboard = actions.add_parser(
        "dashboard",
        help="learners' JSON reports live in the terminal: who is stuck, who is where",
        description=(
            "Show the cohort in the terminal: who is stuck right now (first), each learner's "
            "progress, the checkpoints against the agenda, the barriers. The files are looked "
            "at every 5 seconds and read again when they change, so learners can drop their "
            "reports into a shared folder: onboard report --format json --output FOLDER/NAME.json"
        ),
    )
    dashboard.add_argument(
        "paths",
        nargs="+",
        type=Path,
        metavar="PATH",
        help="a learner's JSON report, or a folder of them (every *.json in it)",
    )
    dashboard.add_argument(
        "--every",
        type=float,
        default=5.0,
        metavar="SECONDS",
        help="look at the files this often (default: %(default)g; onboard serve uses 1, "
        "its learners' reports being on this computer)",
    )
    dashboard.set_defaults(handler=_dashboard)


def _installed() -> tuple[set[str], dict[str, str]]:
    """The names of the packs installed here, and each pack project that runs no tests
    (``owner/name`` in lower case -> its pack's name)."""
    from onboard.core.packs.loading import load_all_packs

    packs, errors = load_all_packs()
    names = {pack.name for pack in packs} | {
        problem.file.parent.name for error in errors for problem in error.problems[:1]
    }
    untested = {
        str(project.repo).lower(): pack.name
        for pack in packs
        for project in pack.projects
        if not project.test_command
    }
    return names, untested


def _new(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    from onboard.core.sessions.template import (
        DEFAULT_PACKS,
        DEFAULT_TITLE,
        WORKSHOP_CHECKPOINTS,
        session_toml,
        workshop_data,
    )
    from onboard.core.sessions.validation import validate_session_source

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
    names, untested = _installed()
    validation = validate_session_source(text, path, known_packs=names, untested=untested)
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
    from onboard.core.sessions.validation import validate_session_file

    path: Path = args.path
    if not path.is_file():
        what = "is a folder" if path.is_dir() else "does not exist"
        parser.exit(2, f"onboard: {path} {what}; expected a session file (TOML)\n")
    names, untested = _installed()
    validation = validate_session_file(path, known_packs=names, untested=untested)
    errors = [p for p in validation.problems if p.severity == "error"]
    return print_validation(
        "session",
        path,
        validation.problems,
        valid=validation.valid,
        counted=len(errors),
        as_json=args.json,
    )


def _summary(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    from onboard.core.sessions.cohort import load_reports, render_summary, summarise

    reports, problems = load_reports(args.reports)
    for problem in problems:
        print(f"onboard: {clean(problem, one_line=True, max_length=1000)}", file=sys.stderr)
    if not reports:
        return fail("no usable report; nothing to summarise")
    text = render_summary(summarise(reports, problems), args.format)
    if not write_output(args.output, text):
        return 1
    if args.output is not None:
        print(f"Wrote the summary of {len(reports)} reports to {args.output}")
    return 1 if problems else 0


def _dashboard(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    """Run the dashboard; unreadable files and an empty folder are shown on it, not refused."""
    from onboard.ui.mentor_app import MentorApp  # Textual: imported only when it is needed
    from onboard.ui.screens.mentor_dashboard import MentorDashboardScreen

    if not 0.2 <= args.every <= 3600:
        parser.error(f"--every must be between 0.2 and 3600 seconds, not {args.every:g}")
    app = MentorApp(MentorDashboardScreen(args.paths, poll_seconds=args.every))
    app.run()
    return app.return_code or 0  # non-zero when the app ended on a traceback
