"""``onboard pr``, inside the clone: push the branch to your fork and open a pull request.

The app's "open a draft pull request" (:func:`onboard.flows.act.open_draft_pull`) for the
journey's issue, on the branch ``onboard work`` made for it. The title and description start
from the app's (:func:`onboard.flows.act.default_pull_text`: the project's pull request
template with ``Fixes #N`` when it has one; ``--template`` prints the description to edit).
As in the app a description that still holds a template placeholder is refused before
anything is pushed, and so is an unfilled project template. A branch without commits is
refused too, before the question is asked. Draft by default: ``--ready`` asks for review at
once. Standard output is the pull request's address.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from onboard.cli.journey_commands import add_forge_options, add_yes_option

if TYPE_CHECKING:
    from onboard.cli.journey_commands import Session


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    pr = commands.add_parser(
        "pr",
        help="inside your clone: push your branch and open a draft pull request",
        description=(
            "Run inside your clone, on the branch `onboard work` created: push it to your fork "
            "and open a draft pull request (or a ready one, with --ready) for the issue you "
            "work on, after showing where, as whom, the title and the description (or with "
            "--yes). Prints the pull request's address."
        ),
    )
    pr.add_argument("--title", help="the title (default: the issue's title)")
    pr.add_argument(
        "--body-file", type=Path, metavar="FILE", help="the description (see --template)"
    )
    pr.add_argument(
        "--template",
        action="store_true",
        help="print the description to start from (it says Fixes #N), and stop",
    )
    pr.add_argument("--ready", action="store_true", help="ready for review at once, not a draft")
    add_yes_option(pr, "push and open the pull request")
    pr.add_argument("--json", action="store_true", help="print the pull request as JSON")
    add_forge_options(pr)
    pr.set_defaults(handler=run)


def run(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    from onboard.cli.journey_commands import read_text_file, run_reporting, session

    if args.title is not None and not args.title.strip():
        parser.error("--title is empty: a pull request needs a title")

    def body() -> int:
        text = None
        if args.body_file is not None:
            text = read_text_file(args.body_file, what="description")
        with session(args) as current:
            return _open(current, args, text)

    return run_reporting(body)


def _open(current: Session, args: argparse.Namespace, text: str | None) -> int:
    from onboard.cli.confirm import confirm_public
    from onboard.cli.journey_commands import CommandFailed, progress, work_in_clone
    from onboard.cli.output import print_json
    from onboard.core.public_actions import ActionKind, PublicAction, text_problem
    from onboard.core.text.sanitize import clean
    from onboard.flows import act
    from onboard.forge.base import ForgeError
    from onboard.workspace import setup as ws
    from onboard.workspace.changes import pull_template

    journey = current.journey
    repo, path, number = work_in_clone(current, "pr")
    branch = journey.work_branch
    on = ws.inspect(path).branch
    if on != branch:
        where = f"on branch '{on}'" if on else "not on a branch"
        raise CommandFailed(
            f"You are {where}; your work on #{journey.issue} is on '{branch}': "
            f"`git switch {branch}` first."
        )
    issue = current.forge.issue(repo, number)
    template = pull_template(path)  # the project's own, from GitHub's documented places
    default_title, default_body = act.default_pull_text(issue, template.text if template else None)
    if args.template:
        print(default_body)
        return 0
    title = args.title.strip() if args.title is not None else default_title
    body = text if text is not None else default_body
    problem = text_problem(body, what="description")
    if text is None and (problem or template is not None):  # a template to fill in, either way
        raise CommandFailed(
            "The description needs your words: `onboard pr --template > pr.md`, fill it in, "
            "then `onboard pr --body-file pr.md`."
        )
    if problem:
        raise CommandFailed(f"{args.body_file}: {problem}")
    base = current.forge.repo(issue.repo).default_branch
    if ws.commits_ahead(path, branch, f"upstream/{base}") == 0:
        raise CommandFailed(
            f"Branch '{branch}' has no commits yet. Make your change, then `git add` and "
            "`git commit` it, and try again."
        )
    draft = not args.ready
    confirm_public(
        PublicAction(
            ActionKind.PULL if draft else ActionKind.READY_PULL, f"{issue.repo} (branch {branch})"
        ),
        yes=args.yes,
        question="Push and open it?",
        who=current.forge.whoami,
        heading=(
            f"Open a {'draft ' if draft else ''}pull request for {issue.repo}#{issue.number}: "
            f"{clean(issue.title, one_line=True, max_length=100)}"
        ),
        title=title,
        text=body,
    )
    progress(f"Pushing {branch} to your fork {journey.fork} and opening the pull request…")
    try:
        created = act.open_draft_pull(
            current.forge, current.store, journey, issue, title=title, body=body, draft=draft
        )
    except ForgeError as error:
        if error.status == 422 and "already exists" in str(error):  # pushed, then refused
            raise CommandFailed(
                f"{error} Your branch was pushed, so that pull request has your new commits "
                "now (later ones: `git push`)."
            ) from error
        raise
    if args.json:
        print_json(
            {
                "repo": str(issue.repo),
                "number": created.number,
                "url": created.url,
                "draft": draft,
                "branch": branch,
                "issue": issue.number,
            }
        )
    else:
        print(created.url)
    return 0
