"""Validating a mentor's session file, with messages a mentor can act on at once.

The JSON Schema (``schemas/session-v1.schema.json``) is the single definition of the structure.
This module shares the guide packs' machinery (:mod:`onboard.core.schemas.problems`: the
``file:line: key: message`` wording, "did you mean", hostile-input limits) so a mentor who knows
``onboard pack validate`` reads these messages the same way, and adds what a schema cannot say:
agenda items pointing at checkpoints that do not exist, duplicate ids, pre-picked issues outside
the allowed projects, and packs this computer does not know.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from onboard.core.schemas.problems import (
    Finding,
    Problem,
    check_toml,
    read_text,
    schema_messages,
    tables,
    unknown,
)
from onboard.core.schemas.toml_lines import KeyPath

#: A session file is a page of TOML; anything bigger is a mistake or an attack.
MAX_SESSION_BYTES = 256_000
SCHEMA_PATH = Path(__file__).parents[1] / "schemas" / "session-v1.schema.json"


@dataclass
class SessionValidation:
    """The parsed session data (when readable) and every problem found."""

    file: Path
    data: dict[str, Any] | None = None
    problems: list[Problem] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return self.data is not None and not any(p.severity == "error" for p in self.problems)


def validate_session_file(
    file: Path,
    *,
    known_packs: Collection[str] | None = None,
    untested: Mapping[str, str] | None = None,
) -> SessionValidation:
    """Read ``file`` defensively, then check it like :func:`validate_session_source`."""
    problems: list[Problem] = []
    source = read_session_text(file, problems)
    if source is None:
        return SessionValidation(file, None, problems)
    return validate_session_source(source, file, known_packs=known_packs, untested=untested)


def validate_session_source(
    source: str,
    file: Path,
    *,
    known_packs: Collection[str] | None = None,
    untested: Mapping[str, str] | None = None,
) -> SessionValidation:
    """Check session TOML text: syntax, schema, references between keys, hostile input.

    ``known_packs`` (names of the packs installed here) turns an unknown pack into a warning:
    the file may be fine on the mentor's computer, but a learner here would miss that pack.
    ``untested`` (project ``owner/name`` in lower case -> its pack's name, for projects whose
    pack gives no ``test_command``) warns about a "tests ran" checkpoint such a project skips.
    """
    data, problems = check_toml(
        source,
        file,
        subject="a session",
        schema_path=SCHEMA_PATH,
        prepare=_as_json,
        messages=_messages,
        rules=lambda plain: _semantic_problems(plain, known_packs, untested or {}),
    )
    return SessionValidation(file, data, problems)


def read_session_text(file: Path, problems: list[Problem]) -> str | None:
    """A regular file, bounded in size, UTF-8 and not binary; else a problem and None."""
    return read_text(
        file,
        problems,
        max_bytes=MAX_SESSION_BYTES,
        expected="a TOML session file",
        missing="does not exist; expected a TOML session file",
    )


def _as_json(value: Any) -> Any:
    """TOML's dates and times as ISO 8601 text, so the schema can check them as strings.

    Depth is already bounded by :func:`~onboard.core.schemas.problems.hostile_values`, so plain
    recursion is safe here.
    """
    if isinstance(value, dict):
        return {key: _as_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_as_json(item) for item in value]
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return value


def _messages(error: Any) -> Iterator[tuple[KeyPath, str]]:
    """Bounds in the mentor's words; everything else worded as for packs."""
    path: KeyPath = tuple(error.absolute_path)
    description = error.schema.get("description") if isinstance(error.schema, dict) else None
    if error.validator in ("minimum", "maximum"):
        detail = description or f"a number {error.validator} {error.validator_value}"
        yield path, f"expected {detail}, got {error.instance!r}"
        return
    yield from schema_messages(error)


def _semantic_problems(
    data: dict[str, Any], known_packs: Collection[str] | None, untested: Mapping[str, str]
) -> Iterator[Finding]:
    """Rules between values: ids, references, issues within the allowed projects, known packs,
    and checkpoints a project cannot offer."""
    ids: dict[str, int] = {}
    for index, checkpoint in tables(data, "checkpoints"):
        checkpoint_id = checkpoint.get("id")
        if not isinstance(checkpoint_id, str):
            continue
        if checkpoint_id in ids:
            yield (
                ("checkpoints", index, "id"),
                f"{checkpoint_id!r} is already used by checkpoints[{ids[checkpoint_id]}]; "
                "expected unique ids",
                "error",
            )
        ids.setdefault(checkpoint_id, index)
    for index, item in tables(data, "agenda"):
        reference = item.get("checkpoint")
        if isinstance(reference, str) and reference not in ids:
            message = (
                unknown(reference, list(ids), "checkpoint")
                if ids
                else f"unknown checkpoint {reference!r}; this session defines no checkpoints"
            )
            yield ("agenda", index, "checkpoint"), message, "error"
    projects = data.get("projects")
    allowed = (
        {p.lower() for p in projects if isinstance(p, str)} if isinstance(projects, list) else set()
    )
    seen: dict[tuple[str, int], int] = {}
    for index, issue in tables(data, "issues"):
        repo, number = issue.get("repo"), issue.get("number")
        if not isinstance(repo, str) or not isinstance(number, int):
            continue
        if allowed and repo.lower() not in allowed:
            yield (
                ("issues", index, "repo"),
                f"{repo} is not one of this session's projects; add it to 'projects' or pick "
                "an issue of one of them",
                "error",
            )
        key = (repo.lower(), number)
        if key in seen:
            yield (
                ("issues", index),
                f"{repo}#{number} is already listed as issues[{seen[key]}]; expected each once",
                "error",
            )
        seen.setdefault(key, index)
    packs = data.get("packs")
    yield from _skipped_checkpoints(data, untested)
    if known_packs is not None and isinstance(packs, list):
        for index, name in enumerate(packs):
            if isinstance(name, str) and name not in known_packs:
                yield (
                    ("packs", index),
                    f"no guide pack named {name!r} is installed here; learners need it too "
                    f"(onboard pack install ...). Known: {', '.join(sorted(known_packs))}",
                    "warning",
                )


def _skipped_checkpoints(data: dict[str, Any], untested: Mapping[str, str]) -> Iterator[Finding]:
    """A "tests ran" checkpoint warns about each offered project whose pack runs no tests: a
    learner who picks it skips that checkpoint (see :mod:`.reachability`)."""
    packs = data.get("packs")
    named = {p for p in packs if isinstance(p, str)} if isinstance(packs, list) else set()
    projects = data.get("projects")
    offered = (
        {p.lower() for p in projects if isinstance(p, str)} if isinstance(projects, list) else None
    )
    lacking = sorted(
        project
        for project, pack in untested.items()
        if (offered is None or project in offered) and (not named or pack in named)
    )
    if not lacking:
        return
    one = len(lacking) == 1
    for index, checkpoint in tables(data, "checkpoints"):
        if checkpoint.get("kind") != "tests_ran":
            continue
        yield (
            ("checkpoints", index, "kind"),
            f"{', '.join(lacking)} {'has' if one else 'have'} no test_command in "
            f"{'its guide pack' if one else 'their guide packs'}: learners who choose "
            f"{'it' if one else 'one'} skip this checkpoint unless onboard finds tests in the "
            "clone (add a test_command to the pack, or offer projects with tests)",
            "warning",
        )
