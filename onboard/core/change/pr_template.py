"""The project's pull request template, found where GitHub looks for it, with ``Fixes #N``.

GitHub documents the places: ``.github/``, the root and ``docs/`` (any case), and a
``PULL_REQUEST_TEMPLATE/`` folder of several templates (then the first by name is taken).
Starting from it shows maintainers the newcomer read what they asked for.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from onboard.core.change.snapshot import ProjectSnapshot

#: GitHub's documented single-file places, in the order GitHub itself prefers them.
TEMPLATE_PLACES: tuple[str, ...] = (
    ".github/pull_request_template.md",
    "pull_request_template.md",
    "docs/pull_request_template.md",
)
TEMPLATE_FOLDER = ".github/pull_request_template/"

#: A line that is already a "Fixes #" waiting for its number (``Fixes #``, ``Closes #<issue>``,
#: ``- Resolves #XXX``), completed rather than repeated.
_CLOSING_LINE = re.compile(
    r"^(?P<lead>\s*(?:[-*]\s*)?(?:\*\*)?)(?P<word>fix(?:es|ed)?|close[sd]?|resolve[sd]?)"
    r"(?P<colon>:?\*{0,2}:?)[ \t]*#[ \t]*"
    r"(?:<[^>\n]*>|\[[^\]\n]*\]|\.\.\.|x+|n+|issue[_ -]?(?:number)?|_+)?[ \t]*$",
    re.IGNORECASE | re.MULTILINE,
)


@dataclass(frozen=True)
class PullTemplate:
    path: str
    text: str


def find_template(snapshot: ProjectSnapshot) -> PullTemplate | None:
    for place in TEMPLATE_PLACES:
        text = snapshot.text(place)
        if text is not None and text.strip():
            return PullTemplate(_real_path(snapshot, place), text)
    several = sorted(
        (path for path in snapshot.texts if path.lower().startswith(TEMPLATE_FOLDER)),
        key=str.lower,
    )
    for path in several:
        if path.lower().endswith(".md") and snapshot.texts[path].strip():
            return PullTemplate(path, snapshot.texts[path])
    return None


def _real_path(snapshot: ProjectSnapshot, place: str) -> str:
    return next((p for p in snapshot.texts if p.lower() == place), place)


def with_fixes(template: str, number: int) -> str:
    """``template`` with ``Fixes #number``: on its own closing line if it has one, else on top."""
    text = template.replace("\r\n", "\n")
    filled, count = _CLOSING_LINE.subn(
        lambda m: f"{m['lead']}{m['word']}{m['colon']} #{number}", text, count=1
    )
    if count:
        return filled
    if re.search(rf"(?i)\b(fix(es|ed)?|close[sd]?|resolve[sd]?):?\s+#{number}\b", text):
        return text
    return f"Fixes #{number}\n\n{text.lstrip()}"
