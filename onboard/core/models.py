"""Domain objects shared by every layer.

They are frozen dataclasses built from forge responses or pack files, so screens, the CLI and
tests all see the same shape regardless of where the data came from (GitHub, the practice forge,
or a cache).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")


class Lane(StrEnum):
    """Kinds of contribution, named after the All Contributors vocabulary where it fits."""

    CODE = "code"
    DOC = "doc"
    TRANSLATION = "translation"
    TRIAGE = "triage"
    REVIEW = "review"
    DESIGN = "design"
    CONTENT = "content"
    QUESTION = "question"
    A11Y = "a11y"
    INFRA = "infra"

    @property
    def title(self) -> str:
        return _LANE_TITLES[self]

    @property
    def is_code(self) -> bool:
        return self in (Lane.CODE, Lane.INFRA)


_LANE_TITLES = {
    Lane.CODE: "Code",
    Lane.DOC: "Documentation",
    Lane.TRANSLATION: "Translation",
    Lane.TRIAGE: "Triage",
    Lane.REVIEW: "Review",
    Lane.DESIGN: "Design",
    Lane.CONTENT: "Writing",
    Lane.QUESTION: "Answering questions",
    Lane.A11Y: "Accessibility",
    Lane.INFRA: "Infrastructure",
}


@dataclass(frozen=True, order=True)
class RepoRef:
    """``owner/name`` of a repository, validated so it can be put in URLs and paths safely."""

    owner: str
    name: str

    @classmethod
    def parse(cls, text: str) -> RepoRef:
        parts = text.strip().removesuffix(".git").split("/")
        if len(parts) != 2 or not all(_NAME.fullmatch(p) for p in parts) or ".." in text:
            raise ValueError(
                f"{text!r} is not a repository name; expected OWNER/REPO, e.g. pallets/flask"
            )
        return cls(parts[0], parts[1])

    @property
    def full_name(self) -> str:
        return f"{self.owner}/{self.name}"

    def __str__(self) -> str:
        return self.full_name


@dataclass(frozen=True)
class SetupStep:
    """One command of a project's own setup, always an argv list (never a shell string)."""

    argv: tuple[str, ...]
    description: str
    os: tuple[str, ...] = ()

    def applies_to(self, os_name: str) -> bool:
        """``os_name`` is ``linux``, ``macos`` or ``windows``; no ``os`` list means everywhere."""
        return not self.os or os_name in self.os


@dataclass(frozen=True)
class Link:
    name: str
    url: str


@dataclass(frozen=True)
class Contact:
    name: str
    contact: str | None = None


@dataclass(frozen=True)
class LaneBinding:
    """How a project's issues of one lane are found: by label and/or search qualifiers."""

    labels: tuple[str, ...] = ()
    qualifiers: str = ""
    beginner_only: bool = True


@dataclass(frozen=True)
class Project:
    """A project a newcomer can choose, as described by a guide pack."""

    repo: RepoRef
    title: str
    summary: str = ""
    languages: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    contributing: str | None = None
    chat: tuple[Link, ...] = ()
    mentor: Contact | None = None
    beginner_labels: tuple[str, ...] = ()
    setup: tuple[SetupStep, ...] = ()
    test_command: tuple[str, ...] = ()
    lanes: dict[Lane, LaneBinding] = field(default_factory=dict)


@dataclass(frozen=True)
class Label:
    name: str
    color: str = "ededed"
    description: str | None = None


@dataclass(frozen=True)
class Issue:
    """An open issue as the forge reported it (pull requests are filtered out before this)."""

    repo: RepoRef
    number: int
    title: str
    url: str
    body: str | None = None
    labels: tuple[Label, ...] = ()
    assignees: tuple[str, ...] = ()
    comments: int = 0
    author: str | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    locked: bool = False
    state: str = "open"

    @property
    def label_names(self) -> tuple[str, ...]:
        return tuple(label.name for label in self.labels)

    def to_json(self) -> dict[str, Any]:
        """The stable JSON shape of ``onboard find --json``."""
        return {
            "repo": self.repo.full_name,
            "number": self.number,
            "title": self.title,
            "url": self.url,
            "labels": list(self.label_names),
            "assignees": list(self.assignees),
            "comments": self.comments,
            "author": self.author,
            "locked": self.locked,
            "created_at": _iso(self.created_at),
            "updated_at": _iso(self.updated_at),
        }


@dataclass(frozen=True)
class Comment:
    author: str | None
    body: str
    created_at: datetime | None = None
    association: str = "NONE"


@dataclass(frozen=True)
class RepoInfo:
    """What onboard needs to know about a repository to fork and clone it."""

    repo: RepoRef
    description: str | None
    default_branch: str
    clone_url: str
    html_url: str
    is_fork: bool = False
    parent: RepoRef | None = None
    archived: bool = False
    has_issues: bool = True


class ClaimStatus(StrEnum):
    """Whether someone is already working on an issue, as far as the evidence shows."""

    FREE = "free"
    TAKEN = "likely taken"
    UNKNOWN = "unknown"
    #: The learner's own: they claimed it, opened its pull request, or were assigned.
    YOURS = "yours"


@dataclass(frozen=True)
class LinkedPull:
    """A pull request that references an issue (from the issue's timeline)."""

    number: int
    url: str
    state: str = "open"
    merged: bool = False
    draft: bool = False
    author: str | None = None
    updated_at: datetime | None = None


@dataclass(frozen=True)
class AssignmentEvent:
    """Someone was assigned to an issue, or unassigned (from its timeline).

    ``actor`` is who did it: a maintainer assigning a newcomer hands the issue over, and an
    unassignment (by anyone) frees it again.
    """

    assigned: bool
    assignee: str | None
    actor: str | None = None
    created_at: datetime | None = None


@dataclass(frozen=True)
class Claim:
    """A claim status with the evidence behind it, in words a newcomer can check."""

    status: ClaimStatus
    evidence: tuple[str, ...] = ()


@dataclass(frozen=True)
class Preferences:
    """What the newcomer told onboard about themselves, used to rank suggestions."""

    languages: tuple[str, ...] = ()
    lanes: tuple[Lane, ...] = ()


@dataclass(frozen=True)
class Contribution:
    """A suggestion: a live issue placed in a lane, with its claim status, score and reasons."""

    issue: Issue
    lane: Lane
    claim: Claim = field(default_factory=lambda: Claim(ClaimStatus.UNKNOWN))
    score: float = 0.0
    reasons: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            **self.issue.to_json(),
            "lane": self.lane.value,
            "status": self.claim.status.value,
            "evidence": list(self.claim.evidence),
            "score": round(self.score, 2),
            "reasons": list(self.reasons),
        }


def _iso(value: datetime | None) -> str | None:
    return value.strftime("%Y-%m-%dT%H:%M:%SZ") if value else None
