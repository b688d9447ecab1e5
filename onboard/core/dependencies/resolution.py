"""Deciding which GitHub repository a dependency comes from, and saying why when none does.

Evidence arrives from several places (the manifest itself, installed metadata, a registry);
this module only weighs it, so the rules are testable without any I/O: the first evidence that
names a GitHub repository wins, and an unresolved dependency always gets a reason a newcomer
can act on ("source is on gitlab.com, not GitHub") rather than disappearing from the list.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from onboard.core.dependencies.manifests.model import Dependency
from onboard.core.dependencies.source_repo import choose_repo, foreign_source, github_repo
from onboard.core.models import RepoRef

#: Ecosystems onboard can ask a registry about.
REGISTRY_ECOSYSTEMS = frozenset({"pypi", "npm"})
REGISTRY_NAMES = {"pypi": "PyPI", "npm": "the npm registry"}

NO_SOURCE = "no source repository in its metadata"
#: How the manifests' own links are named when they resolve a dependency.
LINK_WORDS = {
    "url": "requirement URL",
    "git": "git source",
    "spec": "version spec",
    "vcs": "vcs reference",
    "website": "website reference",
    "issue-tracker": "issue tracker reference",
    "downloadLocation": "download location",
    "homepage": "homepage",
}


@dataclass(frozen=True)
class Evidence:
    """What one place said about a package: its links, or why it could not say anything.

    ``missing`` means the place was asked and does not know the package (not installed, 404);
    ``failure`` means it could not be asked (unreachable, offline).
    """

    source: str
    urls: tuple[tuple[str, str], ...] = ()
    missing: bool = False
    failure: str | None = None


@dataclass(frozen=True)
class Resolution:
    repo: RepoRef | None
    how: str
    reason: str | None = None


def direct_evidence(dependencies: Sequence[Dependency]) -> Resolution | None:
    """A repository the manifests name themselves: ``pkg:github``, a Go module path, a git URL.

    Free and authoritative (the project's own declaration), so it is tried before any lookup.
    """
    first = dependencies[0]
    if first.ecosystem in ("github", "githubactions"):  # an action is its repository
        owner_repo = "/".join(first.name.split("/")[:2])  # github/codeql-action/init
        try:
            return Resolution(
                RepoRef.parse(owner_repo), f"GitHub repository named in {first.source_file}"
            )
        except ValueError:
            pass
    if first.ecosystem == "golang":
        repo = github_repo(first.name)
        if repo is not None:
            return Resolution(repo, "Go module path")
    for dependency in dependencies:
        chosen = choose_repo(dependency.urls)
        if chosen is not None:
            repo, label = chosen
            words = LINK_WORDS.get(label, f"{label} link")
            return Resolution(repo, f"{words} in {dependency.source_file}")
    return None


def decide(dependencies: Sequence[Dependency], evidence: Sequence[Evidence]) -> Resolution:
    """The repository named by the first evidence that names one, else the best reason why not."""
    for item in evidence:
        chosen = choose_repo(item.urls)
        if chosen is not None:
            repo, label = chosen
            return Resolution(repo, f"{item.source} ({label})")
    links = [url for dependency in dependencies for url in dependency.urls]
    links += [("source", d.name) for d in dependencies if d.ecosystem == "golang"]  # a Go path
    links += [url for item in evidence for url in item.urls]
    elsewhere = foreign_source(links)
    if elsewhere:
        return Resolution(None, "", f"source is on {elsewhere}, not GitHub")
    return Resolution(None, "", _reason(dependencies[0], evidence, has_links=bool(links)))


def _reason(dependency: Dependency, evidence: Sequence[Evidence], *, has_links: bool) -> str:
    ecosystem = dependency.ecosystem
    answered = [item for item in evidence if not item.missing and item.failure is None]
    if answered or has_links:
        return NO_SOURCE
    if ecosystem not in REGISTRY_ECOSYSTEMS:
        return f"onboard cannot look up {ecosystem} packages, and the manifest gives no source link"
    failures = [item.failure for item in evidence if item.failure]
    registry = REGISTRY_NAMES[ecosystem]
    not_installed = ecosystem == "pypi" and any(
        item.missing for item in evidence if item.source == "installed metadata"
    )
    prefix = "not installed and " if not_installed else ""
    if failures:
        return f"{prefix}{failures[0]}"
    if any(item.missing and item.source != "installed metadata" for item in evidence):
        return f"{prefix}not found on {registry}"
    return f"{prefix}{registry} was not asked"
