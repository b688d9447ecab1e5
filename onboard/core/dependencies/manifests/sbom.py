"""Dependencies from software bills of materials: CycloneDX JSON and SPDX 2.x JSON.

An SBOM names each component by package URL (``pkg:npm/%40babel/core@7.23.2``) and often says
where its source lives (a CycloneDX ``vcs`` reference, an SPDX git ``downloadLocation``); those
links are kept on the dependency so it resolves without asking any registry. The document's own
subject (CycloneDX ``metadata.component``, what an SPDX document ``DESCRIBES``) is the project
itself and is skipped.
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from onboard.core.dependencies.manifests.model import Dependency, Findings
from onboard.core.dependencies.purl import PackageURL, parse_purl
from onboard.core.dependencies.source_repo import github_repo

#: CycloneDX external reference types that point at a project's home (in preference order).
CYCLONEDX_REFERENCES = ("vcs", "website", "issue-tracker")
#: SPDX relationships that make the first element a development-only dependency.
SPDX_DEV_RELATIONSHIPS = frozenset({"DEV_DEPENDENCY_OF", "TEST_DEPENDENCY_OF", "DEV_TOOL_OF"})
_PURL_LINE = re.compile(r'"(?:purl|referenceLocator)"\s*:\s*"([^"]+)"')
_NO_VALUE = ("NOASSERTION", "NONE", "")


def is_cyclonedx(data: Any) -> bool:
    return isinstance(data, dict) and data.get("bomFormat") == "CycloneDX"


def is_spdx(data: Any) -> bool:
    return (
        isinstance(data, dict)
        and isinstance(data.get("spdxVersion"), str)
        and data["spdxVersion"].startswith("SPDX-")
    )


def purl_lines(source: str) -> dict[str, int]:
    """Line of the first occurrence of every purl: SBOMs are long, and ``json`` has no positions."""
    lines: dict[str, int] = {}
    for number, line in enumerate(source.splitlines(), start=1):
        for match in _PURL_LINE.finditer(line):
            lines.setdefault(match.group(1), number)
    return lines


def dependency_from_purl(
    purl: PackageURL,
    *,
    source_file: str,
    line: int | None,
    dev: bool,
    urls: tuple[tuple[str, str], ...],
    fallback_version: str = "",
) -> Dependency:
    """A dependency named the way its ecosystem names it (``@scope/name``, ``owner/repo``)."""
    return Dependency(
        name=purl.full_name,
        ecosystem=purl.type,
        spec=purl.version or fallback_version,
        source_file=source_file,
        line=line,
        dev=dev,
        urls=urls,
    )


def read_cyclonedx(path: Path, data: dict[str, Any], source: str, findings: Findings) -> None:
    components = data.get("components", [])
    if not isinstance(components, list):
        findings.problem(path, "expected a list of components", key="components")
        return
    metadata = data.get("metadata")
    subject = metadata.get("component") if isinstance(metadata, dict) else None
    own_ref = subject.get("bom-ref") if isinstance(subject, dict) else None
    lines = purl_lines(source)
    display = findings.display(path)
    skipped = 0
    queue: deque[tuple[str, Any]] = deque(
        (f"components[{index}]", item) for index, item in enumerate(components)
    )
    while queue:
        key, component = queue.popleft()
        if not isinstance(component, dict):
            findings.problem(path, "expected a component object", key=key)
            continue
        nested = component.get("components")
        if isinstance(nested, list):  # assemblies nest their parts
            queue.extend((f"{key}.components[{i}]", item) for i, item in enumerate(nested))
        if own_ref is not None and component.get("bom-ref") == own_ref:
            continue
        urls = _cyclonedx_urls(component)
        dev = component.get("scope") == "excluded" or _property(
            component, "cdx:npm:package:development"
        )
        version = component.get("version") if isinstance(component.get("version"), str) else ""
        text = component.get("purl")
        entry = _Entry(
            text if isinstance(text, str) and text else None,
            f"{key}.purl",
            component.get("name"),
            version,
            urls,
            dev,
        )
        if not entry.read(path, findings, lines, display):
            skipped += 1
    _note_skipped(path, findings, skipped, "components", "a source link")


def _cyclonedx_urls(component: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    references = component.get("externalReferences")
    if not isinstance(references, list):
        return ()
    found = [
        (ref["type"], ref["url"])
        for ref in references
        if isinstance(ref, dict)
        and ref.get("type") in CYCLONEDX_REFERENCES
        and isinstance(ref.get("url"), str)
    ]
    found.sort(key=lambda pair: CYCLONEDX_REFERENCES.index(pair[0]))
    return tuple(found)


def _property(component: dict[str, Any], name: str) -> bool:
    properties = component.get("properties")
    if not isinstance(properties, list):
        return False
    return any(
        isinstance(item, dict) and item.get("name") == name and item.get("value") == "true"
        for item in properties
    )


@dataclass(frozen=True)
class _Entry:
    """What both SBOM formats say about one component (CycloneDX) or package (SPDX)."""

    purl: str | None
    purl_key: str
    name: Any
    version: str
    urls: tuple[tuple[str, str], ...]
    dev: bool

    def read(self, path: Path, findings: Findings, lines: dict[str, int], display: str) -> bool:
        """Add the dependency (or the problem with its purl); False when it names neither a
        purl nor a source link, so the caller counts it as skipped."""
        if self.purl is not None:
            line = lines.get(self.purl)
            try:
                purl = parse_purl(self.purl)
            except ValueError as error:
                findings.problem(path, str(error), key=self.purl_key, line=line)
                return True
            findings.add(
                dependency_from_purl(
                    purl,
                    source_file=display,
                    line=line,
                    dev=self.dev,
                    urls=self.urls,
                    fallback_version=self.version,
                )
            )
            return True
        dependency = _without_purl(self.name, self.version, self.urls, display, self.dev)
        if dependency is not None:
            findings.add(dependency)
        return dependency is not None


def _note_skipped(path: Path, findings: Findings, skipped: int, key: str, link: str) -> None:
    """One note for all entries that could not be placed, instead of one line each."""
    if skipped:
        noun = key.removesuffix("s")
        findings.problem(
            path,
            f"{skipped} {noun}{'s have' if skipped != 1 else ' has'} neither a purl nor {link}; "
            "skipped",
            key=key,
            severity="note",
        )


def _without_purl(
    name: Any, version: str, urls: tuple[tuple[str, str], ...], display: str, dev: bool
) -> Dependency | None:
    """A component known only by its source link: GitHub's ``owner/repo``, or its own name."""
    if not urls or not any(label in ("vcs", "downloadLocation") for label, _ in urls):
        return None
    repo = next((github_repo(url) for _, url in urls if github_repo(url)), None)
    if repo is not None:
        return Dependency(repo.full_name, "github", version, display, None, dev, urls)
    if isinstance(name, str) and name:
        return Dependency(name, "generic", version, display, None, dev, urls)
    return None


