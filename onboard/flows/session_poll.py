"""Guided mode's checkpoint poll: re-judge the session from real state, every few seconds.

The app runs :meth:`SessionPoll.poll` in a worker and only draws the :class:`SessionSnapshot`
it returns, so the rules (when to ask the fork, what a failure means) are tested without a
terminal. Asking the fork costs a ``git ls-remote``, so it happens at most every
:attr:`SessionPoll.remote_every` seconds unless the caller insists.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from onboard.core.packs.loading import Pack, load_all_packs
from onboard.core.sessions.guided import GuidedView, guided_view, picks_for
from onboard.core.sessions.progress import SessionEvent, now_utc
from onboard.core.sessions.session import PrepickedIssue, Session
from onboard.core.storage.state import StateError, StateStore
from onboard.flows.session_facts import refresh_checkpoints
from onboard.workspace.gitenv import WorkspaceError


@dataclass(frozen=True)
class SessionSnapshot:
    """Everything the session panel draws, gathered after each checkpoint poll."""

    view: GuidedView
    open_stuck: SessionEvent | None = None
    #: The mentor's pre-picked issues for the project the learner chose.
    picks: tuple[PrepickedIssue, ...] = ()


class SessionPoll:
    """Remembers when the fork was last asked, so polls every 5 s ask it once a minute."""

    def __init__(
        self, remote_every: float = 60.0, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.remote_every = remote_every
        self._clock = clock
        self._last_remote: float | None = None
        self._packs: list[Pack] | None = None

    def _session_packs(self) -> list[Pack]:
        """The packs, read once per poller: they say which projects have tests to run."""
        if self._packs is None:
            self._packs, _errors = load_all_packs()
        return self._packs

    def poll(
        self,
        store: StateStore,
        session: Session,
        project: str | None,
        *,
        check_remote: bool = False,
    ) -> SessionSnapshot | None:
        """The session as it stands now, or None when state or a clone could not be read.

        None leaves the last snapshot on screen: the panel is a guide, and a broken clone must
        not stop the learner.
        """
        moment = self._clock()
        if (
            check_remote
            or self._last_remote is None
            or moment - self._last_remote >= self.remote_every
        ):
            self._last_remote, check_remote = moment, True
        try:
            _facts, statuses = refresh_checkpoints(
                store, session, check_remote=check_remote, packs=self._session_packs()
            )
            progress = store.session_progress(session.id)
        except (OSError, StateError, WorkspaceError):
            return None
        view = guided_view(session, statuses, joined_at=progress.joined_at, now=now_utc())
        return SessionSnapshot(view, progress.open_stuck(), picks_for(session, project))
