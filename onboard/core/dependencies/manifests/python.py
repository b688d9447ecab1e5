"""Python dependencies: ``pyproject.toml`` (PEP 621, PEP 735, Poetry) and requirements files.

Requirement strings are parsed by ``packaging``, PyPA's reference implementation of PEP 508, so
extras, markers and direct URLs mean here exactly what they mean to pip; names are compared in
their PEP 503 canonical form (``Flask_Login`` is ``flask-login``).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

from onboard.core.dependencies.manifests.model import Dependency, Findings, find_line, read_manifest
from onboard.core.dependencies.source_repo import github_repo
from onboard.core.packs.validation import format_key
from onboard.core.schemas.problems import too_many_digits
from onboard.core.schemas.toml_lines import KeyPath, key_lines, line_of

#: Extras and groups with these words hold tools for developing the project, not running it.
_DEV_WORDS = re.compile(
    r"dev|test|lint|doc|typ|mypy|style|format|check|coverage|bench|ci\b|qa\b|pre-commit",
    re.IGNORECASE,
)
_TOML_LINE = re.compile(r"\(at line (\d+), column \d+\)")
_EGG = re.compile(r"[#&]egg=([A-Za-z0-9][A-Za-z0-9._-]*)")
_PER_REQUIREMENT_OPTION = re.compile(r"\s--?[A-Za-z][\w-]*(?:[= ]\S+)?")
_INCLUDE = re.compile(r"^(?:-r|--requirement)(?:\s*=\s*|\s+|(?=\S))(?P<target>.+)$")
_EDITABLE = re.compile(r"^(?:-e|--editable)(?:\s*=\s*|\s+)(?P<target>.+)$")
#: ``-r`` chains deeper than this are certainly a mistake (or a trap).
MAX_INCLUDE_DEPTH = 16


def is_dev_group(name: str) -> bool:
    return bool(_DEV_WORDS.search(name))


def requirement_spec(requirement: Requirement) -> str:
    """What was asked beyond the name: ``[socks]>=2.31; python_version < "3.12"``."""
    extras = f"[{','.join(sorted(requirement.extras))}]" if requirement.extras else ""
    version = f"@ {requirement.url}" if requirement.url else str(requirement.specifier)
    marker = f"; {requirement.marker}" if requirement.marker else ""
    return f"{extras}{version}{marker}".strip()


def _first_line(error: Exception) -> str:
    return str(error).splitlines()[0] if str(error) else type(error).__name__


# -- pyproject.toml ------------------------------------------------------------------------------


def read_pyproject(path: Path, findings: Findings) -> None:
    """``[project]`` dependencies and extras, ``[dependency-groups]``, Poetry's tables."""
    source = read_manifest(path, findings)
    if source is None:
        return
    try:
        data = tomllib.loads(source)
    except tomllib.TOMLDecodeError as error:
        match = _TOML_LINE.search(str(error))
        message = _TOML_LINE.sub("", str(error)).strip()
        line = int(match.group(1)) if match else None
        findings.problem(path, f"invalid TOML: {message}", line=line)
        return
    except RecursionError:
        findings.problem(path, "nesting is too deep to be a pyproject.toml")
        return
    except ValueError as error:  # not a TOMLDecodeError: a number with too many digits
        message, line = too_many_digits(source, error)
        findings.problem(path, f"invalid TOML: {message}", line=line)
        return
    reader = _PyprojectReader(path, findings, source, data)
    reader.read()