def read_spdx(path: Path, data: dict[str, Any], source: str, findings: Findings) -> None:
    packages = data.get("packages", [])
    if not isinstance(packages, list):
        findings.problem(path, "expected a list of packages", key="packages")
        return
    relationships = data.get("relationships")
    relationships = relationships if isinstance(relationships, list) else []
    described = data.get("documentDescribes")
    subjects = set(described) if isinstance(described, list) else set()
    dev_ids: set[str] = set()
    for relation in relationships:
        if not isinstance(relation, dict):
            continue
        kind = relation.get("relationshipType")
        if kind == "DESCRIBES" and relation.get("spdxElementId") == "SPDXRef-DOCUMENT":
            subjects.add(relation.get("relatedSpdxElement"))
        elif kind == "DESCRIBED_BY":
            subjects.add(relation.get("spdxElementId"))
        elif kind in SPDX_DEV_RELATIONSHIPS:
            dev_ids.add(str(relation.get("spdxElementId")))
    lines = purl_lines(source)
    display = findings.display(path)
    skipped = 0
    for index, package in enumerate(packages):
        key = f"packages[{index}]"
        if not isinstance(package, dict):
            findings.problem(path, "expected a package object", key=key)
            continue
        spdx_id = package.get("SPDXID")
        if spdx_id in subjects:
            continue
        dev = str(spdx_id) in dev_ids
        version = package.get("versionInfo") if isinstance(package.get("versionInfo"), str) else ""
        text, ref_key = _spdx_purl(package, key)
        entry = _Entry(text, ref_key, package.get("name"), version, _spdx_urls(package), dev)
        if not entry.read(path, findings, lines, display):
            skipped += 1
    _note_skipped(path, findings, skipped, "packages", "a git download location")


def _spdx_purl(package: dict[str, Any], key: str) -> tuple[str | None, str]:
    refs = package.get("externalRefs")
    for index, ref in enumerate(refs if isinstance(refs, list) else []):
        if (
            isinstance(ref, dict)
            and ref.get("referenceType") == "purl"
            and isinstance(ref.get("referenceLocator"), str)
        ):
            return ref["referenceLocator"], f"{key}.externalRefs[{index}].referenceLocator"
    return None, key


def _spdx_urls(package: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    urls: list[tuple[str, str]] = []
    location = package.get("downloadLocation")
    if isinstance(location, str) and location not in _NO_VALUE and _is_git_location(location):
        urls.append(("downloadLocation", location))
    homepage = package.get("homepage")
    if isinstance(homepage, str) and homepage not in _NO_VALUE:
        urls.append(("homepage", homepage))
    return tuple(urls)


def _is_git_location(location: str) -> bool:
    """SPDX writes VCS locations as ``git+https://…``; a plain GitHub link counts as well."""
    lowered = location.lower()
    return (
        lowered.startswith(("git+", "git://", "git@"))
        or lowered.split("#")[0].endswith(".git")
        or github_repo(location) is not None
    )
