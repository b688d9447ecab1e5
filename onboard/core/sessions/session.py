"""Mentor sessions: a workshop or cohort described in one TOML file.

A session says what learners work on (packs, allowed projects and kinds of contribution), the
agenda with its time boxes, and the checkpoints that tick themselves from real state
(:mod:`onboard.core.sessions.checkpoints`). The format is documented in
``guides/SESSION-FORMAT.md`` and defined by ``schemas/session-v1.schema.json``; a file with any
error is refused as a whole (:class:`SessionError`), so guided mode never runs half a session.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from onboard.core.models import Contact, Lane, Link, RepoRef
from onboard.core.schemas.problems import Problem
from onboard.core.sessions.checkpoint_kind import CheckpointKind
from onboard.core.sessions.validation import validate_session_file

SESSION_FORMAT = 1


class SessionError(Exception):
    """A session file cannot be used. ``str()`` is the first problem; all are in ``problems``."""

    def __init__(self, problems: list[Problem]) -> None:
        more = f" (and {len(problems) - 1} more problems)" if len(problems) > 1 else ""
        super().__init__(f"{problems[0]}{more}" if problems else "invalid session file")
        self.problems = problems


@dataclass(frozen=True)
class Checkpoint:
    id: str
    title: str
    kind: CheckpointKind
    description: str = ""


@dataclass(frozen=True)
class AgendaItem:
    """A time box; ``checkpoint`` names the checkpoint that marks it done, if any."""

    title: str
    minutes: int
    checkpoint: str | None = None


@dataclass(frozen=True)
class PrepickedIssue:
    """An issue the mentor checked beforehand, offered first to learners."""

    repo: RepoRef
    number: int
    note: str = ""


@dataclass(frozen=True)
class Session:
    format_version: int
    id: str
    title: str
    checkpoints: tuple[Checkpoint, ...]
    description: str = ""
    mentor: Contact | None = None
    #: Where to ask for help: ``url`` may be empty for "raise your hand".
    help: Link | None = None
    packs: tuple[str, ...] = ()
    #: Empty: any project of the packs.
    projects: tuple[RepoRef, ...] = ()
    #: Empty: every kind of contribution.
    lanes: tuple[Lane, ...] = ()
    agenda: tuple[AgendaItem, ...] = ()
    issues: tuple[PrepickedIssue, ...] = ()
    starts_at: datetime | None = None
    path: Path | None = None

    def allows_project(self, repo: RepoRef, pack_projects: Collection[RepoRef] = ()) -> bool:
        """Whether a learner may work on ``repo``: listed, or (no list) in one of the packs.

        ``pack_projects`` are the projects of this session's packs; with neither a list nor
        packs, any project is fine.
        """
        if self.projects:
            return repo in self.projects
        if self.packs:
            return repo in pack_projects
        return True

    def allows_lane(self, lane: Lane) -> bool:
        return not self.lanes or lane in self.lanes

    def checkpoint(self, checkpoint_id: str) -> Checkpoint | None:
        return next((c for c in self.checkpoints if c.id == checkpoint_id), None)

    @property
    def total_minutes(self) -> int:
        return sum(item.minutes for item in self.agenda)

    def planned_minutes(self, checkpoint_id: str) -> int | None:
        """Minutes the agenda gives the step that ends at ``checkpoint_id`` (None: no item)."""
        minutes = [item.minutes for item in self.agenda if item.checkpoint == checkpoint_id]
        return sum(minutes) if minutes else None

    def planned_by(self, checkpoint_id: str) -> int | None:
        """Minutes from the start by which the agenda expects ``checkpoint_id`` reached."""
        elapsed, due = 0, None
        for item in self.agenda:
            elapsed += item.minutes
            if item.checkpoint == checkpoint_id:
                due = elapsed
        return due


def load_session(path: Path, *, known_packs: Collection[str] | None = None) -> Session:
    """Validate and load a session file; any error raises :class:`SessionError`."""
    validation = validate_session_file(path, known_packs=known_packs)
    if not validation.valid or validation.data is None:
        raise SessionError([p for p in validation.problems if p.severity == "error"])
    return session_from_data(validation.data, path=path)


def session_from_data(data: dict[str, Any], *, path: Path | None = None) -> Session:
    """Build a :class:`Session` from data that already passed validation."""
    mentor = data.get("mentor")
    help_ = data.get("help")
    return Session(
        format_version=data["format"],
        id=data["id"],
        title=data["title"],
        description=data.get("description", ""),
        mentor=Contact(mentor["name"], mentor.get("contact")) if mentor else None,
        help=Link(help_["name"], help_.get("url", "")) if help_ else None,
        packs=tuple(data.get("packs", ())),
        projects=tuple(RepoRef.parse(text) for text in data.get("projects", ())),
        lanes=tuple(Lane(value) for value in data.get("lanes", ())),
        agenda=tuple(
            AgendaItem(item["title"], item["minutes"], item.get("checkpoint"))
            for item in data.get("agenda", ())
        ),
        checkpoints=tuple(
            Checkpoint(c["id"], c["title"], CheckpointKind(c["kind"]), c.get("description", ""))
            for c in data["checkpoints"]
        ),
        issues=tuple(
            PrepickedIssue(RepoRef.parse(i["repo"]), i["number"], i.get("note", ""))
            for i in data.get("issues", ())
        ),
        starts_at=_datetime(data.get("starts_at")),
        path=path,
    )


def _datetime(value: object) -> datetime | None:
    """TOML offset datetime, or its ISO text (both allowed by the schema), in UTC."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(UTC)
    return None


SELF_GUIDED_ID = "self-guided"


def self_guided_session(session_id: str = SELF_GUIDED_ID, title: str = "") -> Session:
    """Every kind of checkpoint, for a report when no session file is at hand."""
    return Session(
        format_version=SESSION_FORMAT,
        id=session_id,
        title=title or "Self-guided journey",
        checkpoints=tuple(
            Checkpoint(kind.default_id, kind.default_title, kind) for kind in CheckpointKind
        ),
    )
