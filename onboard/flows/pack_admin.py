"""Curator and user actions on packs: scaffold, install, remove, and check against the forge."""

from __future__ import annotations

import difflib
import re
import shutil
import tempfile
import tomllib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import tomli_w

from onboard.core.models import RepoRef
from onboard.core.packs.catalog import listed_projects
from onboard.core.packs.loading import (
    Pack,
    PackError,
    builtin_packs_dir,
    installed_packs_dir,
    iter_pack_dirs,
    load_all_packs,
    load_pack,
)
from onboard.core.packs.validation import PACK_FILE, Problem, format_key, validate_pack
from onboard.core.storage.fsutil import atomic_write_text
from onboard.flows.pack_source import PackSourceError, check_pack_url, clone_pack
from onboard.forge.base import Forge, ForgeError, ForgeNotFound

NAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{1,39}$")


class PackAdminError(Exception):
    """A pack action could not be done; the message says why and what to do."""


def scaffold(folder: Path, name: str) -> Path:
    """Write a small, valid pack into ``folder`` (which must not exist or be empty)."""
    if not NAME_PATTERN.match(name):
        raise PackAdminError(
            f"{name!r} is not a pack name; expected lowercase letters, digits and '-', "
            "2 to 40 characters"
        )
    if folder.exists() and any(folder.iterdir()):
        raise PackAdminError(f"{folder} already exists and is not empty; choose another folder")
    data: dict[str, Any] = {
        "format": 1,
        "name": name,
        "title": name.replace("-", " ").capitalize(),
        "description": "Projects our team cares about, and how newcomers can help them.",
        "language": "en",
        "license": "CC-BY-4.0",
        "maintainers": [{"name": "Your name", "contact": "mailto:you@example.org"}],
        "projects": [
            {
                "repo": "octocat/Hello-World",
                "title": "Hello World",
                "summary": "Replace this with a project your team cares about.",
                "languages": ["Markdown"],
                "beginner_labels": ["good first issue"],
                "lanes": {"doc": {"labels": ["documentation"]}},
            }
        ],
        "tasks": [
            {
                "lane": "review",
                "title": "Review an open pull request",
                "description": "Read a pull request, try it, and leave one kind, specific comment.",
            }
        ],
        "guides": [
            {
                "id": "welcome",
                "title": "Welcome",
                "file": "welcome.md",
                "barrier": "social-interaction",
            }
        ],
    }
    header = (
        "# An onboard guide pack. Every key is documented in guides/FORMAT.md of onboard.\n"
        "# Check it with: onboard pack validate .\n\n"
    )
    atomic_write_text(folder / PACK_FILE, header + tomli_w.dumps(data))
    atomic_write_text(
        folder / "welcome.md",
        "# Welcome\n\nSay who you are, which projects you care about, and where newcomers can "
        "ask for help.\n",
    )
    return folder


def install(source: str, *, force: bool = False) -> Pack:
    """Install a pack from a folder or an ``https://`` git URL into the user's data folder.

    Only ``pack.toml`` and the guide files it names are copied, so nothing else that happens to
    sit in the source folder (or a link out of it) comes along. A git URL is fetched by
    :mod:`onboard.flows.pack_source`, which trusts neither the repository nor the user's git
    configuration.
    """
    folder = Path(source).expanduser()
    if folder.is_dir():
        return _install_folder(folder, force=force)
    if not _looks_like_git_url(source):
        raise PackAdminError(f"{source} is neither a folder nor a git URL")
    try:
        check_pack_url(source)
        with tempfile.TemporaryDirectory(prefix="onboard-pack-") as scratch:
            checkout = Path(scratch) / "pack"
            clone_pack(source, checkout)
            return _install_folder(checkout, force=force)
    except PackSourceError as error:
        raise PackAdminError(str(error)) from error


