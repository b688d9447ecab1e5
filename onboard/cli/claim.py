"""``onboard claim OWNER/REPO#N --message-file FILE``: say on the issue that you work on it.

The app's claim (:func:`onboard.flows.act.post_claim`): the comment is the learner's own text,
from a file they wrote (start from the app's template with ``--template``). As in the app, a
text still holding a template placeholder ("<one or two sentences…>") is refused before
anything is sent, and the comment is posted only after the preview is confirmed (or ``--yes``).
Standard output is the comment's address.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from onboard.cli.journey_commands import add_forge_options, add_yes_option

if TYPE_CHECKING:
    from onboard.cli.journey_commands import Session
    from onboard.core.models import RepoRef


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    claim = commands.add_parser(
        "claim",
        help="post a polite comment on an issue saying you would like to work on it",
        description=(
            "Post the comment in FILE on the issue, after showing where, as whom and the "
            "text (or with --yes). `onboard claim --template` prints a friendly comment to "
            "start from. Prints the comment's address."
        ),
    )
    claim.add_argument("issue", metavar="OWNER/REPO#N", nargs="?")
    claim.add_argument("--message-file", type=Path, metavar="FILE", help="the comment to post")
    claim.add_argument(
        "--template", action="store_true", help="print a claim comment to edit, and stop"
    )
    add_yes_option(claim, "post the comment")
    claim.add_argument("--json", action="store_true", help="print the comment's address as JSON")
    add_forge_options(claim)
    claim.set_defaults(handler=run)


def run(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    from onboard.cli.journey_commands import (
        CommandFailed,
        parse_issue,
        read_text_file,
        run_reporting,
        session,
    )
    from onboard.core.public_actions import text_problem
    from onboard.flows.act import claim_template

    if args.template:
        print(claim_template())
        return 0
    if args.issue is None:
        parser.error("name the issue to claim: onboard claim OWNER/REPO#N --message-file FILE")
    repo, number = parse_issue(parser, args.issue)
    if args.message_file is None:
        parser.error(
            "--message-file FILE is needed: the comment to post (start from: "
            "onboard claim --template > FILE)"
        )

    def body() -> int:
        text = read_text_file(args.message_file, what="comment")
        problem = text_problem(text)
        if problem:  # before connecting: a template left as it is never gets near the forge
            raise CommandFailed(f"{args.message_file}: {problem}")
        with session(args) as current:
            return _post(current, args, repo, number, text)

    return run_reporting(body)


def _post(current: Session, args: argparse.Namespace, repo: RepoRef, number: int, text: str) -> int:
    from onboard.cli.confirm import confirm_public
    from onboard.cli.journey_commands import CommandFailed
    from onboard.cli.output import print_json
    from onboard.core.public_actions import ActionKind, PublicAction
    from onboard.core.text.sanitize import clean
    from onboard.flows import act

    journey = current.journey
    if journey.project and not current.same_project(repo):
        raise CommandFailed(
            f"Your journey is on {journey.project}: claim one of its issues, or start on "
            f"{repo} first with {current.command(f'setup {repo}')}."
        )
    issue = current.forge.issue(repo, number)
    if issue.state != "open":
        raise CommandFailed(f"{repo}#{number} is {issue.state}: there is nothing to claim.")
    if not journey.project:
        journey.choose(str(issue.repo))
    where = f"{issue.repo}#{issue.number}"
    confirm_public(
        PublicAction(ActionKind.CLAIM, where),
        yes=args.yes,
        question="Post this comment?",
        who=current.forge.whoami,
        heading=f"Claim {where}: {clean(issue.title, one_line=True, max_length=100)}",
        text=text,
    )
    url = act.post_claim(current.forge, current.store, journey, issue, text)
    if args.json:
        print_json({"repo": str(issue.repo), "number": issue.number, "url": url})
    else:
        print(url)
    return 0
