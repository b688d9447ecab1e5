"""JavaScript dependencies from ``package.json``.

A version in package.json may also be a place: ``github:o/r``, plain ``o/r``, a git URL (then the
source is known without asking the registry) or a local ``file:``/``workspace:`` folder (part of
the project itself, so skipped); ``npm:name@range`` installs another package under an alias.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from onboard.core.dependencies.manifests.model import Dependency, Findings, find_line, read_manifest

#: Section of package.json → whether it holds development tools.
SECTIONS = {
    "dependencies": False,
    "devDependencies": True,
    "peerDependencies": False,
    "optionalDependencies": False,
}
_NAME = re.compile(r"^(?:@[a-z0-9~-][a-z0-9._~-]*/)?[a-z0-9~-][a-z0-9._~-]*$", re.IGNORECASE)
_LOCAL = ("file:", "link:", "workspace:", "portal:", "./", "../", "/", "~/")
_LOCATION = re.compile(r"^(?:github:|gitlab:|bitbucket:|git\+|git:|https?:|ssh:|[\w.-]+/[\w.-]+)")


def read_package_json(path: Path, findings: Findings) -> None:
    source = read_manifest(path, findings)
    if source is None:
        return
    try:
        data = json.loads(source)
    except json.JSONDecodeError as error:
        findings.problem(path, f"invalid JSON: {error.msg}", line=error.lineno)
        return
    except RecursionError:
        findings.problem(path, "nesting is too deep to be a package.json")
        return
    if not isinstance(data, dict):
        findings.problem(path, "expected a JSON object with dependency sections")
        return
    own = data.get("name")
    lines = source.splitlines()
    for section, dev in SECTIONS.items():
        table = data.get(section)
        if table is None:
            continue
        start = find_line(lines, f'"{section}"', 1)
        if not isinstance(table, dict):
            findings.problem(path, "expected an object of name: version", key=section, line=start)
            continue
        for name, value in table.items():
            line = find_line(lines, json.dumps(name), start)
            dependency = _dependency(name, value, section, dev, path, findings, line)
            if dependency is not None and dependency.name != own:
                findings.add(dependency)


def _dependency(
    name: str,
    value: Any,
    section: str,
    dev: bool,
    path: Path,
    findings: Findings,
    line: int | None,
) -> Dependency | None:
    key = f"{section}.{name}"
    if not _NAME.fullmatch(name) or len(name) > 214:  # npm's own length limit
        findings.problem(path, "not a valid npm package name", key=key, line=line)
        return None
    if not isinstance(value, str):
        findings.problem(path, "expected a version string", key=key, line=line)
        return None
    spec = value.strip()
    if spec.startswith(_LOCAL):
        return None  # a folder of this project (or its workspace), not a project to contribute to
    if spec.startswith("npm:"):  # "npm:real-name@^1" installs real-name under another name
        alias = spec.removeprefix("npm:")
        at = alias.rfind("@")
        real = alias[:at] if at > 0 else alias
        if _NAME.fullmatch(real):
            name = real
    urls = (("spec", spec),) if _LOCATION.match(spec) and not spec[:1].isdigit() else ()
    return Dependency(name, "npm", spec, findings.display(path), line, dev, urls)
