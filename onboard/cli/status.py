"""``onboard status [--json]``: your claims and pull requests, with their state now.

The same refresh as the app's *My contributions* (:func:`onboard.flows.contributions.refresh`),
for a terminal, a screen reader or a script. A row the forge could not answer for is shown from
the last answer with its age (or as unknown), never dropped; the command fails (exit status 1,
one line on standard error) only when nothing at all could be shown. Titles, names and the
forge's messages are printed as inert text.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from onboard.cli.journey_commands import add_forge_options

if TYPE_CHECKING:
    from onboard.core.contributions.rows import ContributionRow


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    status = commands.add_parser(
        "status",
        help="your claims and pull requests: checks, reviews, replies, merged or closed",
        description=(
            "Every claim and pull request you made with onboard, across projects, with its "
            "state now: checks, review, replies since you last looked, quiet days, and what "
            "to do next."
        ),
    )
    status.add_argument("--json", action="store_true", help="print a JSON array of objects")
    status.add_argument(
        "--quiet-days",
        type=int,
        metavar="DAYS",
        help="from now on, call a contribution quiet after DAYS without an answer (default 7)",
    )
    add_forge_options(status)
    status.set_defaults(handler=run)


def run(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    from onboard.cli.journey_commands import CommandFailed, run_reporting, session

    if args.quiet_days is not None and args.quiet_days < 1:
        parser.error("--quiet-days must be at least 1")

    def body() -> int:
        from onboard.cli.output import print_json, tell
        from onboard.flows.contributions import refresh

        with session(args) as current:
            if args.quiet_days is not None:  # saved: the app's My contributions uses it too
                current.store.save_quiet_days(args.quiet_days)
            view = refresh(current.forge, current.store)
        rows = view.rows
        if rows and all(row.state == "unknown" for row in rows) and view.offline:
            first = next(row.error for row in rows if row.error)
            raise CommandFailed(f"{first} (To rehearse offline: add --practice)")
        for note in (view.stale_note(), view.elsewhere_note()):
            if note:
                tell(note, one_line=True)
        if args.json:
            print_json([row.to_json() for row in rows])
        elif not rows:
            print("No claims or pull requests yet: claim an issue or open a pull request first.")
        else:
            for row in rows:
                print_row(row)
        return 0

    return run_reporting(body)


def print_row(row: ContributionRow) -> None:
    """Two or three lines: what and where, its state, then the next step (and why stale)."""
    from onboard.core.text.sanitize import clean
    from onboard.core.text.timefmt import ago

    title = clean(row.record.title, one_line=True, max_length=80)
    print(f"{row.kind.value:<5} {row.state:<7} {clean(row.where, one_line=True)}  {title}")
    facts = []
    if row.kind.value == "pull":
        facts += [f"checks {row.checks.state.value}", f"review {row.review.value}"]
        if row.draft:
            facts.append("draft")
    if row.replies_since:
        facts.append(f"{row.replies_since} new since you looked")
    if row.quiet_days is not None:
        facts.append(f"quiet {row.quiet_days} days")
    facts.append(clean(row.record.url, one_line=True))
    print(f"      {' · '.join(facts)}")
    print(f"      {clean(row.next_step, one_line=True, max_length=200)}")
    if row.error:
        age = f" (as of {ago(row.fetched_at)})" if row.fetched_at else ""
        print(f"      not refreshed{age}: {clean(row.error, one_line=True, max_length=200)}")
    sys.stdout.flush()
