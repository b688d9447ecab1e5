"""A ready-to-run session for a two-hour workshop, adjustable from the command line.

``onboard session new`` writes what :func:`workshop_data` returns. The default agenda is the
journey in the order a room of newcomers really goes through it, with time boxes that add up to
120 minutes, each ending at a checkpoint onboard can observe by itself.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import tomli_w

from onboard.core.sessions.checkpoint_kind import CheckpointKind
from onboard.core.sessions.session import SESSION_FORMAT

DEFAULT_TITLE = "First contribution workshop"
DEFAULT_PACKS = ("practice",)

#: The default two-hour workshop: checkpoints in the order they are reached.
WORKSHOP_CHECKPOINTS = (
    CheckpointKind.PROJECT_CHOSEN,
    CheckpointKind.FORK_CLONED,
    CheckpointKind.TESTS_RAN,
    CheckpointKind.ISSUE_CLAIMED,
    CheckpointKind.BRANCH_PUSHED,
    CheckpointKind.DRAFT_PR_OPENED,
)

#: The agenda step that ends at each kind of checkpoint: (title, minutes, description).
_STEPS: dict[CheckpointKind, tuple[str, int, str]] = {
    CheckpointKind.PROJECT_CHOSEN: (
        "Choose a project",
        15,
        "Pick one of the session's projects; readiness signals help more than stars.",
    ),
    CheckpointKind.FORK_CREATED: (
        "Fork the project",
        5,
        "Your own copy of the project on the forge.",
    ),
    CheckpointKind.FORK_CLONED: (
        "Fork and clone",
        20,
        "Your fork is on your computer, with 'origin' pointing at it.",
    ),
    CheckpointKind.TESTS_RAN: (
        "Run the tests",
        15,
        "Run the test suite once before changing anything.",
    ),
    CheckpointKind.ISSUE_CHOSEN: (
        "Pick an issue",
        10,
        "An open, free beginner issue that fits you: code or not.",
    ),
    CheckpointKind.ISSUE_CLAIMED: (
        "Find and claim an issue",
        20,
        "A polite comment says you are working on it.",
    ),
    CheckpointKind.BRANCH_PUSHED: (
        "Make the change and push your branch",
        25,
        "Your work branch is on your fork.",
    ),
    CheckpointKind.DRAFT_PR_OPENED: (
        "Open a draft pull request",
        10,
        "A draft pull request that says which issue it fixes.",
    ),
    CheckpointKind.REVIEW_GIVEN: (
        "Review someone's pull request",
        15,
        "One kind, specific review comment on an open pull request.",
    ),
    CheckpointKind.NONCODE_DONE: (
        "A non-code contribution",
        20,
        "Docs, translation, triage, design or writing: every kind counts.",
    ),
    CheckpointKind.FIRST_PR_MERGED: (
        "See it through to a merge",
        30,
        "Answer the review, fix what it asks, and follow it in My contributions (F5).",
    ),
}
_WELCOME = ("Welcome: how a contribution works", 10)
_WRAP_UP = ("Wrap-up: what happens after the pull request", 5)


def slug(text: str, *, fallback: str = "session") -> str:
    """``text`` as a session id: lowercase ASCII words joined by '-', at most 64 characters."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    words = re.findall(r"[a-z0-9]+", ascii_text)
    value = ""
    for word in words:
        candidate = f"{value}-{word}" if value else word
        if len(candidate) > 64:
            break
        value = candidate
    return value if len(value) >= 2 else fallback


def workshop_data(
    *,
    title: str = DEFAULT_TITLE,
    session_id: str | None = None,
    packs: Sequence[str] = DEFAULT_PACKS,
    kinds: Sequence[CheckpointKind] = WORKSHOP_CHECKPOINTS,
    projects: Sequence[str] = (),
    lanes: Sequence[str] = (),
    mentor: str | None = None,
    mentor_contact: str | None = None,
    help_name: str | None = None,
    help_url: str | None = None,
    starts_at: datetime | None = None,
) -> dict[str, Any]:
    """Session data (ready for ``tomli_w``): welcome, one step per checkpoint, wrap-up.

    Checkpoints keep the journey's order whatever order ``kinds`` came in, so the agenda reads
    as the learner will live it.
    """
    chosen = [kind for kind in CheckpointKind if kind in set(kinds)]
    data: dict[str, Any] = {
        "format": SESSION_FORMAT,
        "id": session_id or slug(title),
        "title": title,
    }
    if starts_at is not None:
        data["starts_at"] = starts_at
    data["packs"] = list(packs)
    if projects:
        data["projects"] = list(projects)
    if lanes:
        data["lanes"] = list(lanes)
    if mentor:
        data["mentor"] = {"name": mentor, **({"contact": mentor_contact} if mentor_contact else {})}
    data["help"] = {"name": help_name or "Raise your hand: a mentor will come to you"}
    if help_url:
        data["help"]["url"] = help_url
    agenda = [{"title": _WELCOME[0], "minutes": _WELCOME[1]}]
    agenda += [
        {"title": _STEPS[kind][0], "minutes": _STEPS[kind][1], "checkpoint": kind.default_id}
        for kind in chosen
    ]
    agenda.append({"title": _WRAP_UP[0], "minutes": _WRAP_UP[1]})
    data["agenda"] = agenda
    data["checkpoints"] = [
        {
            "id": kind.default_id,
            "title": kind.default_title,
            "kind": kind.value,
            "description": _STEPS[kind][2],
        }
        for kind in chosen
    ]
    return data


def session_toml(data: dict[str, Any]) -> str:
    """``data`` as TOML a mentor edits comfortably: one ``[[agenda]]`` table per item.

    ``tomli_w`` alone would squeeze short arrays of tables onto one line each, which reads badly
    and leaves every agenda item on the same line number in validation messages. Sections are
    written one by one with it instead; their names are this format's own fixed keys.
    """
    tables = {k: v for k, v in data.items() if isinstance(v, dict)}
    arrays = {k: v for k, v in data.items() if isinstance(v, list) and v and isinstance(v[0], dict)}
    plain = {k: v for k, v in data.items() if k not in tables and k not in arrays}
    parts = [tomli_w.dumps(plain)]
    parts += [f"[{key}]\n{tomli_w.dumps(value)}" for key, value in tables.items()]
    parts += [
        f"[[{key}]]\n{tomli_w.dumps(item)}" for key, items in arrays.items() for item in items
    ]
    return "\n".join(parts)