def _install_folder(folder: Path, *, force: bool) -> Pack:
    try:
        pack = load_pack(folder)
    except PackError as error:
        lines = "\n".join(str(problem) for problem in error.problems)
        raise PackAdminError(f"the pack is not valid, nothing was installed:\n{lines}") from error
    if pack.name in _builtin_names():
        raise PackAdminError(f"{pack.name!r} is the name of a built-in pack; rename your pack")
    target = installed_packs_dir() / pack.name
    if target.exists() and not force:
        raise PackAdminError(
            f"a pack named {pack.name!r} is already installed; use --force to replace it"
        )
    files = [PACK_FILE]
    for guide in pack.guides:
        for path in (guide.path, *guide.translations.values()):
            files.append(str(path.relative_to(folder.resolve())))
    staging = Path(tempfile.mkdtemp(prefix=f".{pack.name}.", dir=_ensure(installed_packs_dir())))
    try:
        for relative in files:
            destination = staging / relative
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(folder / relative, destination)
        if target.exists():
            shutil.rmtree(target)
        staging.rename(target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return load_pack(target)


def shadowed_projects(pack: Pack) -> list[str]:
    """Projects of ``pack`` that an earlier pack lists too, whose entry the app shows instead.

    Said once at install time, so the curator knows before a newcomer does; the rule is in
    :mod:`onboard.core.packs.catalog` and ``guides/FORMAT.md``.
    """
    packs, _errors = load_all_packs()
    notes = []
    for listing in listed_projects([p for p in packs if p.forge == pack.forge]):
        if listing.pack.name != pack.name and pack.name in {p.name for p in listing.also_in}:
            kind = "built-in pack" if listing.pack.builtin else "pack"
            notes.append(
                f"{listing.project.repo} is also in the {kind} {listing.pack.name!r}, which "
                "loads first: its entry is the one shown (yours is named on its card)"
            )
    return notes


def remove(name: str) -> Path:
    target = installed_packs_dir() / name
    if (target / PACK_FILE).is_file():
        shutil.rmtree(target)
        return target
    if name in _builtin_names():
        raise PackAdminError(f"{name!r} is built into onboard and cannot be removed")
    installed = [folder.name for folder in iter_pack_dirs(installed_packs_dir())]
    close = difflib.get_close_matches(name, installed, n=1)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    raise PackAdminError(f"no installed pack is named {name!r}{hint}")


def check_online(pack_folder: Path, forge: Forge) -> list[Problem]:
    """What GitHub says about the pack's repositories and labels (Up For Grabs' checks)."""
    validation = validate_pack(pack_folder)
    if not validation.valid or validation.data is None:
        return validation.problems
    file = pack_folder / PACK_FILE
    problems: list[Problem] = []
    for index, project in enumerate(validation.data.get("projects", [])):
        repo = RepoRef.parse(project["repo"])
        key = format_key(("projects", index, "repo"))
        try:
            info = forge.repo(repo)
            if info.archived:
                problems.append(
                    Problem(file, f"{repo} is archived; expected an active project", key)
                )
            if not info.has_issues:
                problems.append(Problem(file, f"{repo} has issues turned off", key))
            existing = [label.name for label in forge.labels(repo)]
        except ForgeNotFound:
            problems.append(Problem(file, f"{repo} does not exist (or is private)", key))
            continue
        except ForgeError as error:
            problems.append(Problem(file, f"could not check {repo}: {error}", key))
            continue
        for path, label in _named_labels(index, project):
            if label not in existing:
                problems.append(
                    Problem(file, _missing_label(repo, label, existing), format_key(path))
                )
    return problems


def _named_labels(index: int, project: dict[str, Any]) -> Iterable[tuple[tuple[Any, ...], str]]:
    for position, label in enumerate(project.get("beginner_labels", [])):
        yield ("projects", index, "beginner_labels", position), label
    for lane, binding in project.get("lanes", {}).items():
        for position, label in enumerate(binding.get("labels", [])):
            yield ("projects", index, "lanes", lane, "labels", position), label


def _missing_label(repo: RepoRef, label: str, existing: list[str]) -> str:
    same_case = [name for name in existing if name.casefold() == label.casefold()]
    close = same_case or difflib.get_close_matches(label, existing, n=1, cutoff=0.7)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    return f"label {label!r} does not exist in {repo}{hint}"


def _builtin_names() -> set[str]:
    """Names of the built-in packs, read directly so that this never depends on their validity."""
    names = set()
    for folder in iter_pack_dirs(builtin_packs_dir()):
        names.add(folder.name)
        try:
            name = tomllib.loads((folder / PACK_FILE).read_text(encoding="utf-8")).get("name")
        except (OSError, ValueError):  # undecodable, invalid TOML or a number too long
            continue
        if isinstance(name, str):
            names.add(name)
    return names


def _looks_like_git_url(text: str) -> bool:
    """A URL of any kind (refused later unless https://), or git's ``user@host:path``."""
    return bool(re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", text)) or bool(
        re.match(r"^[\w.-]+@[\w.-]+:", text)
    )


def _ensure(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return folder