class _PyprojectReader:
    def __init__(self, path: Path, findings: Findings, source: str, data: dict[str, Any]) -> None:
        self.path = path
        self.findings = findings
        self.lines = source.splitlines()
        self.keys = key_lines(source)
        self.data = data
        project = data.get("project")
        name = project.get("name") if isinstance(project, dict) else None
        poetry = _table(_table(data.get("tool")).get("poetry"))
        name = name if isinstance(name, str) else poetry.get("name")
        self.own_name = canonicalize_name(name) if isinstance(name, str) else None

    def read(self) -> None:
        project = self.data.get("project")
        if project is not None and not isinstance(project, dict):
            self._problem(("project",), "expected a table")
            project = None
        project = project or {}
        self._strings(("project", "dependencies"), project.get("dependencies"), dev=False)
        dynamic = project.get("dynamic")
        if isinstance(dynamic, list) and "dependencies" in dynamic:
            self._problem(
                ("project", "dynamic"),
                "dependencies are computed by the build backend; only declared ones are read",
                severity="note",
            )
        for group, items in self._groups(("project", "optional-dependencies")):
            self._strings(("project", "optional-dependencies", group), items, is_dev_group(group))
        for group, items in self._groups(("dependency-groups",)):
            self._strings(("dependency-groups", group), items, dev=True)
        poetry = _table(_table(self.data.get("tool")).get("poetry"))
        self._poetry(("tool", "poetry", "dependencies"), poetry.get("dependencies"), dev=False)
        self._poetry(("tool", "poetry", "dev-dependencies"), poetry.get("dev-dependencies"), True)
        for group, table in _table(poetry.get("group")).items():
            deps = _table(table).get("dependencies")
            self._poetry(("tool", "poetry", "group", group, "dependencies"), deps, dev=True)

    def _groups(self, path: KeyPath) -> Iterator[tuple[str, Any]]:
        value: Any = self.data
        for part in path:
            value = value.get(part) if isinstance(value, dict) else None
        if value is None:
            return
        if not isinstance(value, dict):
            self._problem(path, "expected a table of lists of requirements")
            return
        yield from value.items()

    def _strings(self, path: KeyPath, items: Any, dev: bool) -> None:
        if items is None:
            return
        if not isinstance(items, list):
            self._problem(path, "expected a list of requirement strings")
            return
        start = line_of(self.keys, path)
        for index, item in enumerate(items):
            if isinstance(item, dict) and "include-group" in item:
                continue  # PEP 735: the included group is read on its own
            if not isinstance(item, str):
                line = find_line(self.lines, str(item), start) if _scalar(item) else None
                self._problem((*path, index), "expected a requirement string", line=line)
                continue
            line = find_line(self.lines, item, start)
            try:
                requirement = Requirement(item)
            except InvalidRequirement as error:
                self._problem(
                    (*path, index), f"not a valid requirement: {_first_line(error)}", line=line
                )
                continue
            name = canonicalize_name(requirement.name)
            if name == self.own_name:
                continue  # "myproject[test]" in an extra refers to the project itself
            urls = (("url", requirement.url),) if requirement.url else ()
            spec = requirement_spec(requirement)
            self._add(name, spec, line, dev, urls)

    def _poetry(self, path: KeyPath, table: Any, dev: bool) -> None:
        if table is None:
            return
        if not isinstance(table, dict):
            self._problem(path, "expected a table of dependencies")
            return
        for raw_name, value in table.items():
            if raw_name.casefold() == "python":
                continue
            line = line_of(self.keys, (*path, raw_name))
            try:
                name = str(Requirement(raw_name).name)
            except InvalidRequirement:
                self._problem((*path, raw_name), "not a valid package name", line=line)
                continue
            choices = value if isinstance(value, list) else [value]
            specs: list[str] = []
            urls: list[tuple[str, str]] = []
            local = False
            for choice in choices:
                if isinstance(choice, str):
                    specs.append(choice)
                elif isinstance(choice, dict):
                    if "path" in choice:
                        local = True
                    for key in ("git", "url"):
                        if isinstance(choice.get(key), str):
                            urls.append((key, choice[key]))
                            specs.append(f"{key} {choice[key]}")
                    if isinstance(choice.get("version"), str):
                        specs.append(choice["version"])
                else:
                    self._problem(
                        (*path, raw_name), "expected a version string or a table", line=line
                    )
                    break
            else:
                if local and not urls:
                    continue  # a folder next to the project, not a project to contribute to
                canonical = canonicalize_name(name)
                if canonical != self.own_name:
                    self._add(canonical, " | ".join(specs), line, dev, tuple(urls))

    def _add(
        self, name: str, spec: str, line: int | None, dev: bool, urls: tuple[tuple[str, str], ...]
    ) -> None:
        self.findings.add(
            Dependency(
                name=name,
                ecosystem="pypi",
                spec=spec,
                source_file=self.findings.display(self.path),
                line=line,
                dev=dev,
                urls=urls,
            )
        )

    def _problem(
        self, path: KeyPath, message: str, *, line: int | None = None, severity: str = "error"
    ) -> None:
        self.findings.problem(
            self.path,
            message,
            key=format_key(path),
            line=line or line_of(self.keys, path),
            severity=severity,
        )


