"""Find the line where a key of a TOML document is defined.

``tomllib`` returns plain data with no positions, yet a curator fixing a pack needs "line 14".
This scanner follows table headers (``[a.b]``, ``[[a]]`` with their array indices) and
``key = value`` lines, which is how pack files are written, and maps each key path to its line.
Keys inside inline tables or multi-line values resolve to the line of their enclosing key.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

KeyPath = tuple[str | int, ...]

_BARE = r"[A-Za-z0-9_-]+"
_QUOTED = r'"(?:[^"\\]|\\.)*"|\'[^\']*\''
_PART = rf"(?:{_BARE}|{_QUOTED})"
_DOTTED = rf"{_PART}(?:\s*\.\s*{_PART})*"
_HEADER = re.compile(rf"^\s*(\[\[?)\s*({_DOTTED})\s*\]\]?")
_ASSIGNMENT = re.compile(rf"^\s*({_DOTTED})\s*=")
_SPLIT = re.compile(rf"\s*({_PART})\s*(?:\.|$)")


def _parts(dotted: str) -> list[str]:
    parts = []
    for match in _SPLIT.finditer(dotted):
        part = match.group(1)
        if part[:1] in "\"'":
            part = part[1:-1]
        parts.append(part)
    return parts


def key_lines(source: str) -> dict[KeyPath, int]:
    """Map every key path defined in ``source`` to its 1-based line number."""
    lines: dict[KeyPath, int] = {}
    array_counts: dict[KeyPath, int] = {}
    current: KeyPath = ()
    in_multiline: str | None = None
    for number, line in enumerate(source.splitlines(), start=1):
        if in_multiline:
            if line.count(in_multiline) % 2 == 1:
                in_multiline = None
            continue
        header = _HEADER.match(line)
        if header:
            path = _resolve(_parts(header.group(2)), array_counts)
            if header.group(1) == "[[":
                index = array_counts.get(path, 0)
                array_counts[path] = index + 1
                lines.setdefault(path, number)
                path = (*path, index)
            current = path
            lines.setdefault(path, number)
            continue
        assignment = _ASSIGNMENT.match(line)
        if assignment:
            lines.setdefault((*current, *_parts(assignment.group(1))), number)
            for quote in ('"""', "'''"):
                if line.count(quote) % 2 == 1:
                    in_multiline = quote
    return lines


def _resolve(parts: Sequence[str], array_counts: dict[KeyPath, int]) -> KeyPath:
    """Insert the index of the latest element of every enclosing array of tables.

    The last part is the header's own name and gets no index: for ``[[a]]`` the caller adds the
    new element's index, and ``[a.b]`` names a plain table.
    """
    path: KeyPath = ()
    for part in parts[:-1]:
        path = (*path, part)
        if path in array_counts:
            path = (*path, array_counts[path] - 1)
    return (*path, parts[-1]) if parts else path


def line_of(lines: dict[KeyPath, int], path: KeyPath) -> int | None:
    """The line of ``path``, or of its nearest defined ancestor."""
    for end in range(len(path), 0, -1):
        if path[:end] in lines:
            return lines[path[:end]]
    return None
