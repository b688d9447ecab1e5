"""What onboard knows of a clone when it works out the project's conventions: plain data.

The workspace layer reads the clone (its file list, a few small texts, recent commit subjects)
into a :class:`ProjectSnapshot`; everything in :mod:`onboard.core.change` reasons on that alone,
so the rules are tested in microseconds without git or a file system.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fnmatch import fnmatch

#: Files whose text the conventions depend on (matched case-insensitively against paths).
TEXT_PATTERNS: tuple[str, ...] = (
    "contributing*",
    "docs/contributing*",
    ".github/contributing*",
    "docs/*contribut*",
    "docs/development*",
    "readme*",
    ".github/dco.yml",
    ".clabot",
    ".github/cla.yml",
    ".cla.yml",
    ".github/workflows/*cla*",
    "pyproject.toml",
    "towncrier.toml",
    ".github/pull_request_template.md",
    "docs/pull_request_template.md",
    "pull_request_template.md",
    ".github/pull_request_template/*.md",
)

#: How much of each such file is read: conventions are stated near the top, and a huge file
#: must not cost the screen seconds.
MAX_TEXT_CHARS = 200_000


def wants_text(path: str) -> bool:
    """Whether ``path`` (relative, ``/``-separated) is a file whose text is read."""
    lowered = path.lower()
    return any(fnmatch(lowered, pattern) for pattern in TEXT_PATTERNS)


@dataclass(frozen=True)
class ProjectSnapshot:
    """A clone reduced to what conventions are read from."""

    #: Every tracked file, relative to the clone, ``/``-separated.
    paths: Sequence[str] = ()
    #: The text of the files :func:`wants_text` picks, by path.
    texts: Mapping[str, str] = field(default_factory=dict)
    #: Subjects of recent commits on the default branch, newest first.
    subjects: Sequence[str] = ()

    def text(self, path: str) -> str | None:
        """The text of ``path``, matched case-insensitively."""
        lowered = path.lower()
        for key, value in self.texts.items():
            if key.lower() == lowered:
                return value
        return None

    def has(self, path: str) -> bool:
        lowered = path.lower()
        return any(item.lower() == lowered for item in self.paths)

    def under(self, folder: str) -> list[str]:
        """Tracked files inside ``folder`` (any depth), as paths relative to the clone."""
        prefix = folder.rstrip("/").lower() + "/"
        return [item for item in self.paths if item.lower().startswith(prefix)]
