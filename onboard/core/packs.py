"""Loading guide packs: a folder with ``pack.toml`` and Markdown guides.

Pack files come from other people, so every problem becomes a :class:`PackError` that names the
file, the key and what was expected, and guide paths may never leave the pack's folder.
"""

from __future__ import annotations

import os
import stat
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from onboard.core.models import Lane, Project, RepoRef, SetupStep

PACK_FILE = "pack.toml"
MAX_PACK_BYTES = 1_000_000
SUPPORTED_FORMAT = 1
FORGES = ("github", "practice")


class PackError(Exception):
    """A pack cannot be used; ``str()`` is one line naming file, key and expectation."""


@dataclass(frozen=True)
class Guide:
    title: str
    path: Path

    def read(self) -> str:
        return self.path.read_text(encoding="utf-8", errors="replace")


@dataclass(frozen=True)
class Pack:
    name: str
    title: str
    description: str
    path: Path
    forge: str = "github"
    projects: tuple[Project, ...] = ()
    guides: tuple[Guide, ...] = ()


def builtin_packs_dir() -> Path:
    """``guides/`` of a source checkout, or the copy bundled into an installed wheel."""
    bundled = Path(str(resources.files("onboard"))) / "_builtin_guides"
    if bundled.is_dir():
        return bundled
    return Path(__file__).resolve().parents[2] / "guides"


def iter_pack_dirs(root: Path) -> Iterator[Path]:
    if root.is_dir():
        for child in sorted(root.iterdir()):
            if (child / PACK_FILE).is_file():
                yield child


def load_builtin_packs() -> list[Pack]:
    return [load_pack(folder) for folder in iter_pack_dirs(builtin_packs_dir())]


def load_pack(folder: Path) -> Pack:
    file = folder / PACK_FILE
    reader = _Reader(file)
    data = reader.load()
    fmt = reader.get(data, "format", int)
    if fmt != SUPPORTED_FORMAT:
        reader.fail("format", f"format version {SUPPORTED_FORMAT}, got {fmt}")
    forge = reader.get(data, "forge", str, default="github")
    if forge not in FORGES:
        reader.fail("forge", f"one of {', '.join(FORGES)}, got {forge!r}")
    projects = tuple(
        _project(reader, item, f"projects[{index}]")
        for index, item in enumerate(reader.get(data, "projects", list, default=[]))
    )
    guides = tuple(
        _guide(reader, folder, item, f"guides[{index}]")
        for index, item in enumerate(reader.get(data, "guides", list, default=[]))
    )
    return Pack(
        name=reader.get(data, "name", str),
        title=reader.get(data, "title", str),
        description=reader.get(data, "description", str, default=""),
        path=folder,
        forge=forge,
        projects=projects,
        guides=guides,
    )


def _project(reader: _Reader, item: Any, key: str) -> Project:
    table = reader.table(item, key)
    repo_text = reader.get(table, "repo", str, key)
    try:
        repo = RepoRef.parse(repo_text)
    except ValueError:
        reader.fail(f"{key}.repo", f"OWNER/REPO, got {repo_text!r}")
    lanes = []
    for lane_name in reader.strings(table, "lanes", key):
        try:
            lanes.append(Lane(lane_name))
        except ValueError:
            reader.fail(
                f"{key}.lanes",
                f"one of {', '.join(lane.value for lane in Lane)}, got {lane_name!r}",
            )
    setup = []
    for index, step in enumerate(reader.get(table, "setup", list, key, default=[])):
        step_key = f"{key}.setup[{index}]"
        step_table = reader.table(step, step_key)
        argv = reader.strings(step_table, "argv", step_key)
        if not argv:
            reader.fail(f"{step_key}.argv", "a non-empty list of strings (no shell strings)")
        setup.append(SetupStep(tuple(argv), reader.get(step_table, "description", str, step_key)))
    return Project(
        repo=repo,
        title=reader.get(table, "title", str, key, default=repo.name),
        summary=reader.get(table, "summary", str, key, default=""),
        languages=tuple(reader.strings(table, "languages", key)),
        topics=tuple(reader.strings(table, "topics", key)),
        lanes=tuple(lanes),
        chat_url=reader.get(table, "chat_url", str, key, default=None),
        contributing_url=reader.get(table, "contributing_url", str, key, default=None),
        setup=tuple(setup),
        test_command=tuple(reader.strings(table, "test_command", key)),
    )


def _guide(reader: _Reader, folder: Path, item: Any, key: str) -> Guide:
    table = reader.table(item, key)
    relative = reader.get(table, "file", str, key)
    root = folder.resolve()
    target = (folder / relative).resolve()
    if not target.is_relative_to(root):
        reader.fail(f"{key}.file", f"a path inside the pack folder, got {relative!r}")
    if not target.is_file():
        reader.fail(f"{key}.file", f"an existing Markdown file, but {relative!r} does not exist")
    return Guide(title=reader.get(table, "title", str, key), path=target)


class _Reader:
    """Typed access to a parsed TOML document that reports the exact key on failure."""

    def __init__(self, file: Path) -> None:
        self.file = file

    def load(self) -> dict[str, Any]:
        try:
            with self.file.open("rb") as handle:
                if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                    raise PackError(f"{self.file}: not a regular file; expected a TOML file")
                raw = handle.read(MAX_PACK_BYTES + 1)
        except OSError as error:
            raise PackError(f"{self.file}: cannot read: {error.strerror}") from error
        if len(raw) > MAX_PACK_BYTES:
            raise PackError(
                f"{self.file}: too large; expected a pack file under {MAX_PACK_BYTES} bytes"
            )
        try:
            return tomllib.loads(raw.decode("utf-8"))
        except UnicodeDecodeError as error:
            raise PackError(
                f"{self.file}: not UTF-8 text (byte {error.start}); expected a TOML file"
            ) from error
        except tomllib.TOMLDecodeError as error:
            raise PackError(f"{self.file}: invalid TOML: {error}") from error
        except RecursionError as error:
            raise PackError(
                f"{self.file}: nesting is too deep; expected a flat pack file"
            ) from error

    def fail(self, key: str, expected: str) -> Any:
        raise PackError(f"{self.file}: key '{key}': expected {expected}")

    def table(self, value: Any, key: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            self.fail(key, f"a table, got {type(value).__name__}")
        return value

    def get(
        self,
        table: dict[str, Any],
        name: str,
        kind: type,
        prefix: str = "",
        **options: Any,
    ) -> Any:
        key = f"{prefix}.{name}" if prefix else name
        if name not in table:
            if "default" in options:
                return options["default"]
            self.fail(key, f"a {kind.__name__} value, but it is missing")
        value = table[name]
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            self.fail(key, f"a {kind.__name__}, got {type(value).__name__}")
        return value

    def strings(self, table: dict[str, Any], name: str, prefix: str) -> list[str]:
        values = self.get(table, name, list, prefix, default=[])
        if not all(isinstance(value, str) for value in values):
            self.fail(f"{prefix}.{name}", "a list of strings")
        return values
