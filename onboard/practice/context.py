"""What every route handler is given: the forge's state, and the lookups all routes share.

A handler is called as ``handler(forge, request, **path_parameters)`` with ``forge`` a
:class:`ForgeContext`: the store, the bare repositories, the forge's URLs, the locks that keep
concurrent writes apart, and the slow-fork state (GitHub creates forks asynchronously, and
``fork_delay`` rehearses that: the API object at once, the git repository later). The HTTP
pipeline (:class:`~onboard.practice.server.ForgeApp`) is a ``ForgeContext`` too, so it hands
itself to the handlers; they only see this part of it.
"""

from __future__ import annotations

import contextlib
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from onboard.practice import payloads
from onboard.practice.exchange import ApiError, Request, not_found
from onboard.practice.maintainer import Maintainer
from onboard.practice.payloads import Urls
from onboard.practice.store import RateWindow, Record, Store


class ForgeContext:
    """The store, the git root and the URLs of one forge, with the shared lookups on them."""

    def __init__(self, store: Store, git_root: Path) -> None:
        self.store = store
        self.git_root = git_root
        self.urls = Urls(api="http://127.0.0.1:0", git="git://127.0.0.1:0/")
        #: Held while creating a fork, so two ``POST /forks`` make one fork.
        self.fork_lock = threading.Lock()
        #: Held while creating a pull request, so two identical ones cannot both pass the check.
        self.pull_lock = threading.Lock()
        #: Seconds a new fork's git repository stays missing after ``POST /forks``, like
        #: GitHub's asynchronous fork creation (its API object exists at once); 0: no delay.
        self.fork_delay = 0.0
        self._pending_forks: dict[str, _PendingFork] = {}
        self._pending_lock = threading.Lock()
        #: Who answers pull requests opened through the API (see :mod:`.maintainer`).
        self.maintainer = Maintainer(self)

    # ------------------------------------------------------------------ shared lookups

    def repo(self, owner: str, repo: str, doc: str = payloads.DOCS) -> Record:
        """The repository ``owner/repo``, or GitHub's 404 for ``doc``.

        A fork still being created is found too: GitHub serves its API object from the moment
        it answers ``POST /forks``; only its git repository comes later.
        """
        record = self.store.get_repo(f"{owner}/{repo}")
        if record is None:
            raise not_found(doc)
        return record

    def bare(self, full_name: str) -> Path:
        """Where the bare git repository of ``full_name`` lives."""
        return self.git_root / f"{full_name}.git"

    def list_link(self, record: Record, suffix: str) -> str:
        """The base of a list's ``Link`` URLs; GitHub names the repository by id in them."""
        return f"{self.urls.api}/repositories/{record['id']}/{suffix}"

    def spend(self, req: Request, resource: str, points: int) -> RateWindow | None:
        """Charge ``points`` to the caller's ``resource`` window; None when too few are left.

        GraphQL is charged by the query's score rather than one per request, so its route
        spends the points itself once it knows them. The windows belong to the HTTP pipeline
        (:class:`~onboard.practice.server.ForgeApp`), which implements this.
        """
        raise NotImplementedError

    # ------------------------------------------------------------------ slow forks

    @property
    def forking_root(self) -> Path:
        """Where slow forks are built: outside the tree git daemon serves, so git answers "no
        such repository" for them until :meth:`finish_forks` renames them into place."""
        return self.git_root.with_name(self.git_root.name + "-forking")

    def fork_pending(self, full_name: str) -> bool:
        """Whether ``full_name`` is a fork GitHub would still be creating (finishing due ones);
        its git repository is not served yet."""
        self.finish_forks(due_only=True)
        with self._pending_lock:
            return full_name.lower() in self._pending_forks

    def hold_fork(self, full_name: str, building: Path, target: Path, delay: float) -> None:
        """Serve the fork built at ``building`` as ``full_name`` in ``delay`` seconds."""
        pending = _PendingFork(time.monotonic() + delay, building, target)
        timer = threading.Timer(delay, self.finish_forks, kwargs={"due_only": True})
        timer.daemon = True
        pending.timer = timer
        with self._pending_lock:
            self._pending_forks[full_name.lower()] = pending
        timer.start()

    def finish_forks(self, *, due_only: bool = False) -> None:
        """Move finished forks into place; all of them when the forge stops."""
        now = time.monotonic()
        with self._pending_lock:
            for key, pending in list(self._pending_forks.items()):
                if due_only and pending.ready_at > now:
                    continue
                if pending.timer is not None:
                    pending.timer.cancel()
                del self._pending_forks[key]
                with contextlib.suppress(OSError):  # a vanished build is simply never served
                    pending.target.parent.mkdir(parents=True, exist_ok=True)
                    pending.building.rename(pending.target)


@dataclass
class _PendingFork:
    """A fork still "being created": built in ``building``, served once moved to ``target``."""

    ready_at: float  # time.monotonic()
    building: Path
    target: Path
    timer: threading.Timer | None = None


def issue_in(data: Record, full: str, number: str, doc: str) -> Record:
    """Issue (or pull request) ``number`` of repository ``full``, or GitHub's 404 for ``doc``.

    Called with the store locked: ``data`` is the store's content.
    """
    issue: Record | None = data["issues"][full].get(number)
    if issue is None:
        raise not_found(doc)
    return issue


def require_writable(record: Record) -> None:
    """GitHub's 403 for writes to an archived repository."""
    if record["archived"]:
        raise ApiError(
            403, payloads.error("Repository was archived so is read-only.", payloads.DOCS, 403)
        )
