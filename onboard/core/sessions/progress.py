"""A learner's progress in a mentor session, as kept in ``state.json``'s ``sessions`` section.

Stored per session id: when the learner joined, when each checkpoint was *first* seen done (so a
report made tomorrow gives the same times as one made today), and an append-only list of events
that only the learner's own actions produce (a test run and its exit code, "I'm stuck" with its
barrier, a review given, a non-code contribution, a note).

The functions at the bottom mutate the raw section inside :meth:`StateStore.update`, so they run
under the state lock and always on the freshest data. Reading is forgiving: a malformed entry is
skipped, never fatal, because an older or hand-edited file must not stop the app.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol

from onboard.core.barriers import BARRIERS

EVENT_KINDS = ("stuck", "tests_ran", "review_given", "noncode_done", "note")
#: Free text is the learner's; bounded so one paste cannot bloat the progress file.
MAX_TEXT = 2_000
MAX_EXTRA_KEYS = 16
MAX_EXTRA_TEXT = 2_000
#: Oldest events are dropped beyond this; a two-hour workshop produces a few dozen.
MAX_EVENTS = 1_000

Scalar = str | int | float | bool | None


def utc_stamp(moment: datetime) -> str:
    """The one timestamp spelling in state and reports: ``2025-06-12T14:03:00Z``."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_stamp(text: object) -> datetime | None:
    """A timestamp written by :func:`utc_stamp` (or any ISO 8601 with offset); else None."""
    if not isinstance(text, str) or len(text) > 64:
        return None
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment.astimezone(UTC) if moment.tzinfo else None


def now_utc() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


@dataclass(frozen=True)
class SessionEvent:
    """Something the learner did or said during a session.

    ``step`` is where they were (a :class:`onboard.core.journey.Step` value or a screen name);
    ``barrier`` (stuck events only) is one of :data:`onboard.core.barriers.BARRIERS`; ``text``
    is free text, untrusted, stored as typed and sanitised only where it is shown or exported.
    """

    kind: str
    at: datetime = field(default_factory=now_utc)
    step: str | None = None
    barrier: str | None = None
    text: str = ""
    extra: Mapping[str, Scalar] = field(default_factory=dict)
    #: Stuck events: when the learner said they were unstuck.
    resolved_at: datetime | None = None

    def __post_init__(self) -> None:
        if self.kind not in EVENT_KINDS:
            raise ValueError(f"unknown event kind {self.kind!r}; expected one of {EVENT_KINDS}")
        if self.barrier is not None and self.barrier not in BARRIERS:
            raise ValueError(
                f"unknown barrier {self.barrier!r}; expected one of {', '.join(BARRIERS)}"
            )
        if self.barrier is not None and self.kind != "stuck":
            raise ValueError("only a 'stuck' event has a barrier")
        object.__setattr__(self, "text", str(self.text)[:MAX_TEXT])
        object.__setattr__(self, "extra", _bounded_extra(self.extra))

    @classmethod
    def stuck(
        cls, step: str | None, barrier: str | None, text: str = "", *, screen: str | None = None
    ) -> SessionEvent:
        """``screen`` names what the learner was looking at, for the mentor's "where"."""
        extra: dict[str, Scalar] = {"screen": screen} if screen else {}
        return cls("stuck", step=step, barrier=barrier, text=text, extra=extra)

    @classmethod
    def tests_ran(cls, exit_code: int | None, *, step: str | None = "tests") -> SessionEvent:
        """A finished test run; ``exit_code`` None means it was stopped before it ended."""
        return cls("tests_ran", step=step, extra={"exit_code": exit_code})

    @classmethod
    def review_given(cls, url: str | None = None, text: str = "") -> SessionEvent:
        return cls("review_given", text=text, extra={"url": url} if url else {})

    @classmethod
    def noncode_done(
        cls, lane: str | None = None, url: str | None = None, text: str = ""
    ) -> SessionEvent:
        extra: dict[str, Scalar] = {}
        if lane:
            extra["lane"] = lane
        if url:
            extra["url"] = url
        return cls("noncode_done", text=text, extra=extra)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"kind": self.kind, "at": utc_stamp(self.at)}
        if self.step is not None:
            data["step"] = self.step
        if self.barrier is not None:
            data["barrier"] = self.barrier
        if self.text:
            data["text"] = self.text
        if self.extra:
            data["extra"] = dict(self.extra)
        if self.resolved_at is not None:
            data["resolved_at"] = utc_stamp(self.resolved_at)
        return data

    @classmethod
    def from_dict(cls, raw: object) -> SessionEvent | None:
        """The event ``raw`` describes, or None when it is not one (skipped, not fatal)."""
        if not isinstance(raw, dict):
            return None
        at = parse_stamp(raw.get("at"))
        step, text, extra = raw.get("step"), raw.get("text", ""), raw.get("extra", {})
        if at is None or not isinstance(text, str) or not isinstance(extra, dict):
            return None
        try:
            return cls(
                kind=raw.get("kind"),  # type: ignore[arg-type]  # checked in __post_init__
                at=at,
                step=step if isinstance(step, str) else None,
                barrier=raw.get("barrier"),
                text=text,
                extra=extra,
                resolved_at=parse_stamp(raw.get("resolved_at")),
            )
        except (ValueError, TypeError):
            return None


