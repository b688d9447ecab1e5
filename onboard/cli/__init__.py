"""The ``onboard`` command line.

argparse rather than click: it is in the standard library (no dependency, nothing extra to
import before the first frame), gives sub-commands, ``--help`` and exit status 2 on usage errors
out of the box, which is all this CLI needs.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from onboard import __version__
from onboard.core.models import Lane

if TYPE_CHECKING:
    from onboard.core.sessions.session import Session
    from onboard.ui.app import OnboardApp

LANE_CHOICES = (*(lane.value for lane in Lane), "non-code")

EPILOG = """\
examples:
  onboard                         start the app against GitHub
  onboard practice                rehearse the whole journey offline
  onboard --session workshop.toml guided mode: a mentor's agenda, checkpoints and help
  onboard practice serve          run only the practice forge (for scripts and tests)
  onboard serve --practice        the app in a web browser, for a workshop
  onboard find pallets/flask --json

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
    parser.add_argument(
        "--session",
        type=Path,
        metavar="FILE",
        dest="session_file",
        help="guided mode: follow a mentor's session file (agenda, checkpoints, help)",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    practice = commands.add_parser(
        "practice",
        help="rehearse the journey against a local practice forge (offline, nobody watching)",
        description="Start a local practice forge and open the app against it.",
    )
    practice.add_argument("--data", type=Path, help="practice forge data folder")
    practice.add_argument(
        "--session",
        type=Path,
        metavar="FILE",
        dest="practice_session_file",
        help="guided mode: follow a mentor's session file",
    )
    practice_commands = practice.add_subparsers(dest="practice_command", metavar="ACTION")
    serve = practice_commands.add_parser(
        "serve", help="run only the practice forge until Ctrl+C", description="Run the forge."
    )
    serve.add_argument("--port", type=int, default=0, help="API port (default: a free one)")
    serve.add_argument("--data", type=Path, help="practice forge data folder")

    find = commands.add_parser(
        "find",
        help="list open, unassigned good first issues, ranked, with claim status",
        description=(
            "List open, unassigned beginner issues (pull requests excluded), ranked, with "
            "whether someone already works on them and why each is suggested."
        ),
    )
    find.add_argument("repos", nargs="*", metavar="OWNER/REPO")
    find.add_argument("--pack", action="append", default=[], help="every project of a guide pack")
    find.add_argument(
        "--lane",
        action="append",
        default=[],
        choices=[*LANE_CHOICES],
        help="only this kind of contribution (repeatable; 'non-code' means every other lane)",
    )
    find.add_argument(
        "--status",
        action="append",
        default=[],
        choices=["free", "taken", "unknown"],
        help="only issues with this claim status (repeatable)",
    )
    find.add_argument(
        "--language",
        action="append",
        default=[],
        help="a language you know; matching projects rank higher (repeatable)",
    )
    find.add_argument(
        "--interest",
        action="append",
        default=[],
        choices=[lane.value for lane in Lane],
        help="a kind of contribution you like; it ranks higher (repeatable)",
    )
    find.add_argument("--limit", type=int, default=30, help="at most this many (default 30)")
    find.add_argument("--json", action="store_true", help="print a JSON array")

    deps = commands.add_parser(
        "deps",
        help="find the GitHub projects behind your own dependencies, with beginner issues",
        description=(
            "Read a project's pyproject.toml, requirements*.txt, package.json or CycloneDX/SPDX "
            "JSON SBOM, trace each dependency to its GitHub repository (installed metadata, then "
            "PyPI and npm; ONBOARD_PYPI_URL and ONBOARD_NPM_URL select mirrors) and count each "
            "repository's open beginner issues."
        ),
    )
    deps.add_argument(
        "path", nargs="?", default=".", type=Path, help="project folder or manifest (default: .)"
    )
    deps.add_argument("--json", action="store_true", help="print a JSON array")
    deps.add_argument(
        "--offline",
        action="store_true",
        help="ask no registry and no forge (installed metadata and cached answers only)",
    )

    pack = commands.add_parser(
        "pack",
        help="create, check, install and remove guide packs",
        description="Guide packs: projects, setup steps and contributions (guides/FORMAT.md).",
    )
    pack_commands = pack.add_subparsers(dest="pack_command", metavar="ACTION", required=True)
    new = pack_commands.add_parser("new", help="write a small valid pack to start from")
    new.add_argument("name", help="pack name: lowercase letters, digits and '-'")
    new.add_argument("--dir", type=Path, help="folder to create (default: ./NAME)")
    validate = pack_commands.add_parser(
        "validate",
        help="check a pack (exit 0 valid, 1 invalid, 2 usage error)",
        description="Check a pack folder: syntax, schema, files; --online also asks GitHub.",
    )
    validate.add_argument("path", type=Path, help="pack folder (or its pack.toml)")
    validate.add_argument("--online", action="store_true", help="check repositories and labels")
    validate.add_argument("--json", action="store_true", help="print the result as JSON")
    listing = pack_commands.add_parser("list", help="list built-in and installed packs")
    listing.add_argument("--json", action="store_true", help="print a JSON array")
    install = pack_commands.add_parser("install", help="install a pack from a folder or git URL")
    install.add_argument("source", metavar="PATH|GIT_URL")
    install.add_argument("--force", action="store_true", help="replace an installed pack")
    remove = pack_commands.add_parser("remove", help="remove an installed pack")
    remove.add_argument("name")

    doctor = commands.add_parser(
        "doctor",
        help="is this machine ready to contribute? (exit 0 ready, 1 something to fix)",
        description=(
            "Check git, your commit identity, the token and its scopes, the connection, and "
            "the tools a project needs (read from its files; nothing in it is run)."
        ),
    )
    doctor.add_argument(
        "path", nargs="?", type=Path, help="a project folder (default: your journey's clone)"
    )
    doctor.add_argument("--json", action="store_true", help="print the checks as JSON")
    doctor.add_argument("--practice", action="store_true", help="check against the practice forge")

    auth = commands.add_parser(
        "auth",
        help="sign in: check and store a GitHub token, show where it comes from, forget it",
        description="Store a token in your system keyring (or a file only you can read).",
    )
    auth_commands = auth.add_subparsers(dest="auth_command", metavar="ACTION", required=True)
    login = auth_commands.add_parser(
        "login", help="check a token with GitHub, then store it (typed without echo)"
    )
    login.add_argument(
        "--with-token", action="store_true", help="read the token from standard input"
    )
    auth_commands.add_parser("status", help="where the token comes from (never shows it)")
    auth_commands.add_parser("logout", help="forget the token stored by onboard auth login")

    web = commands.add_parser(
        "serve",
        help="run the app in a web browser, for workshops (each tab gets its own app)",
        description=(
            "Serve the app to web browsers with textual-serve. Only this computer can reach it "
            "unless --host says otherwise; whoever reaches it acts with your token."
        ),
    )
    web.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default: %(default)s)"
    )
    web.add_argument("--port", type=int, default=8000, help="port (default: %(default)s)")
    web.add_argument(
        "--practice", action="store_true", help="every tab practises on one shared practice forge"
    )
    web.add_argument("--data", type=Path, help="practice forge data folder (with --practice)")
    web.add_argument("--public-url", help="the address browsers use, behind a reverse proxy")
    web.add_argument(
        "--session",
        type=Path,
        metavar="FILE",
        dest="session_file",
        help="every tab runs guided mode with this mentor's session file",
    )

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
        choices=["md", "json", "toml"],
        help="default: from --output's extension, else md; mentors summarise json",
    )
    report.add_argument("--output", type=Path, metavar="FILE", help="write here, not to stdout")
    report.add_argument("--include-email", action="store_true", help="add your git user.email")
    report.add_argument(
        "--offline", action="store_true", help="do not ask your fork whether your branch is there"
    )

    session = commands.add_parser(
        "session",
        help="mentor sessions: write and check a session file; summarise or watch reports",
        description="Mentor sessions for workshops and cohorts (guides/SESSION-FORMAT.md).",
    )
    session_commands = session.add_subparsers(
        dest="session_command", metavar="ACTION", required=True
    )
    session_new = session_commands.add_parser(
        "new", help="write a session file (a two-hour workshop unless told otherwise)"
    )
    session_new.add_argument("path", nargs="?", type=Path, help="file to write (default: ID.toml)")
    session_new.add_argument("--title", help="the session's title")
    session_new.add_argument("--id", help="session id (default: from the title)")
    session_new.add_argument(
        "--pack", action="append", default=[], help="a guide pack (repeatable; default practice)"
    )
    session_new.add_argument(
        "--project", action="append", default=[], metavar="OWNER/REPO", help="allowed project"
    )
    session_new.add_argument(
        "--lane",
        action="append",
        default=[],
        metavar="LANE",
        choices=[lane.value for lane in Lane],
        help="an allowed kind of contribution (repeatable; default all): %(choices)s",
    )
    session_new.add_argument(
        "--checkpoint",
        action="append",
        default=[],
        metavar="KIND",
        choices=[
            "project_chosen",
            "fork_created",
            "fork_cloned",
            "tests_ran",
            "issue_chosen",
            "issue_claimed",
            "branch_pushed",
            "draft_pr_opened",
            "review_given",
            "noncode_done",
        ],
        help="a checkpoint (repeatable; default: a two-hour workshop's six): %(choices)s",
    )
    session_new.add_argument("--mentor", help="the mentor's name")
    session_new.add_argument("--mentor-contact", help="https:// or mailto: link")
    session_new.add_argument("--help-name", help="where to ask for help, e.g. '#workshop chat'")
    session_new.add_argument("--help-url", help="https:// or mailto: link for help")
    session_new.add_argument("--starts-at", help="e.g. 2025-06-12T14:00+02:00")
    session_new.add_argument("--force", action="store_true", help="replace an existing file")
    session_validate = session_commands.add_parser(
        "validate", help="check a session file (exit 0 valid, 1 invalid, 2 usage error)"
    )
    session_validate.add_argument("path", type=Path, help="the session file")
    session_validate.add_argument("--json", action="store_true", help="print the result as JSON")
    session_summary = session_commands.add_parser(
        "summary", help="summarise learners' JSON reports: checkpoints, barriers, who is stuck"
    )
    session_summary.add_argument("reports", nargs="+", type=Path, metavar="REPORT")
    session_summary.add_argument("--format", choices=["md", "json"], default="md")
    session_summary.add_argument("--output", type=Path, metavar="FILE", help="write here")
    session_dashboard = session_commands.add_parser(
        "dashboard",
        help="learners' JSON reports live in the terminal: who is stuck, who is where",
        description=(
            "Show the cohort in the terminal: who is stuck right now (first), each learner's "
            "progress, the checkpoints against the agenda, the barriers. The files are looked "
            "at every 5 seconds and read again when they change, so learners can drop their "
            "reports into a shared folder: onboard report --format json --output FOLDER/NAME.json"
        ),
    )
    session_dashboard.add_argument(
        "paths",
        nargs="+",
        type=Path,
        metavar="PATH",
        help="a learner's JSON report, or a folder of them (every *.json in it)",
    )

    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command == "find":
        return _find(parser, args)
    if args.command == "deps":
        from onboard.cli.deps import run_deps_command

        return run_deps_command(parser, args)
    if args.command == "pack":
        from onboard.cli.pack import run_pack_command

        return run_pack_command(parser, args)
    if args.command == "auth":
        from onboard.cli.auth import run_auth_command

        return run_auth_command(parser, args)
    if args.command == "serve":
        from onboard.cli.serve import run_serve_command

        return run_serve_command(parser, args)
    if args.command == "report":
        from onboard.cli.report import run_report_command

        return run_report_command(parser, args)
    if args.command == "session":
        from onboard.cli.session import run_session_command

        return run_session_command(parser, args)
    if args.command == "doctor":
        from onboard.cli.doctor import run_doctor_command

        return run_doctor_command(args)
    if args.command == "practice":
        if args.practice_command == "serve":
            return _serve(args)
        session_file = args.practice_session_file or args.session_file
        return _run_tui(session_file, practice=True, data=args.data)
    return _run_tui(args.session_file, practice=False)