def _scalar(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _table(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


# -- requirements files ----------------------------------------------------------------------


def read_requirements(path: Path, findings: Findings, seen: set[Path]) -> None:
    """A pip requirements file and the files it includes with ``-r``.

    ``seen`` holds every file already read in this scan (resolved), so an include cycle or a
    file both listed and included is read once.
    """
    _read_requirements(path, findings, seen, depth=0)


def _read_requirements(path: Path, findings: Findings, seen: set[Path], depth: int) -> None:
    resolved = path.resolve()
    if resolved in seen:
        return
    seen.add(resolved)
    source = read_manifest(path, findings)
    if source is None:
        return
    # requirements-dev.txt, requirements/test.txt, dev/requirements.txt: only names inside the
    # project count (the folder the project sits in may well be called "tests").
    dev = any(is_dev_group(part) for part in Path(findings.display(path)).with_suffix("").parts)
    for number, line in _logical_lines(source):
        include = _INCLUDE.match(line)
        if include:
            _include(path, include.group("target").strip(), number, findings, seen, depth)
            continue
        editable = _EDITABLE.match(line)
        if editable:
            _url_requirement(path, editable.group("target").strip(), number, findings, dev)
            continue
        if line.startswith("-"):
            continue  # --index-url, -c constraints.txt, --pre, --hash…: how to install, not what
        line = _PER_REQUIREMENT_OPTION.sub("", f" {line}").strip()  # "pkg==1 --hash=sha256:…"
        if "://" in line.split("@", 1)[0] or line.startswith(("git+", "./", "../", "/", ".")):
            _url_requirement(path, line, number, findings, dev)
            continue
        try:
            requirement = Requirement(line)
        except InvalidRequirement as error:
            findings.problem(path, f"not a valid requirement: {_first_line(error)}", line=number)
            continue
        urls = (("url", requirement.url),) if requirement.url else ()
        findings.add(
            Dependency(
                name=canonicalize_name(requirement.name),
                ecosystem="pypi",
                spec=requirement_spec(requirement),
                source_file=findings.display(path),
                line=number,
                dev=dev,
                urls=urls,
            )
        )


def _logical_lines(source: str) -> Iterator[tuple[int, str]]:
    """Lines without comments, joined where they end in a backslash, with their first number."""
    pending = ""
    first = 0
    for number, raw in enumerate(source.splitlines(), start=1):
        text = re.sub(r"(^|\s)#.*$", "", raw)  # "#egg=" has no space before it and survives
        if not pending:
            first = number
        if text.endswith("\\"):
            pending += text[:-1] + " "
            continue
        line = (pending + text).strip()
        pending = ""
        if line:
            yield first, line
    if pending.strip():
        yield first, pending.strip()


def _include(
    path: Path, target: str, number: int, findings: Findings, seen: set[Path], depth: int
) -> None:
    if "://" in target:
        findings.problem(
            path, f"includes {target!r} from the network; not fetched", line=number, severity="note"
        )
        return
    included = path.parent / target
    root = findings.root.resolve()
    if Path(target).is_absolute() or not included.resolve().is_relative_to(root):
        findings.problem(
            path,
            f"-r {target!r} leads outside the project folder; expected a file inside it",
            line=number,
        )
        return
    if depth >= MAX_INCLUDE_DEPTH:
        findings.problem(
            path, f"-r {target!r} is nested more than {MAX_INCLUDE_DEPTH} files deep", line=number
        )
        return
    if not included.is_file():
        findings.problem(path, f"-r {target!r} does not exist", line=number)
        return
    _read_requirements(included, findings, seen, depth + 1)


def _url_requirement(path: Path, target: str, number: int, findings: Findings, dev: bool) -> None:
    """``-e git+https://…#egg=name``, a bare URL, or a local folder (which is skipped)."""
    target = _PER_REQUIREMENT_OPTION.sub("", f" {target}").strip()
    if "://" not in target and not target.startswith("git+"):
        return  # "-e ." or "./libs/x": the project's own code, not a project to contribute to
    egg = _EGG.search(target)
    if egg:
        name, ecosystem = str(canonicalize_name(egg.group(1))), "pypi"
    else:
        repo = github_repo(target.split("#", 1)[0])
        if repo is None:
            findings.problem(
                path,
                "a URL without a package name (#egg=NAME); skipped",
                line=number,
                severity="note",
            )
            return
        name, ecosystem = repo.full_name, "github"
    findings.add(
        Dependency(name, ecosystem, target, findings.display(path), number, dev, (("url", target),))
    )
