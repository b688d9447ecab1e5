"""``git status --porcelain=v1 -z`` as a plain list a screen or a test can read.

The porcelain format is git's stable one for programs; ``-z`` keeps odd file names (spaces,
quotes, newlines) exact instead of C-quoted.
"""

from __future__ import annotations

from dataclasses import dataclass

_WORDS = {
    "M": "modified",
    "A": "added",
    "D": "deleted",
    "R": "renamed",
    "C": "copied",
    "T": "type changed",
    "U": "conflict",
    "?": "new",
    "!": "ignored",
}


@dataclass(frozen=True)
class FileStatus:
    path: str
    #: Index (staged) and work-tree letters, as git prints them (``" M"``, ``"??"``).
    staged: str
    unstaged: str
    #: For a rename or copy, the path it came from.
    original: str | None = None

    @property
    def untracked(self) -> bool:
        return self.staged == "?"

    @property
    def deleted(self) -> bool:
        return "D" in (self.staged, self.unstaged)

    @property
    def description(self) -> str:
        letter = self.unstaged if self.unstaged not in (" ", "") else self.staged
        word = _WORDS.get(letter, "changed")
        return f"{word} (from {self.original})" if self.original else word


def parse_porcelain(output: str) -> list[FileStatus]:
    """Entries of ``git status --porcelain=v1 -z`` output, in git's order."""
    entries: list[FileStatus] = []
    fields = output.split("\0")
    index = 0
    while index < len(fields):
        entry = fields[index]
        index += 1
        if len(entry) < 4:
            continue
        staged, unstaged, path = entry[0], entry[1], entry[3:]
        original = None
        if staged in "RC" or unstaged in "RC":
            original = fields[index] if index < len(fields) else None
            index += 1
        entries.append(FileStatus(path, staged, unstaged, original))
    return entries
