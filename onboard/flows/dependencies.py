"""From your own dependencies to projects you could help: read, resolve, count beginner issues.

The open-source programme office use case: a team relies on dozens of packages; which of their
projects welcome newcomers right now? Each dependency is traced to its GitHub repository using
the cheapest evidence first (the manifest's own links, then installed metadata, then the
registries), packages sharing a repository become one row (a monorepo publishes many), and open
beginner issues are counted with the forge's batched search: a handful of requests for the whole
list, never one per repository. Dependencies that cannot be traced stay in the list with the
reason, so nothing the team depends on silently disappears.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from onboard.core.dependencies.declared import Dependency, read_dependencies
from onboard.core.dependencies.installed_metadata import installed_urls, search_path_for
from onboard.core.dependencies.resolution import (
    REGISTRY_ECOSYSTEMS,
    Evidence,
    Resolution,
    decide,
    direct_evidence,
)
from onboard.core.models import RepoRef
from onboard.core.packs.validation import Problem
from onboard.forge.base import (
    Forge,
    ForgeAuthError,
    ForgeError,
    ForgeRateLimited,
    ForgeUnreachable,
)
from onboard.forge.registries import Registries

INSTALLED = "installed metadata"
#: Extra searches allowed for isolating repositories a search refuses (see :func:`_count`).
MAX_SPLIT_SEARCHES = 16


@dataclass(frozen=True)
class DependencyProject:
    """One row: a repository and the dependencies it publishes, or one unresolved dependency.

    ``how`` names the evidence that resolved it; ``reason`` says why it is unresolved;
    ``beginner_issues`` is None when they could not be counted (offline, unresolved).
    """

    dependencies: tuple[Dependency, ...]
    repo: RepoRef | None
    how: str
    reason: str | None = None
    beginner_issues: int | None = None

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(d.name for d in self.dependencies))

    @property
    def ecosystems(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(d.ecosystem for d in self.dependencies))

    @property
    def dev_only(self) -> bool:
        return all(d.dev for d in self.dependencies)

    def to_json(self) -> dict[str, Any]:
        """The stable JSON shape of ``onboard deps --json``."""
        return {
            "repo": self.repo.full_name if self.repo else None,
            "url": f"https://github.com/{self.repo.full_name}" if self.repo else None,
            "packages": list(self.names),
            "ecosystems": list(self.ecosystems),
            "dev_only": self.dev_only,
            "how": self.how or None,
            "reason": self.reason,
            "beginner_issues": self.beginner_issues,
            "declared_in": [
                {
                    "name": d.name,
                    "ecosystem": d.ecosystem,
                    "spec": d.spec,
                    "file": d.source_file,
                    "line": d.line,
                    "dev": d.dev,
                }
                for d in self.dependencies
            ],
        }


@dataclass(frozen=True)
class DependencyExploration:
    """The rows, plus what the user must know about how complete they are."""

    projects: list[DependencyProject]
    problems: list[Problem] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)
    #: Why beginner issues are missing or old (offline, rate limited…), if they are.
    issues_note: str | None = None
    truncated: bool = False
    registry_requests: int = 0
    search_requests: int = 0

    @property
    def resolved(self) -> list[DependencyProject]:
        return [project for project in self.projects if project.repo is not None]


def explore_dependencies(
    path: Path,
    forge: Forge | None,
    *,
    registries: Registries | None,
    progress: Callable[[str], None] | None = None,
    search_path: Sequence[str] | None = None,
) -> DependencyExploration:
    """Read ``path``'s manifests, trace each dependency to GitHub, count beginner issues.

    ``forge`` None skips counting (offline); ``registries`` None asks no registry at all.
    ``search_path`` is where installed packages are looked for (default: the project's own
    virtual environment, then this Python's). Raises
    :class:`~onboard.core.dependencies.declared.DependencyError` only when nothing can be read.
    """
    say = progress or (lambda _message: None)
    say(f"Reading the manifests in {path}…")
    scan = read_dependencies(path)
    groups: dict[tuple[str, str], list[Dependency]] = {}
    for dependency in scan.dependencies:
        groups.setdefault(dependency.key, []).append(dependency)
    files = len(scan.files)
    say(f"Found {len(groups)} dependencies in {files} file{'s' if files != 1 else ''}…")

    resolutions: dict[tuple[str, str], Resolution] = {}
    evidence: dict[tuple[str, str], list[Evidence]] = {key: [] for key in groups}
    where = list(search_path) if search_path is not None else search_path_for(scan.root)
    for key, members in groups.items():
        direct = direct_evidence(members)
        if direct is not None:
            resolutions[key] = direct
            continue
        if key[0] == "pypi":
            urls = installed_urls(members[0].name, where)
            found = Evidence(INSTALLED, urls or (), missing=urls is None)
            evidence[key].append(found)
            if urls and decide(members, [found]).repo is not None:
                resolutions[key] = decide(members, [found])
    to_ask = [key for key in groups if key not in resolutions and key[0] in REGISTRY_ECOSYSTEMS]
    if to_ask and registries is not None:
        say(f"Looking up {len(to_ask)} packages on PyPI and npm…")
        answers = registries.lookup_all(
            [(ecosystem, groups[(ecosystem, _)][0].name) for ecosystem, _ in to_ask],
            progress=lambda done, total: say(f"Looked up {done} of {total} packages…"),
        )
        for key in to_ask:
            answer = answers.get((key[0], groups[key][0].name))
            if answer is not None:
                evidence[key].append(answer)
    for key, members in groups.items():
        if key not in resolutions:
            resolutions[key] = decide(members, evidence[key])

    counts, note, searches = _count(forge, resolutions.values(), say)
    projects = _rows(groups, resolutions, counts)
    return DependencyExploration(
        projects=projects,
        problems=scan.problems,
        files=scan.files,
        issues_note=note,
        truncated=scan.truncated,
        registry_requests=registries.requests if registries is not None else 0,
        search_requests=searches,
    )


def _rows(
    groups: dict[tuple[str, str], list[Dependency]],
    resolutions: dict[tuple[str, str], Resolution],
    counts: dict[str, int | None],
) -> list[DependencyProject]:
    """One row per repository (case-insensitively), one per unresolved dependency; sorted."""
    by_repo: dict[str, tuple[RepoRef, str, list[Dependency]]] = {}
    unresolved: list[DependencyProject] = []
    for key, members in groups.items():
        resolution = resolutions[key]
        if resolution.repo is None:
            unresolved.append(DependencyProject(tuple(members), None, "", resolution.reason, None))
            continue
        slot = resolution.repo.full_name.casefold()
        by_repo.setdefault(slot, (resolution.repo, resolution.how, []))[2].extend(members)
    resolved = [
        DependencyProject(tuple(members), repo, how, None, counts.get(slot))
        for slot, (repo, how, members) in by_repo.items()
    ]
    resolved.sort(
        key=lambda p: (
            p.beginner_issues is None,
            -(p.beginner_issues or 0),
            p.dev_only,
            p.repo.full_name.casefold() if p.repo else "",
        )
    )
    unresolved.sort(key=lambda p: (p.dev_only, p.names[0].casefold()))
    return resolved + unresolved


def _count(
    forge: Forge | None,
    resolutions: Iterable[Resolution],
    say: Callable[[str], None],
) -> tuple[dict[str, int | None], str | None, int]:
    """Open beginner issues per repository (casefolded name), a note if any are missing, cost.

    GitHub refuses a whole search when one ``repo:`` in it does not exist (renamed, deleted,
    private), so a failing batch is split in halves until the culprit is alone: a few extra
    requests only when something is wrong, and one bad repository costs no other its count.
    """
    repos = sorted(
        {r.repo.full_name.casefold(): r.repo for r in resolutions if r.repo is not None}.values()
    )
    if not repos:
        return {}, None, 0
    if forge is None:
        return {}, "beginner issues were not counted (offline)", 0
    say(f"Counting open beginner issues in {len(repos)} repositories on {forge.config.label}…")
    counts: dict[str, int | None] = {}
    notes: list[str] = []
    requests = 0
    splits = MAX_SPLIT_SEARCHES

    def search(batch: list[RepoRef]) -> None:
        nonlocal requests, splits
        try:
            found = forge.good_first_issues(batch)
        except (ForgeUnreachable, ForgeRateLimited, ForgeAuthError):
            raise
        except ForgeError as error:
            if len(batch) == 1 or splits < 2:
                for repo in batch:
                    counts[repo.full_name.casefold()] = None
                names = ", ".join(repo.full_name for repo in batch[:3])
                more = f" and {len(batch) - 3} more" if len(batch) > 3 else ""
                notes.append(f"not counted for {names}{more}: {error}")
                return
            splits -= 2
            middle = len(batch) // 2
            search(batch[:middle])
            search(batch[middle:])
            return
        requests += found.requests
        if found.freshness.stale_reason:
            notes.append(f"counts may be old: {found.freshness.stale_reason}")
        missing = {repo.full_name.casefold() for repo in found.missing}
        for repo in batch:
            if repo.full_name.casefold() not in missing:
                counts[repo.full_name.casefold()] = 0
        for issue in found.issues:
            slot = issue.repo.full_name.casefold()
            if slot in counts and counts[slot] is not None:
                counts[slot] = (counts[slot] or 0) + 1
        if found.missing:  # part of the batch failed: those repositories get a search again
            again = [repo for repo in batch if repo.full_name.casefold() in missing]
            try:
                if len(again) < len(batch):
                    search(again)
                    return
                raise ForgeError(found.missing_reason or "the search failed")
            except ForgeError as error:
                for repo in again:
                    counts.setdefault(repo.full_name.casefold(), None)
                notes.append(f"not counted for {len(again)} repositories: {error}")

    try:
        search(repos)
    except ForgeError as error:
        return {}, f"beginner issues were not counted: {error}", requests
    return counts, "; ".join(dict.fromkeys(notes)) or None, requests
