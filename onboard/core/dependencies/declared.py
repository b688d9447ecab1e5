"""The dependencies a local project declares, read from its manifests and SBOMs.

The open-source programme office question "which projects do we rely on, and where could we
help?" starts here: given a project folder (or one file), find ``pyproject.toml``,
``requirements*.txt``, ``package.json`` and CycloneDX/SPDX JSON SBOMs, and list every declared
dependency with the file and line that declared it. Only the project's top folder (and a
``requirements/`` folder) is read: vendored code and ``node_modules`` below it are not the
project's own declarations.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from onboard.core.dependencies.manifests.model import Dependency, Findings, read_manifest
from onboard.core.dependencies.manifests.npm import read_package_json
from onboard.core.dependencies.manifests.python import read_pyproject, read_requirements
from onboard.core.dependencies.manifests.sbom import (
    is_cyclonedx,
    is_spdx,
    read_cyclonedx,
    read_spdx,
)
from onboard.core.packs.validation import Problem

__all__ = ["Dependency", "DependencyError", "DependencyScan", "manifest_files", "read_dependencies"]

#: SBOM files are recognised by name in a folder (``bom.json``, ``app.cdx.json``,
#: ``sbom.spdx.json``); any JSON file given explicitly is checked by content instead.
_SBOM_NAME = re.compile(r"(?:^|[._-])(?:s?bom|cdx|cyclonedx|spdx)(?:[._-]|$)", re.IGNORECASE)
SUPPORTED = (
    "pyproject.toml, requirements*.txt, package.json, or a CycloneDX or SPDX JSON SBOM "
    "(bom.json, *.cdx.json, *.spdx.json)"
)


class DependencyError(Exception):
    """Nothing could be read at all; ``str()`` says why, for a newcomer."""


@dataclass(frozen=True)
class DependencyScan:
    """Every dependency found, with the problems met on the way (never silently dropped)."""

    root: Path
    dependencies: list[Dependency]
    problems: list[Problem]
    files: list[Path]
    truncated: bool = False


def manifest_files(folder: Path) -> list[Path]:
    """The manifests of the project in ``folder`` that onboard knows how to read."""
    found: list[Path] = []
    for name in ("pyproject.toml", "package.json"):
        if (folder / name).is_file():
            found.append(folder / name)
    found += sorted(p for p in folder.glob("requirements*.txt") if p.is_file())
    found += sorted(p for p in (folder / "requirements").glob("*.txt") if p.is_file())
    found += sorted(
        p
        for p in folder.glob("*.json")
        if p.is_file() and p.name != "package.json" and _SBOM_NAME.search(p.name)
    )
    return found


def read_dependencies(path: Path) -> DependencyScan:
    """Read the manifests at ``path`` (a project folder or one manifest file).

    Raises :class:`DependencyError` only when there is nothing to read; problems inside files
    come back in :attr:`DependencyScan.problems` next to everything that could be read.
    """
    if path.is_dir():
        root, files, explicit = path, manifest_files(path), False
        if not files:
            raise DependencyError(f"No manifest found in {path}. onboard reads {SUPPORTED}.")
    elif path.is_file():
        root, files, explicit = path.parent, [path], True
    elif path.exists():
        raise DependencyError(f"{path} is neither a folder nor a file.")
    else:
        raise DependencyError(f"{path} does not exist.")
    findings = Findings(root)
    seen: set[Path] = set()
    for file in files:
        _read_file(file, findings, seen, explicit=explicit)
    return DependencyScan(
        root=root,
        dependencies=findings.dependencies,
        problems=findings.problems,
        files=findings.files,
        truncated=findings.truncated,
    )


def _read_file(file: Path, findings: Findings, seen: set[Path], *, explicit: bool) -> None:
    name = file.name.lower()
    if name == "package.json":
        read_package_json(file, findings)
    elif name.endswith(".toml"):
        read_pyproject(file, findings)
    elif name.endswith((".txt", ".in")):
        read_requirements(file, findings, seen)
    elif name.endswith(".json"):
        _read_sbom(file, findings, explicit=explicit)
    else:
        findings.problem(file, f"not a manifest onboard can read; expected {SUPPORTED}")


def _read_sbom(file: Path, findings: Findings, *, explicit: bool) -> None:
    source = read_manifest(file, findings)
    if source is None:
        return
    try:
        data = json.loads(source)
    except json.JSONDecodeError as error:
        findings.problem(file, f"invalid JSON: {error.msg}", line=error.lineno)
        return
    except RecursionError:
        findings.problem(file, "nesting is too deep to be an SBOM")
        return
    if isinstance(data, dict) and data.keys() == {"sbom"}:  # GitHub's API wraps its export
        data = data["sbom"]
    if is_cyclonedx(data):
        read_cyclonedx(file, data, source, findings)
    elif is_spdx(data):
        read_spdx(file, data, source, findings)
    else:
        findings.files.remove(file)
        if explicit:
            findings.problem(
                file,
                'neither a CycloneDX SBOM (bomFormat: "CycloneDX") nor an SPDX one (spdxVersion)',
            )
