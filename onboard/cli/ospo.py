"""``onboard ospo``: the open source program office's two views, for a quarterly review.

``ospo upstreams [PATH]``: which projects behind a manifest or SBOM (as ``onboard deps`` traces
them), or a list of ``OWNER/REPO`` lines, need help now, each signal saying how it was computed.
``ospo contributions --team team.toml --since DATE``: what the team's people gave back to those
projects, each count linked to the GitHub search that produced it.

Thin: the asking is :mod:`onboard.flows.ospo`, the counting and rendering :mod:`onboard.core.ospo`.
Exit status 0 done, 1 failed (one line on stderr), 2 usage.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from onboard.cli.journey_commands import add_forge_options
from onboard.cli.output import fail, tell
from onboard.core.text.sanitize import clean

FORMATS = ("text", "md", "csv", "json")


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    ospo = commands.add_parser(
        "ospo",
        help="for open source program offices: upstreams that need help, what your people gave",
        description="The upstream projects you depend on: which need help now, and what your "
        "people contributed to them (issues, pull requests, reviews, knowledge shared).",
    )
    views = ospo.add_subparsers(dest="view", metavar="VIEW", required=True)
    upstreams = views.add_parser(
        "upstreams",
        help="which upstreams need help: reviews waiting, unanswered issues, bus factor…",
    )
    upstreams.add_argument(
        "path",
        nargs="?",
        default=".",
        type=Path,
        help="project folder, manifest, CycloneDX/SPDX SBOM, or a file of OWNER/REPO lines",
    )
    _format_options(upstreams)
    add_forge_options(upstreams)
    upstreams.set_defaults(handler=run_upstreams)
    given = views.add_parser(
        "contributions",
        help="what your team gave back: issues, pull requests, reviews, per person and project",
    )
    given.add_argument("--team", type=Path, required=True, help="the team file (TOML)")
    given.add_argument("--since", type=_date, required=True, help="first day (YYYY-MM-DD)")
    given.add_argument("--until", type=_date, default=None, help="last day (default: today)")
    given.add_argument(
        "--upstreams",
        type=Path,
        default=Path(),
        help="project folder, manifest, SBOM or OWNER/REPO list (default: .)",
    )
    _format_options(given)
    add_forge_options(given)
    given.set_defaults(handler=run_contributions)


def _format_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=FORMATS, default=None, help="output (default text)")
    parser.add_argument("--json", action="store_true", help="the same as --format json")


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date; expected YYYY-MM-DD") from None


def _chosen_format(parser: argparse.ArgumentParser, args: argparse.Namespace) -> str:
    if args.json and args.format not in (None, "json"):
        parser.error("--json and --format say different things; give one")
    return "json" if args.json else args.format or "text"


def run_upstreams(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    from onboard.cli.journey_commands import progress, run_reporting, session
    from onboard.core.ospo import render
    from onboard.flows.ospo import read_upstreams, upstream_needs

    chosen = _chosen_format(parser, args)
    if not args.path.exists():
        parser.exit(2, f"onboard: {clean(args.path, one_line=True)} does not exist\n")

    def body() -> int:
        repos, untraced = read_upstreams(args.path)
        for line in untraced:
            tell(f"not traced: {line}", one_line=True)
        if not repos:
            return fail(f"no GitHub repository found behind {args.path}", one_line=True)
        with session(args) as current:
            needs, upstreams = upstream_needs(current.forge, repos, progress=progress)
        for old, new in upstreams.renamed.items():
            tell(f"{old} was renamed to {new}; counted once, as {new}", one_line=True)
        for name, reason in upstreams.missing.items():
            tell(f"{name}: {reason}", one_line=True)
        renderers = {
            "json": render.upstreams_json,
            "csv": render.upstreams_csv,
            "md": render.upstreams_markdown,
            "text": render.upstreams_text,
        }
        sys.stdout.write(renderers[chosen](needs))
        return 0

    return run_reporting(body)


def run_contributions(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    from onboard.cli.journey_commands import progress, run_reporting, session
    from onboard.core.ospo import render
    from onboard.core.ospo.team import TeamError, load_team
    from onboard.flows.ospo import count_contributions, read_upstreams

    chosen = _chosen_format(parser, args)
    until = args.until or date.today()
    if until < args.since:
        parser.error(f"--until {until} is before --since {args.since}")
    if not args.upstreams.exists():
        parser.exit(2, f"onboard: {clean(args.upstreams, one_line=True)} does not exist\n")
    try:
        team = load_team(args.team)
    except TeamError as error:
        return fail(error, one_line=True)

    def body() -> int:
        repos, untraced = read_upstreams(args.upstreams)
        for line in untraced:
            tell(f"not traced: {line}", one_line=True)
        if not repos:
            return fail(f"no GitHub repository found behind {args.upstreams}", one_line=True)
        with session(args) as current:
            report = count_contributions(
                current.forge, team, repos, args.since, until, progress=progress
            )
        renderers = {
            "json": render.contributions_json,
            "csv": render.contributions_csv,
            "md": render.contributions_markdown,
            "text": render.contributions_text,
        }
        sys.stdout.write(renderers[chosen](report))
        return 0

    return run_reporting(body)
