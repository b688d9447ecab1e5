"""``onboard serve``: the app in a web browser, for workshop rooms where a terminal is a barrier.

textual-serve (Textualize's own server for Textual apps) does the hard part: each browser tab
that connects gets a fresh ``python -m onboard`` process of its own, driven through a websocket
and drawn by xterm.js. This command, and its server (:mod:`onboard.cli.workshop_server`), add
what a workshop needs around it:

- A learner per browser: the page asks for a name (and ``--room-code``), and each learner's app
  runs in a profile of their own under ``--room`` (:mod:`onboard.flows.room`), with their own
  practice account; the mentor's dashboard, at a secret address printed at start, reads the
  reports those apps keep current.

- ``--practice`` starts *one* practice forge here and points every tab's app at it through
  :data:`~onboard.forge.connect.SHARED_PRACTICE_ENV`, instead of each tab starting a forge of its
  own on the same data folder. No token is ever put on a child's command line (``ps`` shows
  those to every user of the machine): the practice token stays in the forge's data folder, a
  GitHub token in the environment it already came from.
- Loopback by default, and a plain warning when bound anywhere else: whoever reaches the page
  drives an app that acts with the token of the account running it.
- The websocket only accepts browsers on a page this server served itself (same ``Origin``),
  and, on loopback, only the loopback host names: otherwise any web site open in the same
  browser could connect to ``ws://127.0.0.1:PORT/ws`` (websockets ignore CORS) and drive the
  app, directly or through DNS rebinding.
- Stopping the server (Ctrl+C, SIGTERM, or SIGHUP when its terminal is closed) ends every tab's
  app instead of waiting for aiohttp's 60-second grace period or leaving them behind, and stops
  the shared practice forge's git daemon.
"""

from __future__ import annotations

import argparse
import ipaddress
import os
import secrets
import shlex
import sys
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from onboard.cli.tui import add_session_option, load_guided_session

if TYPE_CHECKING:
    from onboard.flows.room import Room
    from onboard.forge.connect import PracticeSession

DEFAULT_HOST = "127.0.0.1"
_LOOPBACK_NAMES = frozenset({"localhost", "localhost.", "ip6-localhost"})


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    serve = commands.add_parser(
        "serve",
        help="run the app in web browsers for a workshop room: a profile per learner, and a "
        "live mentor dashboard",
        description=(
            "Serve the app to web browsers with textual-serve. Only this computer can reach it "
            "unless --host says otherwise; whoever reaches it acts with your token."
        ),
    )
    serve.add_argument(
        "--host", default=DEFAULT_HOST, help="address to listen on (default: %(default)s)"
    )
    serve.add_argument("--port", type=int, default=8000, help="port (default: %(default)s)")
    serve.add_argument(
        "--practice", action="store_true", help="every tab practises on one shared practice forge"
    )
    serve.add_argument("--data", type=Path, help="practice forge data folder (with --practice)")
    serve.add_argument("--public-url", help="the address browsers use, behind a reverse proxy")
    serve.add_argument(
        "--room",
        type=Path,
        metavar="DIR",
        help="the room's folder: a profile per learner in DIR/learners, which is what "
        "`onboard session dashboard DIR/learners` reads (default: onboard's data folder/room)",
    )
    serve.add_argument(
        "--room-code", metavar="CODE", help="learners type this code to join (say it in the room)"
    )
    add_session_option(
        serve,
        dest="session_file",
        help="every tab runs guided mode with this mentor's session file",
    )
    serve.set_defaults(handler=run)


