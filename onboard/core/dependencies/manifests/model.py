"""What every manifest reader shares: the dependency record, the findings, a bounded reader.

Manifests come from anywhere (a cloned project, an SBOM a vendor sent), so they are read the
way pack files are: a regular file, bounded in size, UTF-8, not binary; and every problem is a
:class:`Problem` naming the file and the line or key, never an exception.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from onboard.core.packs.validation import Problem

#: SBOMs of large applications reach a few megabytes; anything far beyond is not a manifest.
MAX_MANIFEST_BYTES = 32_000_000
#: Dependencies read from one project at most; beyond that the list is no longer a to-do list.
MAX_DEPENDENCIES = 10_000


@dataclass(frozen=True)
class Dependency:
    """One declared dependency, and where it was declared.

    ``ecosystem`` is a purl type (``pypi``, ``npm``, ``github``, ``cargo``, ``golang``…); ``name``
    is canonical for it (PEP 503 for PyPI, ``@scope/name`` for npm, ``owner/repo`` for GitHub).
    ``urls`` are labelled links the manifest itself gives (an SBOM's ``vcs`` reference, a
    requirement's git URL): evidence that needs no registry.
    """

    name: str
    ecosystem: str
    spec: str
    source_file: str
    line: int | None
    dev: bool
    urls: tuple[tuple[str, str], ...] = field(default=(), compare=False)

    @property
    def key(self) -> tuple[str, str]:
        """Identity across manifests: the same package declared twice is one dependency."""
        return (self.ecosystem, self.name.casefold())


@dataclass
class Findings:
    """What the readers of one project found, in reading order."""

    root: Path
    dependencies: list[Dependency] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)
    truncated: bool = False

    def display(self, path: Path) -> str:
        """``path`` relative to the project folder, as people name their files."""
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return str(path)

    def add(self, dependency: Dependency) -> None:
        if len(self.dependencies) >= MAX_DEPENDENCIES:
            self.truncated = True
            return
        self.dependencies.append(dependency)

    def problem(
        self,
        path: Path,
        message: str,
        *,
        key: str = "",
        line: int | None = None,
        severity: str = "error",
    ) -> None:
        self.problems.append(Problem(Path(self.display(path)), message, key, line, severity))


def read_manifest(path: Path, findings: Findings) -> str | None:
    """The text of ``path``, or None after recording why it cannot be used."""
    try:
        with path.open("rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                findings.problem(path, "not a regular file; expected a text file")
                return None
            raw = handle.read(MAX_MANIFEST_BYTES + 1)
    except FileNotFoundError:
        findings.problem(path, "does not exist")
        return None
    except OSError as error:
        findings.problem(path, f"cannot be read: {error.strerror or error}")
        return None
    if len(raw) > MAX_MANIFEST_BYTES:
        findings.problem(path, f"too large; expected at most {MAX_MANIFEST_BYTES:,} bytes")
        return None
    if b"\x00" in raw:
        findings.problem(path, "looks like a binary file; expected UTF-8 text")
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        findings.problem(
            path, f"invalid UTF-8 at byte {error.start}; expected UTF-8 text", line=line
        )
        return None
    findings.files.append(path)
    return text.removeprefix("\ufeff")  # editors on Windows like to start files with a BOM


def find_line(lines: list[str], needle: str, start: int | None, *, window: int = 500) -> int | None:
    """The first line at or after ``start`` (1-based) containing ``needle``, for positions.

    TOML and JSON parsers return no positions, but list items and keys are written on their own
    lines in practice, so searching forward from the enclosing key finds them.
    """
    if start is None:
        return None
    first = max(start - 1, 0)
    for index in range(first, min(first + window, len(lines))):
        if needle in lines[index]:
            return index + 1
    return start
