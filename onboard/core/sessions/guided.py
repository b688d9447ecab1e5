"""Guided mode's view of a session: where the learner is on the agenda, and on the clock.

Pure: given the session, the checkpoint statuses (judged from real state by
:mod:`onboard.core.sessions.checkpoints`) and the time, it says which agenda item is now, which are
done, how far into the session the learner is and whether they are behind the plan. The TUI's
session panel only draws this, so the rules are tested here without a terminal.

An agenda item with a checkpoint is done when its checkpoint is reached, or skipped because the
learner's project cannot offer it (:mod:`.reachability`). One without (a welcome
talk, a wrap-up) is done when its time box is over or a later checkpoint is already reached:
nobody should wait for the clock once they have moved on.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from onboard.core.journey import Status
from onboard.core.packs.loading import Pack
from onboard.core.sessions.checkpoints import CheckpointStatus, current_checkpoint
from onboard.core.sessions.session import AgendaItem, PrepickedIssue, Session

#: A ``starts_at`` further back than this is last week's workshop: time the learner from joining.
WORKSHOP_CLOCK_LIMIT = timedelta(hours=12)


@dataclass(frozen=True)
class AgendaRow:
    item: AgendaItem
    #: Minutes from the start of the session at which this time box begins and ends.
    starts: int
    ends: int
    status: Status
    checkpoint: CheckpointStatus | None = None


@dataclass(frozen=True)
class GuidedView:
    session: Session
    statuses: tuple[CheckpointStatus, ...]
    rows: tuple[AgendaRow, ...]
    #: Whole minutes since the session's clock started (0 before it starts).
    elapsed: int
    #: Minutes until the session starts, when ``starts_at`` is still ahead; else None.
    starts_in: int | None
    current: CheckpointStatus | None
    #: Minutes past the time the agenda planned the current checkpoint for; None when on time.
    behind_by: int | None

    @property
    def reached(self) -> int:
        return sum(status.done for status in self.statuses)

    @property
    def current_row(self) -> AgendaRow | None:
        return next((row for row in self.rows if row.status is Status.CURRENT), None)

    @property
    def finished(self) -> bool:
        return self.current is None


def clock_start(session: Session, joined_at: datetime | None, now: datetime) -> datetime:
    """When the session's clock started: the workshop's start, else when the learner joined.

    A workshop has one start for the whole room; a cohort (or a file reused long after its
    ``starts_at``) times each learner from when they joined.
    """
    starts_at = session.starts_at
    if starts_at is not None and now - starts_at <= WORKSHOP_CLOCK_LIMIT:
        return starts_at
    return joined_at or now


def guided_view(
    session: Session,
    statuses: list[CheckpointStatus],
    *,
    joined_at: datetime | None,
    now: datetime,
) -> GuidedView:
    start = clock_start(session, joined_at, now)
    seconds = (now - start).total_seconds()
    elapsed = max(0, int(seconds // 60))
    starts_in = -int(seconds // 60) if seconds < 0 else None
    by_id = {status.id: status for status in statuses}
    rows = _rows(session.agenda, by_id, elapsed)
    current = current_checkpoint(statuses)
    behind_by = None
    if current is not None:
        planned = session.planned_by(current.id)
        if planned is not None and elapsed > planned:
            behind_by = elapsed - planned
    return GuidedView(
        session=session,
        statuses=tuple(statuses),
        rows=rows,
        elapsed=elapsed,
        starts_in=starts_in,
        current=current,
        behind_by=behind_by,
    )


def _rows(
    agenda: tuple[AgendaItem, ...], by_id: dict[str, CheckpointStatus], elapsed: int
) -> tuple[AgendaRow, ...]:
    spans: list[tuple[AgendaItem, int, int, CheckpointStatus | None]] = []
    minute = 0
    for item in agenda:
        checkpoint = by_id.get(item.checkpoint) if item.checkpoint else None
        spans.append((item, minute, minute + item.minutes, checkpoint))
        minute += item.minutes
    done: list[bool] = []
    for index, (_item, _starts, ends, checkpoint) in enumerate(spans):
        if checkpoint is not None:
            done.append(checkpoint.settled)
            continue
        later_reached = any(c is not None and c.done for *_, c in spans[index + 1 :])
        done.append(elapsed >= ends or later_reached)
    current_index = next((i for i, is_done in enumerate(done) if not is_done), None)
    rows = []
    for index, (item, starts, ends, checkpoint) in enumerate(spans):
        if done[index]:
            status = Status.DONE
        elif index == current_index:
            status = Status.CURRENT
        else:
            status = Status.TODO
        rows.append(AgendaRow(item, starts, ends, status, checkpoint))
    return tuple(rows)


def clock_text(minutes: int) -> str:
    """``1:05`` for 65 minutes: how a workshop agenda writes time."""
    return f"{minutes // 60}:{minutes % 60:02d}"


def needs_practice(session: Session, packs: list[Pack]) -> bool:
    """Whether every pack the session names is a practice-forge pack (so it runs there)."""
    forges = {pack.name: pack.forge for pack in packs}
    named = [forges.get(name) for name in session.packs]
    return bool(named) and all(forge == "practice" for forge in named)


def packs_for_session(session: Session, packs: list[Pack]) -> list[Pack]:
    """The packs (and within them the projects) a session lets its learners choose from.

    Packs without projects (general guides) always stay. A session naming packs keeps only
    those; one naming projects keeps only those projects. Nothing is hidden without a session.
    """
    kept = []
    for pack in packs:
        if pack.projects and session.packs and pack.name not in session.packs:
            continue
        if session.projects and pack.projects:
            pack = replace(
                pack, projects=tuple(p for p in pack.projects if p.repo in session.projects)
            )
            if not pack.projects:
                continue
        kept.append(pack)
    return kept


def picks_for(session: Session, project: str | None) -> tuple[PrepickedIssue, ...]:
    """The mentor's pre-picked issues on ``project`` (``owner/name``)."""
    if not project:
        return ()
    wanted = project.lower()
    return tuple(pick for pick in session.issues if pick.repo.full_name.lower() == wanted)
