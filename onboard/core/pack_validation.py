"""Validating a guide pack folder, with messages a curator can act on at once.

The JSON Schema (``schemas/pack-v1.schema.json``) is the single definition of the structure;
this module runs it, adds the checks a schema cannot express (files inside the pack, duplicates,
hostile input), and turns every finding into a :class:`Problem` naming the file, the line, the key
path and what was expected.
"""

from __future__ import annotations

import difflib
import json
import os
import re
import stat
import tomllib
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from onboard.core.toml_lines import KeyPath, key_lines, line_of

PACK_FILE = "pack.toml"
MAX_FILE_BYTES = 1_000_000
MAX_DEPTH = 32
MAX_INTEGER = 2**53
SCHEMA_PATH = Path(__file__).with_name("schemas") / "pack-v1.schema.json"

#: Keys that would redirect requests or credentials. A pack must never be able to do that.
FORBIDDEN_KEYS = frozenset(
    {
        "api_url",
        "api",
        "base_url",
        "api_host",
        "host",
        "github_api_url",
        "token",
        "gh_token",
        "github_token",
        "auth",
        "password",
        "credentials",
    }
)
_FORBIDDEN_QUALIFIERS = re.compile(r"(?:^|\s)-?(repo|org|user|is):", re.IGNORECASE)
_TOML_LINE = re.compile(r"\(at line (\d+), column \d+\)")

