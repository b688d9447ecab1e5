"""Whether a project requires the Developer Certificate of Origin's ``Signed-off-by`` line.

A DCO bot blocks a pull request whose commits are not signed off, and fixing that afterwards
means rewriting history: the hardest git lesson to meet on day one. So it is read up front, from
the DCO app's ``.github/dco.yml`` or from the contributing guides saying so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from onboard.core.change.snapshot import ProjectSnapshot

_MENTION = re.compile(
    r"\bDCO\b|developer certificate of origin|signed-off-by|\bsign[- ]off\b|git commit -s\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class DcoRequirement:
    #: Where it was found, for the checklist's "because" line.
    source: str


def dco_requirement(snapshot: ProjectSnapshot) -> DcoRequirement | None:
    if snapshot.has(".github/dco.yml") or snapshot.text(".github/dco.yml") is not None:
        return DcoRequirement(".github/dco.yml")
    for path in sorted(snapshot.texts):
        lowered = path.lower()
        if ("contribut" in lowered or lowered.startswith("docs/")) and _MENTION.search(
            snapshot.texts[path]
        ):
            return DcoRequirement(path)
    return None
