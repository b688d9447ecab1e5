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

from onboard import __version__

EPILOG = """\
examples:
  onboard                         start the app against GitHub
  onboard practice                rehearse the whole journey offline
  onboard practice serve          run only the practice forge (for scripts and tests)
  onboard find pallets/flask --json

A token is read from GH_TOKEN, GITHUB_TOKEN, or `gh auth token`; GITHUB_API_URL selects the API.
"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="onboard",
        description="From 'I want to contribute' to a first open-source contribution.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"onboard {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    practice = commands.add_parser(
        "practice",
        help="rehearse the journey against a local practice forge (offline, nobody watching)",
        description="Start a local practice forge and open the app against it.",
    )
    practice.add_argument("--data", type=Path, help="practice forge data folder")
    practice_commands = practice.add_subparsers(dest="practice_command", metavar="ACTION")
    serve = practice_commands.add_parser(
        "serve", help="run only the practice forge until Ctrl+C", description="Run the forge."
    )
    serve.add_argument("--port", type=int, default=0, help="API port (default: a free one)")
    serve.add_argument("--data", type=Path, help="practice forge data folder")

    find = commands.add_parser(
        "find",
        help="list open, unassigned good first issues of repositories",
        description="List open, unassigned good-first issues (pull requests excluded).",
    )
    find.add_argument("repos", nargs="+", metavar="OWNER/REPO")
    find.add_argument("--json", action="store_true", help="print a JSON array")

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
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command == "find":
        return _find(parser, args)
    if args.command == "pack":
        from onboard.pack_commands import run_pack_command

        return run_pack_command(parser, args)
    if args.command == "practice":
        if args.practice_command == "serve":
            return _serve(args)
        return _run_practice_tui(args.data)
    return _run_github_tui()


def _find(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    from onboard.core.models import RepoRef
    from onboard.core.sanitize import clean
    from onboard.forge.base import ForgeError, ForgeUnreachable
    from onboard.forge.connect import github_config
    from onboard.forge.github import GitHubForge

    try:
        repos = [RepoRef.parse(text) for text in args.repos]
    except ValueError as error:
        parser.error(str(error))
    forge = GitHubForge(github_config())
    try:
        issues = forge.good_first_issues(repos)
    except ForgeError as error:
        hint = (
            " (To rehearse offline: onboard practice)"
            if isinstance(error, ForgeUnreachable)
            else ""
        )
        print(f"onboard: {error}{hint}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps([issue.to_json() for issue in issues], indent=2, ensure_ascii=False))
    elif not issues:
        print("No open, unassigned good first issues found.")
    else:
        for issue in issues:
            title = clean(issue.title, one_line=True, max_length=100)
            labels = clean(", ".join(issue.label_names), one_line=True, max_length=80)
            print(f"{issue.repo}#{issue.number}  {title}  [{labels}]  {clean(issue.url)}")
    return 0


def _serve(args: argparse.Namespace) -> int:
    from onboard.core import paths
    from onboard.forge.practice import serve

    return serve(args.data or paths.practice_dir(), port=args.port)


def _run_practice_tui(data: Path | None) -> int:
    from onboard.forge.connect import PracticeSession
    from onboard.ui.app import OnboardApp

    session = PracticeSession(data)
    try:
        config = session.start()
        OnboardApp(config, practice=session).run()
    finally:
        session.stop()
    return 0


def _run_github_tui() -> int:
    from onboard.forge.connect import PracticeSession, github_config
    from onboard.ui.app import OnboardApp

    session = PracticeSession()
    try:
        OnboardApp(github_config(), practice=session).run()
    finally:
        session.stop()
    return 0
