"""Problems in a TOML file checked against a JSON Schema, one printable line each.

Guide packs and mentors' session files are both TOML written by hand and checked by a schema.
Their authors should read the same ``file:line: key: message`` wording, with the same "did you
mean" suggestions and the same limits against hostile input, so all of that lives here once:
reading the file defensively, parsing it with line numbers, turning each jsonschema error into a
:class:`Problem` on the right key and line, and the order in which the checks run.
"""

from __future__ import annotations

import difflib
import json
import os
import re
import stat
import sys
import tomllib
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from onboard.core.schemas.toml_lines import KeyPath, key_lines, line_of

MAX_DEPTH = 32
MAX_INTEGER = 2**53

#: Keys that would redirect requests or credentials. A hand-written file must never do that.
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
#: A UTF-8 byte order mark: Windows editors write one; it carries nothing, so it is dropped.
BOM = "\ufeff"
_TOML_LINE = re.compile(r"\(at line (\d+), column \d+\)")

_TYPE_WORDS = {
    "string": "a string",
    "array": "a list",
    "object": "a table",
    "integer": "an integer",
    "boolean": "true or false",
    "number": "a number",
}

#: What a rule between values finds: the key it is about, the message and its severity.
Finding = tuple[KeyPath, str, str]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a file, printable as one line."""

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


def format_key(path: KeyPath) -> str:
    """``("projects", 0, "repo")`` as ``projects[0].repo``, the way the author writes it."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def read_text(
    file: Path, problems: list[Problem], *, max_bytes: int, expected: str, missing: str
) -> str | None:
    """Read ``file`` defensively: regular file, bounded size, UTF-8, not binary.

    Otherwise add a problem to ``problems`` and return None. ``expected`` names what the file
    should be ("a text file"); ``missing`` is the whole message for a file that is not there.
    """
    try:
        # Non-blocking: opening a FIFO for reading would otherwise wait forever for a writer.
        descriptor = os.open(file, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(descriptor, "rb") as handle:
            mode = os.fstat(handle.fileno()).st_mode
            if stat.S_ISDIR(mode):
                raise IsADirectoryError(file)
            if not stat.S_ISREG(mode):
                problems.append(Problem(file, f"not a regular file; expected {expected}"))
                return None
            raw = handle.read(max_bytes + 1)
    except FileNotFoundError:
        problems.append(Problem(file, missing))
        return None
    except IsADirectoryError:
        problems.append(Problem(file, f"is a folder; expected {expected}"))
        return None
    except OSError as error:
        problems.append(Problem(file, f"cannot be read: {error.strerror}"))
        return None
    if len(raw) > max_bytes:
        problems.append(Problem(file, f"too large; expected at most {max_bytes:,} bytes"))
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


@cache
def schema_validator(schema_path: Path) -> Any:
    """The checked Draft 2020-12 validator of a schema file, built once per process."""
    from jsonschema import Draft202012Validator  # costs ~0.1 s: imported on first validation

    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def check_toml(
    source: str,
    file: Path,
    *,
    subject: str,
    schema_path: Path,
    rules: Callable[[Any], Iterable[Finding]],
    prepare: Callable[[dict[str, Any]], Any] | None = None,
    messages: Callable[[Any], Iterable[tuple[KeyPath, str]]] | None = None,
) -> tuple[dict[str, Any] | None, list[Problem]]:
    """Check TOML text: syntax, hostile input, the schema, then ``rules`` between values.

    Returns the parsed data (None when it cannot be trusted) and the problems sorted by line.
    ``subject`` ("a pack") words the refusal of credential keys; ``prepare`` turns the data
    into what the schema and the rules see (TOML dates as text, say); ``messages`` words the
    schema's errors when the default wording of :func:`schema_messages` does not fit. A rule's
    finding is dropped when the schema already said something about that key.
    """
    problems: list[Problem] = []
    source = source.removeprefix(BOM)
    try:
        data = tomllib.loads(source)
    except tomllib.TOMLDecodeError as error:
        message, line = toml_error(error)
        return None, [Problem(file, f"invalid TOML: {message}", line=line)]
    except RecursionError:
        return None, [Problem(file, f"nesting is too deep; expected at most {MAX_DEPTH} levels")]
    except ValueError as error:  # not a TOMLDecodeError: int() refused too many digits
        message, line = too_many_digits(source, error)
        return None, [Problem(file, f"invalid TOML: {message}", line=line)]
    lines = key_lines(source)

    def add(path: KeyPath, message: str, severity: str = "error") -> None:
        problems.append(Problem(file, message, format_key(path), line_of(lines, path), severity))

    hostile = list(hostile_values(data, subject))
    for path, message in hostile:
        add(path, message)
    if any(len(path) >= MAX_DEPTH for path, _ in hostile):
        return None, problems  # the schema validator would recurse just as deep
    checked = data if prepare is None else prepare(data)
    for error in schema_validator(schema_path).iter_errors(checked):
        for path, message in (messages or schema_messages)(error):
            add(path, message)
    reported = {problem.key for problem in problems}
    for path, message, severity in rules(checked):
        if format_key(path) not in reported:  # one message per key is enough
            add(path, message, severity)
    problems.sort(key=lambda p: (p.line or 0, p.key))
    return data, problems


def toml_error(error: tomllib.TOMLDecodeError) -> tuple[str, int | None]:
    """``tomllib``'s message without its "(at line 3, column 7)", and that line on its own."""
    match = _TOML_LINE.search(str(error))
    return _TOML_LINE.sub("", str(error)).strip(), int(match.group(1)) if match else None


def too_many_digits(source: str, error: ValueError) -> tuple[str, int | None]:
    """The message and line for the integer ``tomllib`` could not convert.

    Python refuses to turn more than ``sys.get_int_max_str_digits()`` decimal digits into an
    int (a guard against quadratic-time conversion), and ``tomllib`` lets that ``ValueError``
    through with no position. The parser reads front to back and converts each number as soon
    as it meets it, so the first lines of the file that raise the same error end at the line
    of that number: a binary search over the lines that could hold it finds it.
    """
    limit = sys.get_int_max_str_digits()
    lines = source.splitlines(keepends=True)
    long_run = re.compile(rf"[0-9_]{{{limit + 1},}}")
    candidates = [number for number, text in enumerate(lines, 1) if long_run.search(text)]
    if not candidates:  # some other value tomllib could not convert: say what Python said
        return f"a value cannot be read ({error})", None
    message = (
        f"an integer has more than {limit:,} digits; expected a number with at most "
        f"{limit:,} digits"
    )
    low, high = 0, len(candidates) - 1
    while low < high:  # the first candidate whose prefix of the file fails the same way
        middle = (low + high) // 2
        if _int_conversion_fails("".join(lines[: candidates[middle]])):
            high = middle
        else:
            low = middle + 1
    return message, candidates[low]


def _int_conversion_fails(source: str) -> bool:
    try:
        tomllib.loads(source)
    except tomllib.TOMLDecodeError:
        return False
    except RecursionError:
        return False
    except ValueError:
        return True
    return False


def hostile_values(data: Any, subject: str) -> Iterator[tuple[KeyPath, str]]:
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
                        f"{subject} may not set the API host, a token or credentials; "
                        "remove this key",
                    )
                stack.append(((*path, key), item))
        elif isinstance(value, list):
            stack.extend(((*path, index), item) for index, item in enumerate(value))
        elif isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_INTEGER:
            yield path, f"integer is too large; expected at most ±{MAX_INTEGER}"


