"""The practice forge: a local, offline stand-in for GitHub that behaves like the real one.

Newcomers rehearse the whole journey here (find an issue, fork, clone, branch, push, open a pull
request) without an account, a network or the fear of doing it wrong in public. The same forge is
the backbone of onboard's tests: real PyGithub and real git talk to it over real sockets, so what
passes against the forge passes against GitHub.

This module owns the lifecycle: data directory, token, ports that survive restarts, the git
daemon and the HTTP thread; :mod:`.seed` fills a new forge. Below it, layer by layer (a module
imports only from its own line or the lines below it, never from above):

- :mod:`.httpd`: the socket layer, bytes to requests and responses to bytes;
- :mod:`.server`: the HTTP pipeline: auth, rate windows, faults (:mod:`.faults`), ETags, and the
  route table it dispatches through;
- :mod:`.routes`: the handlers, one module a resource (users, repos, issues, pulls, ...);
- :mod:`.context` (what handlers are given), :mod:`.exchange` (requests, responses, pagination,
  the route table's parts), :mod:`.plumbing` (the git commands routes run), :mod:`.search` and
  :mod:`.repo_search` (the search query languages), :mod:`.graphql_syntax` and
  :mod:`.graphql_schema` (GraphQL documents, and the schema subset ``POST /graphql`` answers),
  :mod:`.links`, :mod:`.community`;
- :mod:`.payloads` (GitHub's JSON shapes), :mod:`.store` (the state, in ``forge.json``) and
  :mod:`.gitdaemon` (running git, and serving it to clients).

Latency and faults
------------------
``PracticeForge(..., latency=0.15)`` (or ``forge.latency = 0.15`` at any time) delays every HTTP
response by that many seconds, like a real network round trip; the git daemon is not delayed.
Requests are still served concurrently, so four parallel requests take about one delay.

``forge.faults`` rehearses GitHub's failures (see :mod:`.faults`)::

    forge.faults.add(kind, *, path=".*", times=None, method=None, **options) -> Fault
    forge.faults.remove(fault); forge.faults.clear()

``path`` is a regular expression searched in the request path, ``times=None`` means until
cleared. Kinds and options: ``latency`` (``seconds=1.0``); ``timeout`` (hold the connection
``seconds=30.0`` before answering; ``stop()`` releases held connections); ``error``
(``status=500``, 5xx with GitHub's JSON body, ``message=None``); ``malformed`` (200 with a
truncated JSON body); ``unauthorized`` (401 Bad credentials); ``rate_limit`` (403 "API rate limit
exceeded", ``X-RateLimit-Remaining: 0``, reset in ``reset_in=60`` s); ``secondary_rate_limit``
(``status=429``, ``Retry-After: retry_after=60``); ``reset`` (connection closed, no response).
Every faulted request is in ``forge.requests`` with ``fault`` set to its kind.

The simulated maintainer
------------------------
A pull request the learner opens on a practice project is answered (see :mod:`.maintainer`):
a welcoming comment, a ``practice-ci`` check run on every head (failing on trailing whitespace),
changes requested with one line comment, an approval once a fixed head passes, and a merge.
``PracticeForge(..., maintainer_delay=3.0)`` (or ``forge.maintainer_delay = 3.0``) spaces the
steps that many seconds apart; the default 0 answers at once (what tests want), None never
answers. ``onboard practice`` and the TUI's practice mode use a few seconds, or what
``ONBOARD_PRACTICE_MAINTAINER_DELAY`` says (seconds, or ``off``). The maintainer acts when the
forge is asked something, so a test with the store's clock can stop at every step.

Slow forks
----------
GitHub creates forks asynchronously: ``POST /forks`` answers 202 at once, and the fork only
appears a while later. ``PracticeForge(..., fork_delay=2.0)`` (or ``forge.fork_delay = 2.0`` at
any time) rehearses that as GitHub does it: the 202 carries the fork's payload immediately and
``GET /repos/{you}/{name}`` answers 200 from then on, but for ``fork_delay`` seconds git daemon
answers "no such repository" for it, so ``git ls-remote`` and ``git clone`` of it fail. (The fork
is built outside the served tree and renamed into place when the delay is over.)
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import secrets
import sys
import threading
import time
from pathlib import Path
from types import TracebackType
from typing import TextIO

from onboard.core.storage.fsutil import atomic_write_text
from onboard.practice.faults import Fault, Faults
from onboard.practice.gitdaemon import GitDaemon
from onboard.practice.httpd import ForgeHTTPServer, make_server
from onboard.practice.maintainer import delay_from_env
from onboard.practice.payloads import Urls
from onboard.practice.seed import seed_forge
from onboard.practice.server import ForgeApp, Limits, RequestRecord
from onboard.practice.store import Store
from onboard.workspace import children

__all__ = [
    "PRACTICE_USER",
    "Fault",
    "Faults",
    "Limits",
    "PracticeForge",
    "RequestRecord",
    "Store",
    "serve",
]

#: Seconds between the simulated maintainer's timer ticks (when it has a delay at all).
TICK_SECONDS = 1.0

#: The learner's account on the practice forge; the practice token authenticates as this user.
PRACTICE_USER = "learner"


class PracticeForge:
    """A running (or startable) practice forge rooted at ``data_dir``.

    ``data_dir`` holds ``forge.json`` (state), ``git/`` (bare repositories), ``token`` (0600) and
    ``ports.json``. Starting twice on the same directory resumes where the last run stopped, on the
    same ports when they are free, so clones made earlier keep working.
    """

    def __init__(
        self,
        data_dir: Path,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        git_port: int = 0,
        seed: bool = True,
        core_limit: int = 5000,
        anonymous_core_limit: int = 60,
        search_limit: int = 30,
        anonymous_search_limit: int = 10,
        seed_cache: Path | None = None,
        latency: float = 0.0,
        fork_delay: float = 0.0,
        maintainer_delay: float | None = 0.0,
    ) -> None:
        self.data_dir = Path(data_dir)
        self.host = host
        self.user = PRACTICE_USER
        self.store = Store(self.data_dir / "forge.json")
        self.limits = Limits(
            core=core_limit,
            anonymous_core=anonymous_core_limit,
            search=search_limit,
            anonymous_search=anonymous_search_limit,
        )
        self._port = port
        self._git_port = git_port
        self._seed = seed
        self._seed_cache = seed_cache
        self._app = ForgeApp(self.store, self.git_root, self.limits)
        self.latency = latency
        self.fork_delay = fork_delay
        self.maintainer_delay = maintainer_delay
        self._daemon: GitDaemon | None = None
        self._server: ForgeHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._token: str | None = None
        self._lifecycle = threading.Lock()
        self._ticker: threading.Thread | None = None
        self._ticking = threading.Event()  # set: the ticker stops

    # ------------------------------------------------------------------ paths & identity

    @property
    def git_root(self) -> Path:
        return self.data_dir / "git"

    @property
    def token_path(self) -> Path:
        return self.data_dir / "token"

    @property
    def ports_path(self) -> Path:
        return self.data_dir / "ports.json"

    @property
    def token(self) -> str:
        """The learner's practice token, created once and kept in ``DATA_DIR/token`` (0600)."""
        if self._token is None:
            if self.token_path.exists():
                self._token = self.token_path.read_text(encoding="utf-8").strip()
            if not self._token:
                self._token = "opf_" + secrets.token_hex(20)
                atomic_write_text(self.token_path, self._token + "\n", mode=0o600)
        return self._token

    @property
    def api_url(self) -> str:
        self._require_running()
        return self._app.urls.api

    @property
    def git_url(self) -> str:
        self._require_running()
        return self._app.urls.git

    @property
    def running(self) -> bool:
        return self._server is not None

    def _require_running(self) -> None:
        if self._server is None:
            raise RuntimeError("the practice forge is not running; call start() first")

    # ------------------------------------------------------------------ latency & faults

    @property
    def latency(self) -> float:
        """Seconds every HTTP response is delayed by (0: none); settable while running."""
        return self._app.latency

    @latency.setter
    def latency(self, seconds: float) -> None:
        if isinstance(seconds, bool) or not isinstance(seconds, int | float):
            raise TypeError(f"latency must be a number of seconds, not {seconds!r}")
        if not math.isfinite(seconds) or seconds < 0:
            raise ValueError(f"latency must be a finite number >= 0, not {seconds!r}")
        self._app.latency = float(seconds)

    @property
    def fork_delay(self) -> float:
        """Seconds a new fork's git repository stays missing after ``POST /forks`` (0: none);
        settable, for forks requested from then on."""
        return self._app.fork_delay

    @fork_delay.setter
    def fork_delay(self, seconds: float) -> None:
        self._app.fork_delay = _seconds("fork_delay", seconds)

    @property
    def maintainer_delay(self) -> float | None:
        """Seconds between the simulated maintainer's steps on the learner's pull requests
        (see :mod:`.maintainer`): 0 answers at once (tests), None: nobody answers."""
        return self._app.maintainer.delay

    @maintainer_delay.setter
    def maintainer_delay(self, seconds: float | None) -> None:
        self._app.maintainer.delay = None if seconds is None else _seconds("delay", seconds)

    @property
    def faults(self) -> Faults:
        """Active fault modes: ``forge.faults.add("error", status=503)``, ``.clear()``."""
        return self._app.faults

    # ------------------------------------------------------------------ request log

    @property
    def requests(self) -> list[RequestRecord]:
        """Every request served so far, in order (a snapshot; safe from any thread)."""
        return self._app.requests

    def clear_requests(self) -> None:
        self._app.clear_requests()

    # ------------------------------------------------------------------ lifecycle

    def start(self) -> PracticeForge:
        """Seed on first use, start the git daemon and the HTTP thread; returns ``self``."""
        with self._lifecycle:
            if self._server is not None:
                return self
            self.data_dir.mkdir(parents=True, exist_ok=True)
            self._prepare_state()
            ports = self._read_ports()
            daemon = GitDaemon(
                self.git_root, host=self.host, port=self._git_port or ports.get("git", 0)
            )
            daemon.start()
            try:
                server = make_server(self.host, self._port or ports.get("api", 0), self._app)
            except BaseException:
                daemon.stop()
                raise
            self._app.urls = Urls(api=f"http://{self.host}:{server.port}", git=daemon.url)
            thread = threading.Thread(
                target=server.serve_forever,
                kwargs={"poll_interval": 0.05},
                name=f"practice-forge-{server.port}",
                daemon=True,
            )
            thread.start()
            self._ticking.clear()
            ticker = threading.Thread(
                target=self._tick, name=f"practice-maintainer-{server.port}", daemon=True
            )
            ticker.start()
            self._daemon, self._server, self._thread = daemon, server, thread
            self._ticker = ticker
            atomic_write_text(
                self.ports_path, json.dumps({"api": server.port, "git": daemon.port}) + "\n"
            )
            return self

    def _prepare_state(self) -> None:
        if self.store.exists():
            self.store.load()
        elif self._seed:
            seed_forge(self.store, self.git_root, cache_root=self._seed_cache)
        else:
            self.git_root.mkdir(parents=True, exist_ok=True)
        if self.store.get_user(PRACTICE_USER) is None:
            self.store.add_user(PRACTICE_USER, name="You (practising)", created_days_ago=1)
        if self.store.user_for_token(self.token) != PRACTICE_USER:
            self.store.add_token(PRACTICE_USER, self.token)
        self.store.save()

    def _tick(self) -> None:
        """The maintainer's timer: with a delay, what is due happens on time even while nobody
        asks (timestamps as a real maintainer's would be); reads tick it as well."""
        while not self._ticking.wait(TICK_SECONDS):
            if self._app.maintainer.delay:
                self._app.maintainer.tick()

    def _read_ports(self) -> dict[str, int]:
        try:
            raw = json.loads(self.ports_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        if not isinstance(raw, dict):
            return {}
        return {k: v for k, v in raw.items() if isinstance(v, int) and 0 < v < 65536}

    def stop(self) -> None:
        """Stop serving and end the git daemon; safe to call twice or before ``start``."""
        with self._lifecycle:
            server, thread, daemon = self._server, self._thread, self._daemon
            self._server = self._thread = self._daemon = None
            if server is not None:
                server.stopping.set()
                server.shutdown()
                server.close_connections()
                server.server_close()
            if thread is not None:
                thread.join(timeout=10)
            self._ticking.set()
            if self._ticker is not None:
                self._ticker.join(timeout=10)
                self._ticker = None
            if daemon is not None:
                daemon.stop()
            self._app.finish_forks()  # a fork still "being created" is there next time

    def __enter__(self) -> PracticeForge:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def __repr__(self) -> str:
        where = self._app.urls.api if self.running else "stopped"
        return f"<PracticeForge {self.data_dir} {where}>"


def _seconds(name: str, seconds: float) -> float:
    if isinstance(seconds, bool) or not isinstance(seconds, int | float):
        raise TypeError(f"{name} must be a number of seconds, not {seconds!r}")
    if not math.isfinite(seconds) or seconds < 0:
        raise ValueError(f"{name} must be a finite number >= 0, not {seconds!r}")
    return float(seconds)


def serve(data_dir: Path, *, port: int = 0, out: TextIO = sys.stdout) -> int:
    """Run a practice forge in the foreground until Ctrl+C; the ``onboard practice`` command."""
    children.restore_interrupt()  # it says "Press Ctrl+C": also when started with SIGINT ignored
    forge = PracticeForge(data_dir, port=port, maintainer_delay=delay_from_env(os.environ))
    forge.start()
    try:
        # Ctrl+C as soon as the first line is out is still a clean stop, not a traceback.
        with contextlib.suppress(KeyboardInterrupt):
            print("Practice forge is running. Press Ctrl+C to stop.", file=out)
            print(f"  API URL:        {forge.api_url}", file=out)
            print(f"  git URL:        {forge.git_url}", file=out)
            print(f"  practice token: {forge.token}", file=out)
            print(f"  user:           {forge.user}", file=out)
            out.flush()
            while True:
                time.sleep(0.5)
    finally:
        forge.stop()
    return 0
