"""Reading a checked-out project's files defensively: bounded, inside the folder, never executed.

A clone is a stranger's content. Its ``package.json`` may be 2 GB, ``go.mod`` may be a symlink to
``/dev/zero`` or to a file outside the clone, ``devcontainer.json`` may nest a million brackets.
Every reader here returns ``None`` for anything it would rather not read, so detection degrades
to "not found" instead of hanging, crashing or reading outside the project.
"""

from __future__ import annotations

import configparser
import json
import tomllib
from pathlib import Path
from typing import Any

#: Real project files are a few kB; anything past this is not worth reading for hints.
MAX_BYTES = 512 * 1024


def read_text(root: Path, name: str) -> str | None:
    """``root/name`` as text, or ``None`` when missing, too big, outside ``root`` or unreadable."""
    path = root / name
    try:
        resolved = path.resolve()
        if not resolved.is_relative_to(root.resolve()) or not resolved.is_file():
            return None
        with resolved.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except (OSError, RuntimeError):  # RuntimeError: a symlink loop
        return None
    if len(data) > MAX_BYTES:
        return None
    return data.decode("utf-8", errors="replace")


def exists(root: Path, name: str) -> bool:
    """Whether ``root/name`` is a regular file inside ``root`` (lock files are only looked at)."""
    try:
        resolved = (root / name).resolve()
        return resolved.is_relative_to(root.resolve()) and resolved.is_file()
    except (OSError, RuntimeError):
        return False


def read_toml(root: Path, name: str) -> dict[str, Any] | None:
    text = read_text(root, name)
    if text is None:
        return None
    try:
        return tomllib.loads(text)
    except (ValueError, RecursionError):  # TOMLDecodeError, or a number with too many digits
        return None


def read_json(root: Path, name: str, *, comments: bool = False) -> Any:
    """JSON, or JSON with comments and trailing commas (``devcontainer.json``) when asked."""
    text = read_text(root, name)
    if text is None:
        return None
    if comments:
        text = without_trailing_commas(without_comments(text))
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        return None


def read_ini(root: Path, name: str) -> configparser.ConfigParser | None:
    """``setup.cfg`` / ``tox.ini``: no interpolation, so ``%`` in values is just a character."""
    text = read_text(root, name)
    if text is None:
        return None
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    try:
        parser.read_string(text, source=name)
    except configparser.Error:
        return None
    return parser


def dig(data: Any, *keys: str) -> Any:
    """``data[k1][k2]...`` or ``None`` as soon as a level is missing or not a table."""
    for key in keys:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


def dig_str(data: Any, *keys: str) -> str | None:
    value = dig(data, *keys)
    return value if isinstance(value, str) and value.strip() else None


def without_comments(text: str) -> str:
    """Drop ``// line`` and ``/* block */`` comments that are not inside a JSON string."""
    out: list[str] = []
    index, size = 0, len(text)
    in_string = False
    while index < size:
        char = text[index]
        if in_string:
            out.append(char)
            if char == "\\" and index + 1 < size:
                out.append(text[index + 1])
                index += 1
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
            out.append(char)
        elif text.startswith("//", index):
            end = text.find("\n", index)
            index = size if end == -1 else end
            continue
        elif text.startswith("/*", index):
            end = text.find("*/", index + 2)
            index = size if end == -1 else end + 2
            out.append(" ")
            continue
        else:
            out.append(char)
        index += 1
    return "".join(out)


def without_trailing_commas(text: str) -> str:
    """Drop a comma that only has whitespace before the closing ``]`` or ``}``."""
    out: list[str] = []
    in_string = False
    escaped = False
    for index, char in enumerate(text):
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char == ",":
            following = index + 1
            while following < len(text) and text[following].isspace():
                following += 1
            if text[following : following + 1] in ("]", "}"):
                continue
        out.append(char)
    return "".join(out)
