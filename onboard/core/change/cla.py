"""A Contributor License Agreement: whether the project asks for one, and where to sign.

A CLA is signed once, on a website, before a pull request can be merged; a newcomer who
learns of it only from a bot's comment on their first pull request feels caught out. It is read
from CONTRIBUTING (and the README), or from a CLA bot's configuration.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from onboard.core.change.snapshot import ProjectSnapshot

_MENTION = re.compile(r"\bCLA\b|contributor licen[cs]e agreement", re.IGNORECASE)
_URL = re.compile(r"https?://[^\s<>()\[\]\"'`]+")
_BOT_FILES = (".clabot", ".github/cla.yml", ".cla.yml")


@dataclass(frozen=True)
class ClaRequirement:
    #: Where it was found (``CONTRIBUTING.md``, ``.clabot``).
    source: str
    #: Where to read and sign it, when the project says.
    link: str | None


def cla_requirement(snapshot: ProjectSnapshot) -> ClaRequirement | None:
    for path, text in sorted(snapshot.texts.items()):
        lowered = path.lower()
        if lowered in _BOT_FILES or (
            lowered.startswith(".github/workflows/") and "cla" in text.lower()
        ):
            return ClaRequirement(path, _best_link(text))
    for path, text in sorted(snapshot.texts.items(), key=lambda item: _doc_rank(item[0])):
        if _doc_rank(path) > 2:
            continue
        for paragraph in re.split(r"\n\s*\n", text):
            if _MENTION.search(paragraph):
                return ClaRequirement(path, _best_link(paragraph))
    return None


def _doc_rank(path: str) -> int:
    lowered = path.lower()
    if "contribut" in lowered:
        return 0
    if lowered.startswith("readme"):
        return 1
    if lowered.startswith("docs/"):
        return 2
    return 9


def _best_link(text: str) -> str | None:
    links = [url.rstrip(".,;:") for url in _URL.findall(text)]
    for url in links:
        if "cla" in url.lower():
            return url
    return links[0] if links else None
