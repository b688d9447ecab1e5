"""Validating a mentor's session file, with messages a mentor can act on at once.

The JSON Schema (``schemas/session-v1.schema.json``) is the single definition of the structure.
This module reuses the guide-pack machinery (:class:`~onboard.core.pack_validation.Problem`,
``file:line: key: message`` wording, "did you mean", hostile-input limits) so a mentor who knows
``onboard pack validate`` reads these messages the same way, and adds what a schema cannot say:
agenda items pointing at checkpoints that do not exist, duplicate ids, pre-picked issues outside
the allowed projects, and packs this computer does not know.
"""

from __future__ import annotations

import json
import os
import stat
import tomllib
from collections import deque
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from functools import cache
from pathlib import Path
from typing import Any

from onboard.core.pack_validation import (
    _TOML_LINE,
    FORBIDDEN_KEYS,
    MAX_DEPTH,
    MAX_INTEGER,
    Problem,
    _schema_messages,
    _unknown,
    format_key,
)
from onboard.core.toml_lines import KeyPath, key_lines, line_of

#: A session file is a page of TOML; anything bigger is a mistake or an attack.
MAX_SESSION_BYTES = 256_000
SCHEMA_PATH = Path(__file__).with_name("schemas") / "session-v1.schema.json"


@dataclass
class SessionValidation:
    """The parsed session data (when readable) and every problem found."""

    file: Path
    data: dict[str, Any] | None = None
    problems: list[Problem] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return self.data is not None and not any(p.severity == "error" for p in self.problems)


@cache
def _validator() -> Any:
    from jsonschema import Draft202012Validator  # ~0.1 s: imported on first validation

    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def validate_session_file(
    file: Path, *, known_packs: Collection[str] | None = None
) -> SessionValidation:
    """Read ``file`` defensively, then check it like :func:`validate_session_source`."""
    problems: list[Problem] = []
    source = read_session_text(file, problems)
    if source is None:
        return SessionValidation(file, None, problems)
    return validate_session_source(source, file, known_packs=known_packs)


def validate_session_source(
    source: str, file: Path, *, known_packs: Collection[str] | None = None
) -> SessionValidation:
    """Check session TOML text: syntax, schema, references between keys, hostile input.

    ``known_packs`` (names of the packs installed here) turns an unknown pack into a warning:
    the file may be fine on the mentor's computer, but a learner here would miss that pack.
    """
    result = SessionValidation(file)
    try:
        data = tomllib.loads(source)
    except tomllib.TOMLDecodeError as error:
        match = _TOML_LINE.search(str(error))
        message = _TOML_LINE.sub("", str(error)).strip()
        line = int(match.group(1)) if match else None
        result.problems.append(Problem(file, f"invalid TOML: {message}", line=line))
        return result
    except RecursionError:
        result.problems.append(
            Problem(file, f"nesting is too deep; expected at most {MAX_DEPTH} levels")
        )
        return result
    lines = key_lines(source)

    def add(path: KeyPath, message: str, severity: str = "error") -> None:
        result.problems.append(
            Problem(file, message, format_key(path), line_of(lines, path), severity)
        )

    hostile = list(_hostile_values(data))
    for path, message in hostile:
        add(path, message)
    if any(len(path) >= MAX_DEPTH for path, _ in hostile):
        return result  # the schema validator would recurse just as deep
    plain = _as_json(data)
    for error in _validator().iter_errors(plain):
        for path, message in _messages(error):
            add(path, message)
    reported = {problem.key for problem in result.problems}
    for path, message, severity in _semantic_problems(plain, known_packs):
        if format_key(path) not in reported:  # one message per key is enough
            add(path, message, severity)
    result.problems.sort(key=lambda p: (p.line or 0, p.key))
    result.data = data
    return result


def read_session_text(file: Path, problems: list[Problem]) -> str | None:
    """A regular file, bounded in size, UTF-8 and not binary; else a problem and None."""
    try:
        with file.open("rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                problems.append(Problem(file, "not a regular file; expected a TOML session file"))
                return None
            raw = handle.read(MAX_SESSION_BYTES + 1)
    except FileNotFoundError:
        problems.append(Problem(file, "does not exist; expected a TOML session file"))
        return None
    except IsADirectoryError:
        problems.append(Problem(file, "is a folder; expected a TOML session file"))
        return None
    except OSError as error:
        problems.append(Problem(file, f"cannot be read: {error.strerror}"))
        return None
    if len(raw) > MAX_SESSION_BYTES:
        problems.append(Problem(file, f"too large; expected at most {MAX_SESSION_BYTES:,} bytes"))
        return None
    if b"\x00" in raw:
        problems.append(Problem(file, "looks like a binary file; expected UTF-8 text"))
        return None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        problems.append(
            Problem(file, f"invalid UTF-8 at byte {error.start}; expected UTF-8 text", line=line)
        )
        return None


def _hostile_values(data: Any) -> Iterator[tuple[KeyPath, str]]:
    """Depth, huge integers and keys that would touch credentials, found without recursion."""
    stack: deque[tuple[KeyPath, Any]] = deque([((), data)])
    while stack:
        path, value = stack.pop()
        if len(path) > MAX_DEPTH:
            yield path[:MAX_DEPTH], f"nesting is too deep; expected at most {MAX_DEPTH} levels"
            continue
        if isinstance(value, dict):
            for key, item in value.items():
                if key.lower() in FORBIDDEN_KEYS:
                    yield (
                        (*path, key),
                        "a session may not set the API host, a token or credentials; "
                        "remove this key",
                    )
                stack.append(((*path, key), item))
        elif isinstance(value, list):
            stack.extend(((*path, index), item) for index, item in enumerate(value))
        elif isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_INTEGER:
            yield path, f"integer is too large; expected at most ±{MAX_INTEGER}"


def _as_json(value: Any) -> Any:
    """TOML's dates and times as ISO 8601 text, so the schema can check them as strings.

    Depth is already bounded by :func:`_hostile_values`, so plain recursion is safe here.
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
    yield from _schema_messages(error)


def _semantic_problems(
    data: dict[str, Any], known_packs: Collection[str] | None
) -> Iterator[tuple[KeyPath, str, str]]:
    """Rules between values: ids, references, issues within the allowed projects, known packs."""
    ids: dict[str, int] = {}
    for index, checkpoint in _tables(data, "checkpoints"):
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
    for index, item in _tables(data, "agenda"):
        reference = item.get("checkpoint")
        if isinstance(reference, str) and reference not in ids:
            message = (
                _unknown(reference, list(ids), "checkpoint")
                if ids
                else f"unknown checkpoint {reference!r}; this session defines no checkpoints"
            )
            yield ("agenda", index, "checkpoint"), message, "error"
    projects = data.get("projects")
    allowed = (
        {p.lower() for p in projects if isinstance(p, str)} if isinstance(projects, list) else set()
    )
    seen: dict[tuple[str, int], int] = {}
    for index, issue in _tables(data, "issues"):
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
    if known_packs is not None and isinstance(packs, list):
        for index, name in enumerate(packs):
            if isinstance(name, str) and name not in known_packs:
                yield (
                    ("packs", index),
                    f"no guide pack named {name!r} is installed here; learners need it too "
                    f"(onboard pack install ...). Known: {', '.join(sorted(known_packs))}",
                    "warning",
                )


def _tables(data: dict[str, Any], key: str) -> list[tuple[int, dict[str, Any]]]:
    items = data.get(key)
    if not isinstance(items, list):
        return []
    return [(index, item) for index, item in enumerate(items) if isinstance(item, dict)]