def run(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    """Serve the app until Ctrl+C; returns the exit status."""
    from onboard.cli.workshop_server import WorkshopServer  # aiohttp and textual-serve
    from onboard.workspace import children

    # Until the server's own handlers take over: a signal while the forge starts unwinds.
    children.exit_on_signals()
    if not 1 <= args.port <= 65535:
        parser.error(f"--port must be between 1 and 65535, not {args.port}")
    if args.data is not None and not args.practice:
        parser.error("--data is the practice forge's folder: use it with --practice")
    public_url = _check_public_url(parser, args.public_url)
    if not is_loopback(args.host):
        print(exposure_warning(args.host, practice=args.practice), file=sys.stderr)
    session_file: Path | None = None
    session_title: str | None = None
    if args.session_file is not None:
        guided = load_guided_session(args.session_file)
        if guided is None:
            return 1
        session_file = args.session_file.resolve()
        session_title = guided.session.title
        if guided.needs_practice and not args.practice:
            print("This session uses the practice forge: serving with --practice.", flush=True)
            args.practice = True
    session: PracticeSession | None = None
    command = app_command(session_file=session_file)
    if args.practice:
        try:
            session, command = _start_shared_practice(args.data, session_file)
        except (OSError, RuntimeError) as error:  # a busy port, git missing or failing
            print(f"onboard: the practice forge could not start: {error}", file=sys.stderr)
            return 1
    try:
        room = _open_room(args.room, args.room_code, session)
    except OSError as error:
        print(f"onboard: cannot make the room's folder: {error}", file=sys.stderr)
        if session is not None:
            session.stop()
        return 1
    try:
        WorkshopServer(
            command,
            host=args.host,
            port=args.port,
            public_url=public_url,
            practice=args.practice,
            session_title=session_title,
            room=room,
            mentor_key=secrets.token_urlsafe(24),
            mentor_command=dashboard_command(room.learners),
        ).serve()
    except OSError as error:  # the port is taken, the address is not this computer's...
        reason = error.strerror or str(error)
        print(f"onboard: cannot serve on {args.host}:{args.port}: {reason}", file=sys.stderr)
        return 1
    finally:
        if session is not None:
            session.stop()
    return 0


def _open_room(folder: Path | None, code: str | None, session: PracticeSession | None) -> Room:
    """The room's learners' folder (made now: the dashboard reads it from the start), and with
    a practice forge, an account of their own for every learner who joins."""
    from onboard.core.storage import paths
    from onboard.flows.room import Room

    room = Room(
        (folder or paths.data_dir() / "room").resolve(),
        code=code,
        make_account=session.make_account if session is not None else None,
        github=session is None,
    )
    room.learners.mkdir(mode=0o700, parents=True, exist_ok=True)
    return room


def dashboard_command(learners: Path) -> str:
    """The mentor's app: the same dashboard as ``onboard session dashboard``, on the room.

    It looks every second (one ``stat`` per learner), so an "I'm stuck" the learner's app has
    just written shows within about a second."""
    return "exec " + shlex.join(
        [sys.executable, "-m", "onboard", "session", "dashboard", "--every", "1", str(learners)]
    )


def _start_shared_practice(
    data: Path | None, session_file: Path | None = None
) -> tuple[PracticeSession, str]:
    """Start the workshop's one practice forge; every tab's app will connect to it."""
    from onboard.forge.connect import SHARED_PRACTICE_ENV, PracticeSession

    # An inherited value would make this session only connect to some other forge, while
    # ``onboard serve`` must own (and stop) the forge it points its tabs at.
    os.environ.pop(SHARED_PRACTICE_ENV, None)
    session = PracticeSession(data)
    config = session.start()
    # textual-serve starts each tab's app with a copy of this process's environment.
    os.environ[SHARED_PRACTICE_ENV] = config.api_url
    print(f"Practice forge for every tab: {config.api_url}", flush=True)
    return session, app_command(practice_data=session.data_dir, session_file=session_file)


def app_command(*, practice_data: Path | None = None, session_file: Path | None = None) -> str:
    """The shell command textual-serve runs for each tab (it runs it with ``sh -c``).

    ``exec`` makes the app replace the shell, so stopping the app leaves no shell behind, and
    every part is quoted: a data folder may contain spaces. The command carries no secret.
    """
    argv = [sys.executable, "-m", "onboard"]
    if session_file is not None:
        argv += ["--session", str(session_file)]
    if practice_data is not None:
        argv += ["practice", "--data", str(practice_data)]
    return "exec " + shlex.join(argv)


def is_loopback(host: str) -> bool:
    """Whether ``host`` is reachable from this computer only."""
    name = host.strip().strip("[]").lower()
    if name in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def exposure_warning(host: str, *, practice: bool) -> str:
    """What binding to a non-loopback address means, in words a workshop mentor can act on."""
    where = "every network this computer is on" if is_wildcard(host) else f"the network of {host}"
    acting_as = (
        "the practice forge, your progress, the files in your onboard folders and any GitHub "
        "token it can find"
        if practice
        else "your GitHub token (commenting, forking and pushing as you), your progress and the "
        "files in your onboard folders"
    )
    return (
        f"onboard: warning: serving on {host}, so anyone who can reach this computer on {where} "
        f"can open the app in a browser, without signing in, and use it as the account running "
        f"it: {acting_as}. Do this only on a workshop network you trust, and stop it (Ctrl+C) "
        f"when the workshop ends. The default, {DEFAULT_HOST}, is reachable from this computer "
        "only."
    )


def is_wildcard(host: str) -> bool:
    try:
        return ipaddress.ip_address(host.strip("[]")).is_unspecified
    except ValueError:
        return False


def _check_public_url(parser: argparse.ArgumentParser, url: str | None) -> str | None:
    if url is None:
        return None
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        parser.error(f"--public-url must be an http:// or https:// address, not {url!r}")
    return url.rstrip("/")
