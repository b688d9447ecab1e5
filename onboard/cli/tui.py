"""``onboard`` and ``onboard --session FILE``: start the app, against GitHub or the practice forge.

``onboard practice`` and ``onboard serve`` start the app through here too, so guided mode works
the same everywhere. A broken session file is refused before the app starts, which is kinder than
a half-guided workshop: the learner sees the file, the line and what was expected, and can show
it to the mentor. A session built on practice packs needs the practice forge whatever the
command, so it says so and the practice forge is started. Once the app's screen is gone, what
the learner must still know (progress that could not be saved) is repeated in the terminal.

SIGTERM and SIGHUP (the terminal was closed) quit the app as Ctrl+Q does, once every process it
started (the practice forge's git daemon, a clone, a setup step) has been stopped.

Textual, the forges and the session format are imported only once the app is to start.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from onboard.cli.output import problem_line, tell
from onboard.core.text.sanitize import clean

if TYPE_CHECKING:
    from onboard.core.sessions.session import Session
    from onboard.forge.base import ForgeConfig
    from onboard.forge.connect import PracticeSession
    from onboard.ui.app import OnboardApp


def add_session_option(parser: argparse.ArgumentParser, *, dest: str, help: str) -> None:
    """``--session FILE``: guided mode, wherever the app starts (onboard, practice, serve)."""
    parser.add_argument("--session", type=Path, metavar="FILE", dest=dest, help=help)


def run_app(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    """``onboard`` without a command: the app against GitHub (or guided mode's forge)."""
    return run_tui(args.session_file, practice=False)


@dataclass(frozen=True)
class GuidedSession:
    session: Session
    #: Every pack the session names is a practice-forge pack: run against the practice forge.
    needs_practice: bool


def load_guided_session(path: Path) -> GuidedSession | None:
    """The session at ``path``, or None after printing every problem to stderr."""
    from onboard.core.packs.loading import load_all_packs
    from onboard.core.sessions.guided import needs_practice
    from onboard.core.sessions.session import SessionError, load_session

    packs, _errors = load_all_packs()
    try:
        session = load_session(path, known_packs=[pack.name for pack in packs])
    except SessionError as error:
        print(f"onboard: cannot use the session file {clean(str(path))}:", file=sys.stderr)
        for problem in error.problems:
            print(f"  {problem_line(problem)}", file=sys.stderr)
        print("Check it with: onboard session validate FILE", file=sys.stderr)
        return None
    return GuidedSession(session, needs_practice(session, packs))


def run_tui(session_file: Path | None, *, practice: bool, data: Path | None = None) -> int:
    """Start the app; guided mode with a session file (on the practice forge if it needs it)."""
    from onboard.workspace import children

    children.exit_on_signals()  # until the app runs: unwind, stopping the forge on the way
    session = None
    if session_file is not None:
        guided = load_guided_session(session_file)
        if guided is None:
            return 1
        session = guided.session
        practice = practice or guided.needs_practice
    if practice:
        return _run_practice_tui(data, session)
    return _run_github_tui(session)


def _run_practice_tui(data: Path | None, session: Session | None = None) -> int:
    from onboard.forge.connect import PracticeSession

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
    return _run(config, practice, session)


def _run_github_tui(session: Session | None = None) -> int:
    from onboard.forge.base import ForgeError
    from onboard.forge.connect import PracticeSession, github_config

    try:
        config = github_config()
    except ForgeError as error:  # an unsafe stored token file: say so rather than ignore it
        print(f"onboard: {error}", file=sys.stderr)
        return 1
    # Not started yet: the app starts it if the learner switches to practice.
    return _run(config, PracticeSession(), session)


def _run(config: ForgeConfig, practice: PracticeSession, session: Session | None) -> int:
    """Run the app until it quits, then stop the practice forge and say what is left to say.

    The exit status is the app's: Textual sets a non-zero ``return_code`` when the app ended on
    an unhandled exception (the traceback it printed), and scripts must see that failure.
    """
    from onboard.ui.app import OnboardApp
    from onboard.workspace import children

    try:
        app = OnboardApp(config, practice=practice, session=session)
        children.exit_on_signals(lambda signum: _quit(app, signum))
        app.run()
    finally:
        practice.stop()
    if app.save_problem:  # the app's screen, which said so, is gone: repeat it here
        tell(app.save_problem)
    return app.return_code or 0


def _quit(app: OnboardApp, signum: int) -> None:
    """On SIGTERM or SIGHUP (its children already stopped): quit the app as Ctrl+Q would.

    The handler runs on the app's own thread, between two steps of its event loop, so the quit
    is handed to the loop rather than done here; before or after the loop, unwinding is enough.
    """
    import asyncio

    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        raise SystemExit(128 + signum) from None
    loop.call_soon_threadsafe(app.exit, None, 128 + signum)