def schema_messages(error: Any) -> Iterator[tuple[KeyPath, str]]:
    """One jsonschema error as (key path, message) pairs in words an author can act on."""
    path: KeyPath = tuple(error.absolute_path)
    kind, expected, instance = error.validator, error.validator_value, error.instance
    description = error.schema.get("description") if isinstance(error.schema, dict) else None
    if "propertyNames" in error.absolute_schema_path:
        choices = [str(c) for c in error.schema.get("enum", [])]
        yield (*path, instance), unknown(str(instance), choices, "name")
        return
    if kind == "additionalProperties" and isinstance(instance, dict):
        allowed = list(error.schema.get("properties", {}))
        for key in instance:
            if key not in allowed and key.lower() not in FORBIDDEN_KEYS:
                yield (*path, key), unknown(key, allowed, "key")
    elif kind == "required":
        for key in expected:
            if key not in instance:
                yield path, f"required key '{key}' is missing"
    elif kind == "type":
        wanted = _TYPE_WORDS.get(expected, expected)
        detail = f" ({description})" if description else ""
        yield path, f"expected {wanted}{detail}, got {describe(instance)}"
    elif kind == "const":
        yield path, f"expected {expected!r}, got {short(instance)}"
    elif kind == "enum":
        yield path, unknown(str(instance), [str(c) for c in expected], "value")
    elif kind == "pattern":
        yield path, f"expected {description or 'text matching ' + expected}, got {short(instance)}"
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


def unknown(value: str, choices: list[str], what: str) -> str:
    """An unknown name with the closest known one ("did you mean"), or the whole list."""
    close = difflib.get_close_matches(value, choices, n=1, cutoff=0.6)
    if close:
        return f"unknown {what} {value!r}; did you mean {close[0]!r}?"
    return f"unknown {what} {value!r}; expected one of: {', '.join(choices)}"


def describe(value: Any) -> str:
    """A value's kind in the author's words ("a table", not "dict")."""
    names = {
        str: "a string",
        list: "a list",
        dict: "a table",
        bool: "a boolean",
        int: "an integer",
        float: "a number",
    }
    return names.get(type(value), type(value).__name__)


def short(value: Any) -> str:
    """``repr(value)``, cut to fit in a one-line message."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def tables(data: dict[str, Any], key: str) -> list[tuple[int, dict[str, Any]]]:
    """The tables of array ``key`` with their indices; the schema reports any other shape."""
    items = data.get(key)
    if not isinstance(items, list):
        return []
    return [(index, item) for index, item in enumerate(items) if isinstance(item, dict)]
