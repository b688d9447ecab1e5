"""The team file: who "our people" are, in which groups, and what knowledge they shared.

An OSPO measures its people by issues worked on, reviews and knowledge shared, not features.
The forge counts the first two from GitHub logins; the third (posts, talks, mailing-list
answers) lives elsewhere, so the file lists those links. The file is written by hand and may be
copied from anywhere, so every value is checked: a login must be a GitHub login (it goes into
search queries, where a space or a quote would change the question), a link must be http(s)
(a ``javascript:`` or ``file:`` link in a report is an attack, not knowledge).

    [[person]]
    login = "octocat"
    name = "Mona"                 # optional
    groups = ["platform"]         # optional
    shared = ["https://blog.example/post"]   # optional

    [groups]                      # optional: descriptions of the groups used above
    platform = "Platform team"
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

#: GitHub's login rule: 1-39 letters, digits or single hyphens, not starting or ending with one.
LOGIN = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}")
MAX_LINK = 2000
MAX_PEOPLE = 2000
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


class TeamError(ValueError):
    """The team file is unusable; the message names the file, the key and what was expected."""


@dataclass(frozen=True)
class Person:
    login: str
    name: str | None = None
    groups: tuple[str, ...] = ()
    shared: tuple[str, ...] = ()


@dataclass(frozen=True)
class Team:
    people: tuple[Person, ...]
    groups: dict[str, str]

    @property
    def logins(self) -> tuple[str, ...]:
        return tuple(person.login for person in self.people)


def load_team(path: Path) -> Team:
    """Read and validate ``path``; :class:`TeamError` when it cannot be used."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise TeamError(f"{path}: no such file; expected a team file (TOML)") from None
    except (OSError, UnicodeDecodeError) as error:
        raise TeamError(f"{path}: cannot be read ({error.__class__.__name__})") from None
    return parse_team(text, str(path))


def parse_team(text: str, source: str = "team.toml") -> Team:
    try:
        data = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, ValueError) as error:
        raise TeamError(f"{source}: not valid TOML ({error})") from None
    unknown = sorted(set(data) - {"person", "groups"})
    if unknown:
        raise TeamError(f"{source}: unknown key {unknown[0]!r}; expected 'person' or 'groups'")
    groups = _groups(data.get("groups", {}), source)
    raw_people = data.get("person", [])
    if not isinstance(raw_people, list) or not raw_people:
        raise TeamError(f"{source}: 'person' must be one or more [[person]] tables")
    if len(raw_people) > MAX_PEOPLE:
        raise TeamError(f"{source}: 'person' has {len(raw_people)} entries; at most {MAX_PEOPLE}")
    people: list[Person] = []
    seen: set[str] = set()
    for index, raw in enumerate(raw_people):
        where = f"{source}: person[{index}]"
        person = _person(raw, where)
        if person.login.casefold() in seen:
            raise TeamError(f"{where}.login: {person.login!r} is listed twice")
        seen.add(person.login.casefold())
        people.append(person)
    return Team(tuple(people), groups)


def _groups(raw: Any, source: str) -> dict[str, str]:
    if not isinstance(raw, dict):
        raise TeamError(f"{source}: 'groups' must be a table of name = \"description\"")
    groups: dict[str, str] = {}
    for name, description in raw.items():
        if not isinstance(description, str):
            raise TeamError(f"{source}: groups.{name} must be a string (its description)")
        groups[_plain(name, f"{source}: groups key")] = _plain(
            description, f"{source}: groups.{name}"
        )
    return groups


def _person(raw: Any, where: str) -> Person:
    if not isinstance(raw, dict):
        raise TeamError(f'{where}: expected a table with login = "..."')
    unknown = sorted(set(raw) - {"login", "name", "groups", "shared"})
    if unknown:
        raise TeamError(
            f"{where}: unknown key {unknown[0]!r}; expected login, name, groups or shared"
        )
    login = raw.get("login")
    if not isinstance(login, str) or not LOGIN.fullmatch(login):
        shown = repr(_CONTROL.sub("?", str(login)))[:60]
        raise TeamError(
            f"{where}.login: {shown} is not a GitHub login; expected 1-39 letters, digits or "
            "single hyphens, not starting or ending with a hyphen"
        )
    name = raw.get("name")
    if name is not None and not isinstance(name, str):
        raise TeamError(f"{where}.name: expected a string")
    groups = raw.get("groups", [])
    if not isinstance(groups, list) or not all(isinstance(g, str) for g in groups):
        raise TeamError(f"{where}.groups: expected a list of group names (strings)")
    shared = raw.get("shared", [])
    if not isinstance(shared, list) or not all(isinstance(s, str) for s in shared):
        raise TeamError(f"{where}.shared: expected a list of http(s) links (strings)")
    return Person(
        login=login,
        name=_plain(name, f"{where}.name") if name else None,
        groups=tuple(_plain(g, f"{where}.groups") for g in groups),
        shared=tuple(_link(link, f"{where}.shared[{i}]") for i, link in enumerate(shared)),
    )


def _plain(text: str, where: str) -> str:
    """One line of text without control characters (terminal escapes), at most 200 chars."""
    if _CONTROL.search(text):
        raise TeamError(f"{where}: contains control characters; expected plain text")
    if len(text) > 200:
        raise TeamError(f"{where}: longer than 200 characters")
    return text


def _link(link: str, where: str) -> str:
    if len(link) > MAX_LINK or _CONTROL.search(link) or " " in link:
        raise TeamError(f"{where}: expected one http(s) link without spaces or control characters")
    parts = urlsplit(link)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        raise TeamError(f"{where}: {link[:80]!r} is not an http(s) link; expected https://...")
    return link