_TYPE_WORDS = {
    "string": "a string",
    "array": "a list",
    "object": "a table",
    "integer": "an integer",
    "boolean": "true or false",
    "number": "a number",
}


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a pack, printable as one line."""

    file: Path
    message: str
    key: str = ""
    line: int | None = None
    severity: str = "error"

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else str(self.file)
        key = f" {self.key}:" if self.key else ""
        label = "" if self.severity == "error" else f" {self.severity}:"
        return f"{where}:{label}{key} {self.message}"

    def to_json(self) -> dict[str, Any]:
        return {
            "file": str(self.file),
            "line": self.line,
            "key": self.key,
            "message": self.message,
            "severity": self.severity,
        }


@dataclass
class Validation:
    """The parsed pack data (when readable) and every problem found."""

    folder: Path
    data: dict[str, Any] | None = None
    problems: list[Problem] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return self.data is not None and not any(p.severity == "error" for p in self.problems)


def format_key(path: KeyPath) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


@cache
def _validator() -> Any:
    from jsonschema import Draft202012Validator  # costs ~0.1 s: imported on first validation

    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def validate_pack(folder: Path) -> Validation:
    """Check ``folder`` offline: syntax, schema, files, duplicates, hostile input."""
    result = Validation(folder)
    file = folder / PACK_FILE
    source = _read_text(file, result.problems)
    if source is None:
        return result
    try:
        data = tomllib.loads(source)
    except tomllib.TOMLDecodeError as error:
        match = _TOML_LINE.search(str(error))
        message = _TOML_LINE.sub("", str(error)).strip()
        result.problems.append(
            Problem(file, f"invalid TOML: {message}", line=int(match.group(1)) if match else None)
        )
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
    for error in _validator().iter_errors(data):
        for path, message in _schema_messages(error):
            add(path, message)
    reported = {problem.key for problem in result.problems}
    for path, message in _semantic_problems(folder, data):
        if format_key(path) not in reported:  # one message per key is enough
            add(path, message)
    result.problems.sort(key=lambda p: (p.line or 0, p.key))
    result.data = data
    return result


def _read_text(file: Path, problems: list[Problem]) -> str | None:
    """Read a pack file defensively: regular file, bounded size, UTF-8, not binary."""
    try:
        with file.open("rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                problems.append(Problem(file, "not a regular file; expected a text file"))
                return None
            raw = handle.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        problems.append(Problem(file, "missing; expected this file in the pack folder"))
        return None
    except OSError as error:
        problems.append(Problem(file, f"cannot be read: {error.strerror}"))
        return None
    if len(raw) > MAX_FILE_BYTES:
        problems.append(Problem(file, f"too large; expected at most {MAX_FILE_BYTES:,} bytes"))
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
    """Depth, huge integers and forbidden keys, found without recursion."""
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
                        (
                            "a pack may not set the API host, a token or credentials; "
                            "remove this key"
                        ),
                    )
                stack.append(((*path, key), item))
        elif isinstance(value, list):
            stack.extend(((*path, index), item) for index, item in enumerate(value))
        elif isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_INTEGER:
            yield path, f"integer is too large; expected at most ±{MAX_INTEGER}"


def _schema_messages(error: Any) -> Iterator[tuple[KeyPath, str]]:
    path: KeyPath = tuple(error.absolute_path)
    kind, expected, instance = error.validator, error.validator_value, error.instance
    description = error.schema.get("description") if isinstance(error.schema, dict) else None
    if "propertyNames" in error.absolute_schema_path:
        choices = [str(c) for c in error.schema.get("enum", [])]
        yield (*path, instance), _unknown(str(instance), choices, "name")
        return
    if kind == "additionalProperties" and isinstance(instance, dict):
        allowed = list(error.schema.get("properties", {}))
        for key in instance:
            if key not in allowed and key.lower() not in FORBIDDEN_KEYS:
                yield (*path, key), _unknown(key, allowed, "key")
    elif kind == "required":
        for key in expected:
            if key not in instance:
                yield path, f"required key '{key}' is missing"
    elif kind == "type":
        wanted = _TYPE_WORDS.get(expected, expected)
        detail = f" ({description})" if description else ""
        yield path, f"expected {wanted}{detail}, got {_describe(instance)}"
    elif kind == "const":
        yield path, f"expected {expected!r}, got {_short(instance)}"
    elif kind == "enum":
        yield path, _unknown(str(instance), [str(c) for c in expected], "value")
    elif kind == "pattern":
        yield path, f"expected {description or 'text matching ' + expected}, got {_short(instance)}"
    elif kind == "minLength":
        yield path, "must not be empty"
    elif kind == "maxLength":
        yield path, f"is too long ({len(instance)} characters); expected at most {expected}"
    elif kind == "minItems":
        yield path, f"expected at least {expected} item{'s' if expected != 1 else ''}"
    elif kind == "maxItems":
        yield path, f"has {len(instance)} items; expected at most {expected}"
    elif kind == "uniqueItems":
        yield path, "contains the same value twice"
    else:
        yield path, error.message


def _unknown(value: str, choices: list[str], what: str) -> str:
    close = difflib.get_close_matches(value, choices, n=1, cutoff=0.6)
    if close:
        return f"unknown {what} {value!r}; did you mean {close[0]!r}?"
    return f"unknown {what} {value!r}; expected one of: {', '.join(choices)}"


def _describe(value: Any) -> str:
    names = {
        str: "a string",
        list: "a list",
        dict: "a table",
        bool: "a boolean",
        int: "an integer",
        float: "a number",
    }
    return names.get(type(value), type(value).__name__)


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _tables(data: dict[str, Any], key: str) -> list[tuple[int, dict[str, Any]]]:
    """The tables of array ``key`` with their indices; the schema reports any other shape."""
    items = data.get(key)
    if not isinstance(items, list):
        return []
    return [(index, item) for index, item in enumerate(items) if isinstance(item, dict)]


def _text(table: dict[str, Any], key: str) -> str | None:
    value = table.get(key)
    return value if isinstance(value, str) else None


def _semantic_problems(folder: Path, data: dict[str, Any]) -> Iterator[tuple[KeyPath, str]]:
    """Rules between values, and the files the pack points to."""
    repos: dict[str, int] = {}
    for index, project in _tables(data, "projects"):
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
    for index, task in _tables(data, "tasks"):
        project_name = _text(task, "project")
        if project_name and project_name.lower() not in repos:
            yield ("tasks", index, "project"), f"{project_name} is not one of this pack's projects"
    ids: dict[str, int] = {}
    for index, guide in _tables(data, "guides"):
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
