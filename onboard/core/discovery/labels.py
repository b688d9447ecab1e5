"""Recognising beginner labels and placing issues in lanes, whatever a project calls its labels.

Projects spell the same idea many ways (``good first issue``, ``Good First Issue``,
``🌱 good first issue``, ``good-first-issue``, ``E-easy``), so matching works on a normalised
form rather than on a fixed list of exact strings.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from onboard.core.models import Lane, Project

# Normalised spellings (see normalise_label) that mean "suitable for a newcomer".
BEGINNER_LABELS: frozenset[str] = frozenset(
    {
        "good first issue",
        "good first issues",
        "good first bug",
        "good first contribution",
        "good first pr",
        "first timers only",
        "first timer friendly",
        "beginner",
        "beginner friendly",
        "easy",
        "e easy",
        "easy fix",
        "starter",
        "starter issue",
        "newcomer",
        "newcomers",
        "up for grabs",
    }
)

# The exact spellings most often used on GitHub; search queries use these.
COMMON_BEGINNER_SPELLINGS: tuple[str, ...] = (
    "good first issue",
    "Good First Issue",
    "good-first-issue",
    "🌱 good first issue",
)

_LANE_WORDS: dict[Lane, tuple[str, ...]] = {
    Lane.DOC: ("doc", "docs", "documentation", "readme", "tutorial"),
    Lane.TRANSLATION: ("translation", "translations", "i18n", "l10n", "localization", "locale"),
    Lane.TRIAGE: ("triage", "needs triage", "needs reproduction", "reproduce", "cannot reproduce"),
    Lane.REVIEW: ("review", "needs review"),
    Lane.DESIGN: ("design", "ux", "ui", "ui ux", "logo"),
    Lane.CONTENT: ("blog", "writing", "content", "talk", "copy"),
    Lane.QUESTION: ("question", "support", "help request"),
    Lane.A11Y: ("a11y", "accessibility"),
    Lane.INFRA: ("ci", "infra", "infrastructure", "build", "maintenance", "chore", "tooling"),
}

_SEPARATORS = re.compile(r"[\s\-_:/.]+")


def normalise_label(name: str) -> str:
    """Fold case, drop emoji and punctuation, and treat ``-``/``_``/``:`` as spaces."""
    kept = []
    for char in unicodedata.normalize("NFKC", name):
        category = unicodedata.category(char)
        if category[0] in "LN":
            kept.append(char)
        elif category[0] in "PZ" or char.isspace() or char in "-_:/.":
            kept.append(" ")
        # symbols (emoji such as 🌱) and marks are dropped
    return _SEPARATORS.sub(" ", "".join(kept)).strip().casefold()


# Phrases specific enough to count even with a suffix ("good first issue :seedling:").
_BEGINNER_PREFIXES: tuple[str, ...] = tuple(
    phrase for phrase in BEGINNER_LABELS if phrase.count(" ") >= 2
)
_CATEGORY_SEPARATOR = re.compile(r"[:/]")


def _candidates(name: str) -> set[str]:
    """The label itself and, for ``category: value`` or ``kind/value`` labels, the value."""
    forms = {normalise_label(name)}
    parts = _CATEGORY_SEPARATOR.split(name, maxsplit=1)
    if len(parts) == 2:
        forms.add(normalise_label(parts[1]))
    forms.discard("")
    return forms


def is_beginner_label(name: str) -> bool:
    for form in _candidates(name):
        if form in BEGINNER_LABELS:
            return True
        if any(form.startswith(prefix + " ") for prefix in _BEGINNER_PREFIXES):
            return True
    return False


def has_beginner_label(names: Iterable[str]) -> bool:
    return any(is_beginner_label(name) for name in names)


def lane_for_labels(names: Iterable[str]) -> Lane:
    """The non-code lane a set of labels points to, or :attr:`Lane.CODE` when none does."""
    normalised = {form for name in names for form in _candidates(name)}
    for lane, words in _LANE_WORDS.items():
        if any(word in normalised for word in words):
            return lane
    return Lane.CODE


def lane_of(label_names: Iterable[str], project: Project | None = None) -> Lane:
    """The lane of an issue: the pack's own label mapping first, common synonyms after.

    A pack lane matched only through a beginner label (``code = ["good first issue"]``) says
    "this is for beginners", not "this is code": a specific non-code label on the issue
    (``documentation``, ``area: translation``) wins over it. Labels are compared in their
    normalised form, so ``📝 Documentation`` matches a binding of ``documentation``.
    """
    names = list(label_names)
    if project is None:
        return lane_for_labels(names)
    forms = {form for name in names for form in _candidates(name)}
    beginner_only: Lane | None = None
    for lane, binding in project.lanes.items():
        matched = [label for label in binding.labels if _candidates(label) & forms]
        if not matched:
            continue
        if all(is_beginner_label(label) for label in matched):
            beginner_only = beginner_only or lane
            continue
        return lane
    specific = lane_for_labels(names)
    if specific is not Lane.CODE or beginner_only is None:
        return specific
    return beginner_only
