"""How a project writes commit subjects, and a first commit message in that style.

Conventional Commits (``fix(parser): handle empty input``) are only proposed when most recent
subjects already use them: a newcomer's first commit should look like its neighbours, and a
project that does not use the convention would find ``fix:`` odd.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from onboard.core.text.sanitize import clean

#: ``type(scope)!: subject`` — the Conventional Commits 1.0 header.
CONVENTIONAL = re.compile(r"^(?P<type>[a-z]+)(?:\((?P<scope>[^()\s]+)\))?!?: \S")
#: Subjects that say nothing about style: merges and reverts written by git itself.
_GENERATED = re.compile(r"^(Merge (pull request|branch|remote-tracking)|Revert \")")
#: How many recent subjects are looked at, and how few make no evidence at all.
RECENT = 30
MIN_SUBJECTS = 3
SUBJECT_MAX = 72


class ChangeKind(StrEnum):
    """What a change is, in Conventional Commits' words."""

    FIX = "fix"
    FEAT = "feat"
    DOCS = "docs"
    TEST = "test"
    CHORE = "chore"


@dataclass(frozen=True)
class CommitStyle:
    conventional: bool
    #: Types the history uses, most frequent first (``fix``, ``docs``...).
    types: tuple[str, ...] = ()
    #: How many of the subjects looked at follow the convention, and how many were looked at.
    matching: int = 0
    looked_at: int = 0

    def evidence(self) -> str:
        if not self.looked_at:
            return "no commit history to learn from"
        return f"{self.matching} of the last {self.looked_at} commit subjects use type: subject"


def commit_style(subjects: Sequence[str]) -> CommitStyle:
    """Conventional when more than half of the recent, human-written subjects follow it."""
    recent = [s.strip() for s in subjects if s.strip() and not _GENERATED.match(s.strip())]
    recent = recent[:RECENT]
    matches = [m for m in (CONVENTIONAL.match(s) for s in recent) if m]
    types = tuple(t for t, _ in Counter(m["type"] for m in matches).most_common())
    conventional = len(recent) >= MIN_SUBJECTS and len(matches) * 2 > len(recent)
    return CommitStyle(conventional, types, len(matches), len(recent))


_KIND_WORDS: dict[ChangeKind, tuple[str, ...]] = {
    ChangeKind.DOCS: ("doc", "documentation", "docs", "translation", "typo", "writing"),
    ChangeKind.TEST: ("test", "tests", "testing"),
    ChangeKind.FEAT: ("enhancement", "feature", "feat", "new feature"),
    ChangeKind.FIX: ("bug", "fix", "defect", "regression"),
}


def change_kind(labels: Iterable[str], title: str = "") -> ChangeKind:
    """The kind of change an issue asks for, from its labels, else from its title's words."""
    names = [label.lower() for label in labels]
    for kind, words in _KIND_WORDS.items():
        if any(word in name for name in names for word in words):
            return kind
    lowered = title.lower()
    if any(word in lowered for word in ("typo", "docs", "documentation", "readme", "spelling")):
        return ChangeKind.DOCS
    return ChangeKind.FIX


def shorten(subject: str, limit: int = SUBJECT_MAX) -> str:
    """Cut at a word boundary so the subject fits git's customary 72 columns."""
    if len(subject) <= limit:
        return subject
    cut = subject[: limit - 1].rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:-") + "…"


def draft_message(number: int, title: str, style: CommitStyle, kind: ChangeKind) -> str:
    """A commit message for issue ``number``: its title as the subject, then ``Fixes #N``.

    The title is untrusted: cleaned to one printable line. Its trailing full stop goes (git
    subjects do not end in one).
    """
    subject = clean(title, one_line=True, max_length=200).rstrip(". ") or f"Work on #{number}"
    if style.conventional:
        kind_name = kind.value
        if kind_name not in style.types and style.types and kind is ChangeKind.FEAT:
            kind_name = "feat"
        if CONVENTIONAL.match(subject):
            header = subject
        else:
            first_word = subject.split(" ", 1)[0]
            lower = subject if first_word.isupper() else subject[:1].lower() + subject[1:]
            header = f"{kind_name}: {lower}"
    else:
        header = subject[:1].upper() + subject[1:]
    return f"{shorten(header)}\n\nFixes #{number}\n"


def follows_style(subject: str, style: CommitStyle) -> bool:
    return not style.conventional or bool(CONVENTIONAL.match(subject.strip()))