def _bounded_extra(extra: Mapping[str, Any]) -> dict[str, Scalar]:
    """Only short string keys and scalar values: nothing nested, nothing huge."""
    result: dict[str, Scalar] = {}
    for key, value in extra.items():
        if len(result) >= MAX_EXTRA_KEYS:
            break
        if not isinstance(key, str) or len(key) > 64:
            continue
        if isinstance(value, str):
            result[key] = value[:MAX_EXTRA_TEXT]
        elif value is None or isinstance(value, bool | int | float):
            result[key] = value
    return result


@dataclass(frozen=True)
class SessionProgress:
    session_id: str
    joined_at: datetime | None = None
    title: str = ""
    #: Checkpoint id -> the first time it was seen done.
    checkpoints: Mapping[str, datetime] = field(default_factory=dict)
    events: tuple[SessionEvent, ...] = ()
    #: A random id made when the learner joined, so a mentor counts each learner once however
    #: many copies of their report arrive. Per session: it tells nothing across sessions.
    learner_id: str | None = None

    def events_of(self, kind: str) -> list[SessionEvent]:
        return [event for event in self.events if event.kind == kind]

    def open_stuck(self) -> SessionEvent | None:
        """The latest "I'm stuck" the learner has not resolved, if any."""
        for event in reversed(self.events):
            if event.kind == "stuck":
                return event if event.resolved_at is None else None
        return None

    @classmethod
    def from_dict(cls, session_id: str, raw: object) -> SessionProgress:
        if not isinstance(raw, dict):
            return cls(session_id)
        seen = raw.get("checkpoints")
        checkpoints = {
            key: moment
            for key, value in (seen.items() if isinstance(seen, dict) else ())
            if isinstance(key, str) and (moment := parse_stamp(value)) is not None
        }
        events = raw.get("events")
        parsed = [SessionEvent.from_dict(item) for item in events or ()]
        title = raw.get("title")
        learner_id = raw.get("learner_id")
        return cls(
            session_id=session_id,
            learner_id=learner_id if is_learner_id(learner_id) else None,
            joined_at=parse_stamp(raw.get("joined_at")),
            title=title if isinstance(title, str) else "",
            checkpoints=checkpoints,
            events=tuple(event for event in parsed if event is not None)
            if isinstance(events, list)
            else (),
        )


class Reached(Protocol):
    """What :func:`mark_reached` needs of a checkpoint status."""

    @property
    def id(self) -> str: ...
    @property
    def done(self) -> bool: ...
    @property
    def done_at(self) -> datetime | None: ...


# ------------------------------------------------------------- mutations of the raw state section

_LEARNER_ID = re.compile(r"[0-9a-f]{32}")


def is_learner_id(value: object) -> bool:
    return isinstance(value, str) and _LEARNER_ID.fullmatch(value) is not None


def section(data: dict[str, Any], session_id: str) -> dict[str, Any]:
    """The raw entry of ``session_id`` in ``data["sessions"]``, created (and repaired) as needed."""
    sessions = data.get("sessions")
    if not isinstance(sessions, dict):
        sessions = data["sessions"] = {}
    entry = sessions.get(session_id)
    if not isinstance(entry, dict):
        entry = sessions[session_id] = {}
    if parse_stamp(entry.get("joined_at")) is None:
        entry["joined_at"] = utc_stamp(now_utc())
    if not is_learner_id(entry.get("learner_id")):
        entry["learner_id"] = secrets.token_hex(16)
    if not isinstance(entry.get("checkpoints"), dict):
        entry["checkpoints"] = {}
    if not isinstance(entry.get("events"), list):
        entry["events"] = []
    return entry


def join(data: dict[str, Any], session_id: str, title: str = "") -> None:
    entry = section(data, session_id)
    if title:
        entry["title"] = title[:200]
    data["active_session"] = session_id


def leave(data: dict[str, Any]) -> None:
    """No active session any more; the progress of every session stays for reports."""
    data.pop("active_session", None)


def add_event(data: dict[str, Any], session_id: str, event: SessionEvent) -> None:
    events = section(data, session_id)["events"]
    events.append(event.to_dict())
    del events[:-MAX_EVENTS]


def newly_seen_at(status: Reached, logged: datetime | None) -> datetime | None:
    """The time to log for ``status``: its done time when earlier than ``logged`` (or none is
    logged yet); None when there is nothing new to log."""
    if not status.done or status.done_at is None:
        return None
    return status.done_at if logged is None or status.done_at < logged else None


def mark_reached(data: dict[str, Any], session_id: str, statuses: Iterable[Reached]) -> None:
    """Record when each done checkpoint was first seen; an earlier record always wins."""
    seen = section(data, session_id)["checkpoints"]
    for status in statuses:
        moment = newly_seen_at(status, parse_stamp(seen.get(status.id)))
        if moment is not None:
            seen[status.id] = utc_stamp(moment)


def resolve_stuck(data: dict[str, Any], session_id: str, at: datetime) -> int:
    """Mark every open "I'm stuck" of the session resolved; returns how many were open."""
    count = 0
    for raw in section(data, session_id)["events"]:
        if isinstance(raw, dict) and raw.get("kind") == "stuck" and not raw.get("resolved_at"):
            raw["resolved_at"] = utc_stamp(at)
            count += 1
    return count


def active_session(data: Mapping[str, Any]) -> str | None:
    value = data.get("active_session")
    sessions = data.get("sessions")
    if isinstance(value, str) and isinstance(sessions, dict) and value in sessions:
        return value
    return None
