"""``onboard setup OWNER/REPO``: fork, clone, ``upstream``, a working branch, and the check.

The app's set-up (:class:`onboard.flows.setup.SetupFlow`), for scripts, mentors preparing a
room, and anyone for whom a full-screen program is hard to follow. Progress is one plain line
per step on standard error; standard output gets only the clone's path, as its last line, so
``cd "$(onboard setup pallets/flask --yes)"`` works. Forking is public, so it is asked for first
(or ``--yes``). Running it again goes on where it stopped, like the app.
"""

from __future__ import annotations

import argparse
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from onboard.cli.journey_commands import add_forge_options, add_yes_option

if TYPE_CHECKING:
    from onboard.cli.journey_commands import Session
    from onboard.core.journey import Journey
    from onboard.core.models import RepoRef
    from onboard.flows.setup import SetupEvent, Verified

#: While the forge creates the fork, say how long it has taken this often (a line each time).
WAIT_REPORT_EVERY_SECONDS = 10.0


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    setup = commands.add_parser(
        "setup",
        help="fork a project, clone your fork, add upstream, create a branch, check it all",
        description=(
            "Fork OWNER/REPO into your account (after asking), wait until the fork is ready, "
            "clone it, add the original as the 'upstream' remote, create a working branch and "
            "check the result. Progress goes to standard error; the clone's path is the last "
            "line of standard output."
        ),
    )
    setup.add_argument("repo", metavar="OWNER/REPO")
    setup.add_argument(
        "--dir", type=Path, help="clone into this folder (default: the onboard projects folder)"
    )
    setup.add_argument(
        "--reuse",
        action="store_true",
        help="if the folder already holds a clone of this project, use it (your files are kept)",
    )
    add_yes_option(setup, "fork")
    setup.add_argument("--json", action="store_true", help='print {"path": ...} and the checks')
    add_forge_options(setup)
    setup.set_defaults(handler=run)


