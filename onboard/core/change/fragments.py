"""News and changelog fragments: which folder a project keeps them in, and the file to add.

Projects that assemble their changelog from fragments (towncrier's ``newsfragments/``,
``changelog.d/``, scriv, changesets' ``.changeset/``) expect one file per pull request. The
name follows what is already in the folder (``123.bugfix.md``), so the checklist can name the
exact file.
"""

from __future__ import annotations

import re
import tomllib
from collections import Counter
from dataclasses import dataclass

from onboard.core.change.commit_style import ChangeKind
from onboard.core.change.snapshot import ProjectSnapshot

#: Folders, in the order they are looked for.
FRAGMENT_DIRS: tuple[str, ...] = (
    "changelog.d",
    "newsfragments",
    "news",
    ".changeset",
    "changes",
    "changelog",
    "docs/changelog.d",
    "doc/changelog.d",
    "docs/changes",
    "doc/changes",
    "changelog/unreleased",
)
#: Files a folder keeps for itself, which are not fragments.
_NOT_FRAGMENTS = re.compile(
    r"^(\.gitkeep|\.gitignore|readme(\..*)?|template.*|config\.json)$", re.IGNORECASE
)
#: towncrier's ``<issue>.<type>[.<n>][.<ext>]`` (``+`` for fragments without an issue).
_TOWNCRIER = re.compile(r"^(?:\d+|\+[\w-]*)\.(?P<type>[a-z_]+)(?:\.\d+)?(?P<ext>\.[a-z]+)?$")
_SCRIV = re.compile(r"^\d{8}_\d{6}_.*(?P<ext>\.[a-z]+)$")

#: towncrier's types for each kind of change, in preference order.
_TYPE_NAMES: dict[ChangeKind, tuple[str, ...]] = {
    ChangeKind.FIX: ("bugfix", "fix", "bug", "fixed", "bugfixes"),
    ChangeKind.FEAT: ("feature", "feat", "added", "features"),
    ChangeKind.DOCS: ("doc", "docs", "documentation"),
    ChangeKind.TEST: ("misc", "trivial", "testing", "test"),
    ChangeKind.CHORE: ("misc", "trivial", "chore"),
}


@dataclass(frozen=True)
class FragmentRule:
    """The project wants a fragment in ``directory``; ``example`` is the file to add."""

    directory: str
    example: str
    #: One sentence on how the project makes them, for the checklist.
    how: str

    @property
    def path(self) -> str:
        return f"{self.directory}/{self.example}"

    def satisfied_by(self, added_paths: list[str]) -> bool:
        prefix = self.directory.lower() + "/"
        return any(
            path.lower().startswith(prefix) and not _NOT_FRAGMENTS.match(path.rsplit("/", 1)[-1])
            for path in added_paths
        )


def fragment_rule(snapshot: ProjectSnapshot, number: int, kind: ChangeKind) -> FragmentRule | None:
    directory = _towncrier_directory(snapshot) or next(
        (d for d in FRAGMENT_DIRS if snapshot.under(d)), None
    )
    if directory is None:
        return None
    names = [p.rsplit("/", 1)[-1] for p in snapshot.under(directory)]
    names = [n for n in names if not _NOT_FRAGMENTS.match(n)]
    if directory.endswith(".changeset"):
        return FragmentRule(
            directory,
            f"issue-{number}.md",
            "a changeset describing your change (`npx changeset` writes one for you)",
        )
    if any(_SCRIV.match(n) for n in names):
        ext = _common_ext([m["ext"] for n in names if (m := _SCRIV.match(n))], ".md")
        return FragmentRule(
            directory,
            f"YYYYMMDD_HHMMSS_issue_{number}{ext}",
            "a scriv fragment (`scriv create` names it for you)",
        )
    towncrier = [m for n in names if (m := _TOWNCRIER.match(n))]
    types = _configured_types(snapshot) or [m["type"] for m in towncrier]
    ext = _common_ext([m["ext"] or "" for m in towncrier], _default_ext(snapshot))
    chosen = _pick_type(kind, types)
    return FragmentRule(
        directory,
        f"{number}.{chosen}{ext}",
        "a news fragment, a sentence or two for the changelog",
    )


def _pick_type(kind: ChangeKind, types: list[str]) -> str:
    known = list(dict.fromkeys(types))
    for name in _TYPE_NAMES[kind]:
        if name in known:
            return name
    return known[0] if known and kind is not ChangeKind.FIX else _TYPE_NAMES[kind][0]


def _common_ext(extensions: list[str], default: str) -> str:
    counted = Counter(extensions).most_common(1)
    return counted[0][0] if counted else default


def _default_ext(snapshot: ProjectSnapshot) -> str:
    rst = any(p.lower().endswith(".rst") for p in snapshot.paths if "/" not in p)
    return ".rst" if rst and not any(p.lower() == "changelog.md" for p in snapshot.paths) else ".md"


def _towncrier_table(snapshot: ProjectSnapshot) -> dict[str, object]:
    """``[tool.towncrier]`` from ``towncrier.toml`` or ``pyproject.toml`` (empty when absent)."""
    for name in ("towncrier.toml", "pyproject.toml"):
        text = snapshot.text(name)
        if not text:
            continue
        try:
            table = tomllib.loads(text).get("tool", {}).get("towncrier")
        except (tomllib.TOMLDecodeError, AttributeError):
            continue
        if isinstance(table, dict) and table:
            return table
    return {}


def _towncrier_directory(snapshot: ProjectSnapshot) -> str | None:
    table = _towncrier_table(snapshot)
    directory = table.get("directory")
    if isinstance(directory, str) and directory.strip("/"):
        return directory.strip("/")
    return None


def _configured_types(snapshot: ProjectSnapshot) -> list[str]:
    table = _towncrier_table(snapshot)
    kinds = table.get("type")
    if isinstance(kinds, list):
        return [
            kind["directory"]
            for kind in kinds
            if isinstance(kind, dict) and isinstance(kind.get("directory"), str)
        ]
    return []