def _run_tui(session_file: Path | None, *, practice: bool, data: Path | None = None) -> int:
    """Start the app; guided mode with a session file (on the practice forge if it needs it)."""
    session = None
    if session_file is not None:
        from onboard.cli.guided import load_guided_session

        guided = load_guided_session(session_file)
        if guided is None:
            return 1
        session = guided.session
        practice = practice or guided.needs_practice
    if practice:
        return _run_practice_tui(data, session)
    return _run_github_tui(session)


def _find(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    from onboard.core.models import ClaimStatus, Preferences, Project, RepoRef
    from onboard.core.packs.loading import load_all_packs
    from onboard.core.text.sanitize import clean
    from onboard.core.text.timefmt import ago
    from onboard.flows.discover import discover
    from onboard.forge.base import ForgeError, ForgeUnreachable
    from onboard.forge.connect import github_config
    from onboard.forge.github import GitHubForge

    try:
        repos = [RepoRef.parse(text) for text in args.repos]
    except ValueError as error:
        parser.error(str(error))
    if args.limit < 1:
        parser.error("--limit must be at least 1")
    packs, _errors = load_all_packs()
    known: dict[RepoRef, Project] = {p.repo: p for pack in packs for p in pack.projects}
    targets: dict[RepoRef, Project | None] = {repo: known.get(repo) for repo in repos}
    for name in args.pack:
        pack = next((p for p in packs if p.name == name), None)
        if pack is None:
            parser.error(f"no guide pack is named {name!r} (see: onboard pack list)")
        targets.update({project.repo: project for project in pack.projects})
    if not targets:
        parser.error("name at least one OWNER/REPO, or a guide pack with --pack")
    try:
        preferences = Preferences(tuple(args.language), tuple(Lane(name) for name in args.interest))
        discovery = discover(
            GitHubForge(github_config()), list(targets.items()), preferences=preferences
        )
        found = discovery.contributions
    except ForgeError as error:
        offline = isinstance(error, ForgeUnreachable)
        hint = " (To rehearse offline: onboard practice)" if offline else ""
        print(f"onboard: {error}{hint}", file=sys.stderr)
        return 1
    lanes = {Lane(name) for name in args.lane if name != "non-code"}
    if "non-code" in args.lane:
        lanes |= {lane for lane in Lane if not lane.is_code}
    statuses = {
        "free": ClaimStatus.FREE,
        "taken": ClaimStatus.TAKEN,
        "unknown": ClaimStatus.UNKNOWN,
    }
    wanted = {statuses[name] for name in args.status}
    found = [
        c
        for c in found
        if (not lanes or c.lane in lanes) and (not wanted or c.claim.status in wanted)
    ][: args.limit]
    age = ago(discovery.freshness.fetched_at)
    if discovery.freshness.stale_reason:
        reason = clean(discovery.freshness.stale_reason, one_line=True)
        print(f"onboard: offline, showing data from {age}: {reason}", file=sys.stderr)
    if args.json:
        print(json.dumps([c.to_json() for c in found], indent=2, ensure_ascii=False))
        return 0
    print(f"(fetched {age})", file=sys.stderr)
    if not found:
        print("No open, unassigned good first issues found.")
    else:
        for c in found:
            title = clean(c.issue.title, one_line=True, max_length=90)
            where = f"{c.issue.repo}#{c.issue.number}"
            print(f"{c.claim.status.value:<12} {c.lane.title:<14} {where}  {title}")
            why = clean(" · ".join(c.reasons), one_line=True, max_length=160)
            print(f"{'':<27} {why}  {clean(c.issue.url)}")
    return 0


def _serve(args: argparse.Namespace) -> int:
    from onboard.core.storage import paths
    from onboard.practice import serve

    return serve(args.data or paths.practice_dir(), port=args.port)


def _run_practice_tui(data: Path | None, session: Session | None = None) -> int:
    from onboard.forge.connect import PracticeSession
    from onboard.ui.app import OnboardApp

    practice = PracticeSession(data)
    try:
        config = practice.start()
    except OSError as error:  # its data folder cannot be written: say so, no traceback
        practice.stop()
        reason = (error.strerror or type(error).__name__).lower()
        print(
            f"onboard: Cannot start the practice forge in {practice.data_dir}: {reason}. "
            "Make that folder writable, or choose another with --data.",
            file=sys.stderr,
        )
        return 1
    try:
        app = OnboardApp(config, practice=practice, session=session)
        app.run()
    finally:
        practice.stop()
    return _after_app(app)


def _run_github_tui(session: Session | None = None) -> int:
    from onboard.forge.base import ForgeError
    from onboard.forge.connect import PracticeSession, github_config
    from onboard.ui.app import OnboardApp

    try:
        config = github_config()
    except ForgeError as error:  # an unsafe stored token file: say so rather than ignore it
        print(f"onboard: {error}", file=sys.stderr)
        return 1
    practice = PracticeSession()
    try:
        app = OnboardApp(config, practice=practice, session=session)
        app.run()
    finally:
        practice.stop()
    return _after_app(app)


def _after_app(app: OnboardApp) -> int:
    """Repeat, in the terminal, why progress could not be saved: the app's screen is gone."""
    if app.save_problem:
        from onboard.core.text.sanitize import clean

        print(f"onboard: {clean(app.save_problem)}", file=sys.stderr)
    return 0
