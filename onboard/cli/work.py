"""``onboard work OWNER/REPO#N``: a branch of its own for that issue, from the latest upstream.

The app's "Work on this one" (:func:`onboard.flows.act.start_work`): in the journey's clone of
the project, fetch upstream and switch to ``issue-<n>-<slug>`` started from its default branch
(or back to that branch when it exists). Nothing public happens: the branch stays on this
computer until ``onboard pr``. Standard output is the branch's name.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from onboard.cli.journey_commands import add_forge_options

if TYPE_CHECKING:
    from onboard.cli.journey_commands import Session
    from onboard.core.models import RepoRef


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    work = commands.add_parser(
        "work",
        help="start a branch for an issue, from the latest upstream, in the project's clone",
        description=(
            "In your clone of the project (set up with `onboard setup`), fetch upstream and "
            "switch to a new branch for the issue, named issue-<number>-<words of its title>. "
            "Prints the branch's name."
        ),
    )
    work.add_argument("issue", metavar="OWNER/REPO#N")
    work.add_argument("--json", action="store_true", help="print the branch, clone and issue")
    add_forge_options(work)
    work.set_defaults(handler=run)


def run(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    from onboard.cli.journey_commands import parse_issue, run_reporting, session

    repo, number = parse_issue(parser, args.issue)

    def body() -> int:
        with session(args) as current:
            return _start(current, args, repo, number)

    return run_reporting(body)


def _start(current: Session, args: argparse.Namespace, repo: RepoRef, number: int) -> int:
    from onboard.cli.journey_commands import progress, require_clone
    from onboard.cli.output import print_json
    from onboard.core.storage.paths import display_path
    from onboard.core.text.sanitize import clean
    from onboard.flows import act

    path = require_clone(current, repo)
    issue = current.forge.issue(repo, number)
    title = clean(issue.title, one_line=True, max_length=100)
    if issue.state != "open":
        progress(f"Note: {repo}#{number} is {clean(issue.state, one_line=True)}.")
    progress(f"Starting work on {repo}#{number}: {title}")
    progress("  fetching the latest upstream…")
    branch = act.start_work(current.forge, current.store, current.journey, issue)
    progress(f"  on branch {branch} in {display_path(path)}")
    progress("Make your change there, commit it, then run `onboard pr` in that folder.")
    if args.json:
        print_json(
            {
                "repo": str(issue.repo),
                "number": issue.number,
                "title": issue.title,
                "url": issue.url,
                "branch": branch,
                "path": str(path),
            }
        )
    else:
        print(branch)
    return 0
