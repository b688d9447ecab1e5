"""Guide packs: loading them into domain objects, and finding built-in and installed ones.

Validation lives in :mod:`onboard.core.packs.validation`; a pack with any error is refused as a
whole (:class:`PackError`), so the app never works with half a pack.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import Any

from onboard.core.models import (
    Contact,
    Lane,
    LaneBinding,
    Link,
    Project,
    RepoRef,
    SetupStep,
)
from onboard.core.packs.validation import PACK_FILE, Problem, validate_pack
from onboard.core.storage import paths


class PackError(Exception):
    """A pack cannot be used. ``str()`` is the first problem, one line; all are in ``problems``."""

    def __init__(self, problems: list[Problem]) -> None:
        more = f" (and {len(problems) - 1} more problems)" if len(problems) > 1 else ""
        super().__init__(f"{problems[0]}{more}")
        self.problems = problems


@dataclass(frozen=True)
class Guide:
    id: str
    title: str
    path: Path
    barrier: str | None = None
    translations: dict[str, Path] = field(default_factory=dict)

    def read(self, language: str | None = None) -> str:
        path = self.translations.get(language or "", self.path)
        return path.read_text(encoding="utf-8", errors="replace")


@dataclass(frozen=True)
class Task:
    """A contribution without an issue, such as reviewing a pull request."""

    lane: Lane
    title: str
    description: str
    project: RepoRef | None = None
    link: str | None = None
    #: Where the task comes from, as rows and dialogs say it: a pack's own task, or something
    #: found live on the forge (an open pull request waiting for a review).
    source: str = "from the guide pack"


@dataclass(frozen=True)
class Pack:
    name: str
    title: str
    path: Path
    description: str = ""
    language: str = "en"
    license: str | None = None
    homepage: str | None = None
    forge: str = "github"
    maintainers: tuple[Contact, ...] = ()
    help: Link | None = None
    projects: tuple[Project, ...] = ()
    tasks: tuple[Task, ...] = ()
    guides: tuple[Guide, ...] = ()
    builtin: bool = False
    #: sha256 of pack.toml and every guide file it names: consent to run setup steps is bound
    #: to it, so any change to what the newcomer read asks them again.
    content_hash: str = ""

    def tasks_for(self, repo: RepoRef) -> list[Task]:
        return [task for task in self.tasks if task.project in (None, repo)]


def builtin_packs_dir() -> Path:
    """``guides/`` of a source checkout, or the copy bundled into an installed wheel."""
    bundled = Path(str(resources.files("onboard"))) / "_builtin_guides"
    if bundled.is_dir():
        return bundled
    return Path(__file__).resolve().parents[3] / "guides"


def installed_packs_dir() -> Path:
    return paths.data_dir() / "packs"


def iter_pack_dirs(root: Path) -> list[Path]:
    if not root.is_dir():
        return []
    return [child for child in sorted(root.iterdir()) if (child / PACK_FILE).is_file()]


def load_all_packs() -> tuple[list[Pack], list[PackError]]:
    """Built-in packs, then installed ones; a broken pack is reported, the others still load.

    A pack is known by its name everywhere (guide progress, sessions, ``find --pack``), so a
    second pack with a name already loaded (a folder copied by hand, say) is reported and
    skipped: the first one, built-in before installed, stays.
    """
    packs: list[Pack] = []
    errors: list[PackError] = []
    for root, builtin in ((builtin_packs_dir(), True), (installed_packs_dir(), False)):
        for folder in iter_pack_dirs(root):
            try:
                pack = load_pack(folder, builtin=builtin)
            except PackError as error:
                errors.append(error)
                continue
            first = next((known for known in packs if known.name == pack.name), None)
            if first is not None:
                errors.append(PackError([_name_taken(folder, pack, first)]))
                continue
            packs.append(pack)
    return packs, errors


def _name_taken(folder: Path, pack: Pack, first: Pack) -> Problem:
    kind = "built-in pack" if first.builtin else "pack in"
    where = "" if first.builtin else f" {first.path}"
    return Problem(
        folder / PACK_FILE,
        f"the {kind}{where} is already named {pack.name!r}, so this one was skipped; "
        "expected each pack to have its own name",
        key="name",
    )


def load_pack(folder: Path, *, builtin: bool = False) -> Pack:
    validation = validate_pack(folder)
    if not validation.valid or validation.data is None:
        raise PackError(validation.problems)
    pack = pack_from_data(folder, validation.data, builtin=builtin)
    return replace(pack, content_hash=pack_content_hash(folder, validation.data))


def pack_content_hash(folder: Path, data: dict[str, Any]) -> str:
    """sha256 over ``pack.toml`` and the guide files it names, each framed by name and length.

    The framing keeps two different packs from hashing alike by moving bytes between files.
    """
    names = [PACK_FILE]
    for guide in data.get("guides", []):
        names.append(guide.get("file", ""))
        names.extend(sorted(guide.get("translations", {}).values()))
    digest = hashlib.sha256()
    for name in names:
        try:
            content = (folder / name).read_bytes()
        except OSError:
            digest.update(f"{name}\0missing\0".encode())
            continue
        digest.update(f"{name}\0{len(content)}\0".encode())
        digest.update(content)
    return digest.hexdigest()


def pack_from_data(folder: Path, data: dict[str, Any], *, builtin: bool = False) -> Pack:
    """Build a :class:`Pack` from data that passed validation (no further checks here)."""
    help_table = data.get("help")
    return Pack(
        name=data["name"],
        title=data["title"],
        path=folder,
        description=data.get("description", ""),
        language=data.get("language", "en"),
        license=data.get("license"),
        homepage=data.get("homepage"),
        forge=data.get("forge", "github"),
        maintainers=tuple(_contact(m) for m in data.get("maintainers", [])),
        help=Link(help_table.get("description", "Ask for help"), help_table["url"])
        if help_table
        else None,
        projects=tuple(_project(p) for p in data.get("projects", [])),
        tasks=tuple(_task(t) for t in data.get("tasks", [])),
        guides=tuple(_guide(folder, g) for g in data.get("guides", [])),
        builtin=builtin,
    )


def _contact(table: dict[str, Any]) -> Contact:
    return Contact(table["name"], table.get("contact"))


def _project(table: dict[str, Any]) -> Project:
    repo = RepoRef.parse(table["repo"])
    return Project(
        repo=repo,
        title=table.get("title", repo.name),
        summary=table.get("summary", ""),
        languages=tuple(table.get("languages", ())),
        topics=tuple(table.get("topics", ())),
        contributing=table.get("contributing"),
        chat=tuple(Link(c["name"], c["url"]) for c in table.get("chat", ())),
        mentor=_contact(table["mentor"]) if "mentor" in table else None,
        beginner_labels=tuple(table.get("beginner_labels", ())),
        setup=tuple(
            SetupStep(tuple(step["argv"]), step["description"], tuple(step.get("os", ())))
            for step in table.get("setup", ())
        ),
        test_command=tuple(table.get("test_command", ())),
        lanes={
            Lane(name): LaneBinding(
                labels=tuple(binding.get("labels", ())),
                qualifiers=binding.get("qualifiers", ""),
                beginner_only=binding.get("beginner_only", True),
            )
            for name, binding in table.get("lanes", {}).items()
        },
    )


def _task(table: dict[str, Any]) -> Task:
    project = table.get("project")
    return Task(
        lane=Lane(table["lane"]),
        title=table["title"],
        description=table["description"],
        project=RepoRef.parse(project) if project else None,
        link=table.get("link"),
    )


def _guide(folder: Path, table: dict[str, Any]) -> Guide:
    return Guide(
        id=table["id"],
        title=table["title"],
        path=(folder / table["file"]).resolve(),
        barrier=table.get("barrier"),
        translations={
            tag: (folder / relative).resolve()
            for tag, relative in table.get("translations", {}).items()
        },
    )