def run(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    from onboard.cli.journey_commands import run_reporting
    from onboard.core.models import RepoRef

    try:
        repo = RepoRef.parse(args.repo)
    except ValueError as error:
        parser.error(str(error))
    return run_reporting(lambda: _set_up(args, repo))


def _set_up(args: argparse.Namespace, repo: RepoRef) -> int:
    from onboard.cli.journey_commands import session

    with session(args) as current:
        return _set_up_on(current, args, repo)


def _set_up_on(current: Session, args: argparse.Namespace, repo: RepoRef) -> int:
    from onboard.cli.confirm import confirm_public
    from onboard.cli.journey_commands import CommandFailed, progress
    from onboard.cli.output import print_json
    from onboard.core.public_actions import ActionKind, PublicAction
    from onboard.core.storage import paths
    from onboard.core.text.sanitize import clean
    from onboard.flows.setup import ReusableClone, SetupFlow

    upstream = current.forge.repo(repo)  # a mistyped name stops here, before anything public
    project = upstream.repo.full_name
    journey = current.journey
    if journey.project and not current.same_project(repo):
        progress(
            f"Your journey on {journey.project} is put aside for {project} (its clone stays "
            "where it is)."
        )
    if not current.same_project(repo):
        journey.choose(project)
    if args.dir is not None:
        target = args.dir.expanduser().absolute()
        if journey.clone_path and Path(journey.clone_path) != target:
            raise CommandFailed(
                f"{project} is already cloned in {paths.display_path(journey.clone_path)}; "
                "leave out --dir to go on with that clone."
            )
        journey.clone_target = str(target)
    if not journey.fork:
        confirm_public(
            PublicAction(ActionKind.FORK, f"{project} on the {current.config.label}"),
            yes=args.yes,
            question="Fork it?",
            who=current.forge.whoami,
            heading=f"Fork {project} into your account"
            + (
                f": {clean(upstream.description, one_line=True, max_length=200)}"
                if upstream.description
                else ""
            ),
        )
    printer = _ProgressPrinter(current.config.label)
    flow = SetupFlow(current.forge, current.store, paths.workspace_dir())
    try:
        journey = _interruptible(
            lambda cancel: flow.run(journey, printer, cancel=cancel, reuse_existing=args.reuse)
        )
    except ReusableClone as error:
        raise CommandFailed(f"{error} To use it: add --reuse.") from error
    verified = printer.verified
    ok = verified is not None and verified.ok
    path = journey.clone_path or ""
    if args.json:
        print_json(
            {
                "path": path,
                "project": project,
                "fork": journey.fork,
                "branch": journey.branch,
                "ok": ok,
                "checks": [
                    {"title": c.title, "ok": c.ok, "detail": c.detail, "fix": c.fix}
                    for c in (verified.checks if verified else ())
                ],
            }
        )
    if not ok:
        raise CommandFailed(
            f"the clone in {paths.display_path(path)} is not ready yet: see the checks above."
        )
    if not args.json:
        print(path)
    return 0


def _interruptible(body: Callable[[threading.Event], Journey]) -> Journey:
    """Run ``body`` in a thread of its own, so that Ctrl+C can stop it the way Cancel does.

    Ctrl+C reaches onboard, not git (a clone runs in a process group of its own): the clone
    is stopped through the flow's ``cancel``, which removes its half-written folder, and the
    fork's wait ends the same way. Then the interrupt goes on as usual (exit status 130).
    """
    cancel = threading.Event()
    outcome: list[Journey | BaseException] = []

    def run() -> None:
        try:
            outcome.append(body(cancel))
        except BaseException as error:  # handed to the main thread, which raises it
            outcome.append(error)

    worker = threading.Thread(target=run, name="onboard-setup", daemon=True)
    worker.start()
    try:
        while worker.is_alive():
            worker.join(0.1)
    except KeyboardInterrupt:
        cancel.set()
        worker.join()
        raise
    result = outcome[0]
    if isinstance(result, BaseException):
        raise result
    return result


class _ProgressPrinter:
    """The flow's events as plain lines on standard error, few enough to listen to.

    One line a step and a git phase, the fork's wait every :data:`WAIT_REPORT_EVERY_SECONDS`,
    and the checks at the end with the fix under each problem (as the app's log words them).
    """

    def __init__(self, label: str) -> None:
        self.label = label
        self.verified: Verified | None = None
        self._phase = ""
        self._next_wait_report = 0.0

    def __call__(self, event: SetupEvent) -> None:
        from onboard.cli.journey_commands import progress
        from onboard.core.journey import STEP_TITLES
        from onboard.core.text.sanitize import clean
        from onboard.flows.setup import ForkWaiting, StepDone, StepStarted, Verified
        from onboard.workspace.clone import CloneProgress

        if isinstance(event, StepStarted):
            progress(f"{STEP_TITLES[event.step]}…")
        elif isinstance(event, StepDone):
            progress(f"  done: {clean(event.detail, one_line=True)}")
        elif isinstance(event, ForkWaiting):
            if event.seconds >= self._next_wait_report:
                if not self._next_wait_report:
                    progress(
                        f"  waiting for the {self.label} to finish creating your fork (this "
                        "can take a few minutes)…"
                    )
                else:
                    progress(f"  still waiting for your fork: {event.seconds:.0f} s")
                self._next_wait_report = event.seconds + WAIT_REPORT_EVERY_SECONDS
        elif isinstance(event, CloneProgress):
            phase = clean(event.phase, one_line=True, max_length=80)
            if phase and phase != self._phase:
                self._phase = phase
                progress(f"  {phase}…")
        elif isinstance(event, Verified):
            self.verified = event
            for check in event.checks:
                mark = "ok:" if check.ok else "FAILED:"  # words a screen reader says as such
                title = clean(check.title, one_line=True)
                progress(f"{mark} {title}: {clean(check.detail, one_line=True, max_length=300)}")
                if check.fix and not check.ok:
                    for line in clean(check.fix, max_length=1000).splitlines():
                        progress(f"    {line}")
