"""Validating a guide pack folder, with messages a curator can act on at once.

The JSON Schema (``schemas/pack-v1.schema.json``) is the single definition of the structure;
this module runs it, adds the checks a schema cannot express (files inside the pack, duplicates),
and turns every finding into a :class:`Problem` naming the file, the line, the key path and what
was expected. Reading, parsing, hostile input and the schema's wording are shared with session
files in :mod:`onboard.core.schemas.problems`, so both read the same.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from onboard.core.schemas.problems import (
    Problem,
    check_toml,
    read_text,
    tables,
)
from onboard.core.schemas.problems import format_key as format_key
from onboard.core.schemas.toml_lines import KeyPath

PACK_FILE = "pack.toml"
MAX_FILE_BYTES = 1_000_000
SCHEMA_PATH = Path(__file__).parents[1] / "schemas" / "pack-v1.schema.json"
_FORBIDDEN_QUALIFIERS = re.compile(r"(?:^|\s)-?(repo|org|user|is):", re.IGNORECASE)


@dataclass
class Validation:
    """The parsed pack data (when readable) and every problem found."""

    folder: Path
    data: dict[str, Any] | None = None
    problems: list[Problem] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return self.data is not None and not any(p.severity == "error" for p in self.problems)


def validate_pack(folder: Path) -> Validation:
    """Check ``folder`` offline: syntax, schema, files, duplicates, hostile input."""
    result = Validation(folder)
    file = folder / PACK_FILE
    if not file.resolve().is_relative_to(folder.resolve()):
        # A link out of the pack (to ~/.bashrc, /etc/shadow) must not even be read: its
        # parse errors would quote it.
        result.problems.append(
            Problem(
                file,
                "leads outside the pack folder (a symbolic link?); expected a file inside it",
            )
        )
        return result
    source = _read_text(file, result.problems)
    if source is None:
        return result
    result.data, result.problems = check_toml(
        source,
        file,
        subject="a pack",
        schema_path=SCHEMA_PATH,
        rules=lambda data: (
            (path, message, "error") for path, message in _semantic_problems(folder, data)
        ),
    )
    return result


def _read_text(file: Path, problems: list[Problem]) -> str | None:
    """Read a pack file (``pack.toml`` or a guide) defensively; see :func:`read_text`."""
    return read_text(
        file,
        problems,
        max_bytes=MAX_FILE_BYTES,
        expected="a text file",
        missing="missing; expected this file in the pack folder",
    )


def _text(table: dict[str, Any], key: str) -> str | None:
    value = table.get(key)
    return value if isinstance(value, str) else None


def _semantic_problems(folder: Path, data: dict[str, Any]) -> Iterator[tuple[KeyPath, str]]:
    """Rules between values, and the files the pack points to."""
    repos: dict[str, int] = {}
    for index, project in tables(data, "projects"):
        name = (_text(project, "repo") or "").lower()
        if name and name in repos:
            yield (
                ("projects", index, "repo"),
                (
                    f"{project['repo']} is already listed as projects[{repos[name]}]; "
                    "expected each repository once"
                ),
            )
        if name:
            repos.setdefault(name, index)
        lanes = project.get("lanes")
        for lane, binding in lanes.items() if isinstance(lanes, dict) else ():
            qualifiers = _text(binding, "qualifiers") if isinstance(binding, dict) else None
            if qualifiers and _FORBIDDEN_QUALIFIERS.search(qualifiers):
                yield (
                    ("projects", index, "lanes", lane, "qualifiers"),
                    ("may not contain repo:, org:, user: or is: (onboard adds them itself)"),
                )
    for index, task in tables(data, "tasks"):
        project_name = _text(task, "project")
        if project_name and project_name.lower() not in repos:
            yield ("tasks", index, "project"), f"{project_name} is not one of this pack's projects"
    ids: dict[str, int] = {}
    for index, guide in tables(data, "guides"):
        guide_id = _text(guide, "id")
        if guide_id and guide_id in ids:
            yield (
                ("guides", index, "id"),
                (f"{guide_id!r} is already used by guides[{ids[guide_id]}]; expected unique ids"),
            )
        if guide_id:
            ids.setdefault(guide_id, index)
        files: list[tuple[KeyPath, str]] = []
        if _text(guide, "file"):
            files.append((("guides", index, "file"), guide["file"]))
        translations = guide.get("translations")
        if isinstance(translations, dict):
            files += [
                (("guides", index, "translations", tag), relative)
                for tag, relative in translations.items()
                if isinstance(relative, str)
            ]
        for path, relative in files:
            problem = check_guide_file(folder, relative)
            if problem:
                yield path, problem


def check_guide_file(folder: Path, relative: str) -> str | None:
    """Why ``relative`` is not a usable guide inside ``folder``, or None when it is."""
    root = folder.resolve()
    candidate = folder / relative
    if Path(relative).is_absolute() or ".." in Path(relative).parts:
        return f"expected a path inside the pack folder, got {relative!r}"
    target = candidate.resolve()
    if not target.is_relative_to(root):
        return (
            f"{relative!r} leads outside the pack folder (a symbolic link?); "
            "expected a file inside it"
        )
    if not target.is_file():
        return f"{relative!r} does not exist; expected a Markdown file in the pack folder"
    problems: list[Problem] = []
    if _read_text(target, problems) is None:
        return f"{relative!r}: {problems[0].message}"
    return None
