"""A workshop room's learners: who they are, where their profile lives, what their app sees.

``onboard serve`` gives every learner a profile folder of their own under the room's folder
(progress, workspace, reports, tokens), found again from a random secret their browser keeps.
This module is the pure part of that: checking a display name and a room code, naming a
profile from its secret (a hash, so the folder name is no use to anyone who lists it), and the
environment a learner's app runs with, so that nothing of the server's account (its GitHub
token, its keyring, its git credentials) nor another learner's reaches it.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from onboard.core.text.sanitize import clean

MAX_NAME = 60
#: GitHub logins: letters, digits and single hyphens, at most 39 characters.
MAX_LOGIN = 39
#: The environment variables a learner's app must never inherit from the server's account:
#: its tokens, and its SSH agent (which would push with the account's keys).
SERVER_SECRETS = (
    "GH_TOKEN",
    "GITHUB_TOKEN",
    "GH_ENTERPRISE_TOKEN",
    "GITHUB_ENTERPRISE_TOKEN",
    "SSH_AUTH_SOCK",
)
#: Where a learner's app writes its live report for the mentor (see :mod:`onboard.flows.room`).
REPORT_ENV = "ONBOARD_ROOM_REPORT"
#: The file holding a learner's own practice-forge token (see :mod:`onboard.forge.connect`).
PRACTICE_TOKEN_ENV = "ONBOARD_PRACTICE_TOKEN_FILE"  # noqa: S105 - a variable's name
#: The learners' folder inside a room's folder: what ``onboard session dashboard`` reads.
LEARNERS = "learners"


class RoomInputError(ValueError):
    """A learner's form could not be accepted; the message says what to change."""


def display_name(raw: object) -> str:
    """The learner's name as typed, cleaned of control characters; untrusted, never markup."""
    if not isinstance(raw, str):
        raise RoomInputError("name: expected your name as text")
    name = " ".join(clean(raw, one_line=True).split())
    if not name:
        raise RoomInputError("name: type the name your mentor will see (it cannot be empty)")
    if len(name) > MAX_NAME:
        raise RoomInputError(f"name: at most {MAX_NAME} characters, not {len(name)}")
    return name


def code_matches(expected: str | None, given: object) -> bool:
    """Whether ``given`` is the room code (always true in a room without one)."""
    if expected is None:
        return True
    if not isinstance(given, str):
        return False
    return hmac.compare_digest(expected.strip().encode(), given.strip().encode())


def new_secret() -> str:
    """A learner's secret: 256 random bits, kept by their browser (a cookie), never a token."""
    return secrets.token_urlsafe(32)


def profile_id(secret: str) -> str:
    """The profile folder's name for ``secret``: a hash, so listing the folders reveals none."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()[:32]


def looks_like_secret(value: object) -> bool:
    return isinstance(value, str) and bool(re.fullmatch(r"[A-Za-z0-9_-]{32,64}", value))


def practice_login(name: str, suffix: str) -> str:
    """A practice-forge login from a display name: ``ada-lovelace-3f2a`` (GitHub's rules)."""
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "learner"
    room = MAX_LOGIN - len(suffix) - 1
    return f"{slug[:room].strip('-')}-{suffix}"


@dataclass(frozen=True)
class Profile:
    """Where one learner's things live. The folder and the report are siblings because the
    mentor dashboard reads every ``*.json`` directly in the learners' folder."""

    learners: Path
    id: str

    @property
    def folder(self) -> Path:
        return self.learners / self.id

    @property
    def record(self) -> Path:
        """Name, practice login, creation time (no secret: the folder name is its hash)."""
        return self.folder / "profile.json"

    @property
    def report(self) -> Path:
        return self.learners / f"{self.id}.json"

    @property
    def practice_token(self) -> Path:
        return self.folder / "practice-token"

    @property
    def workspace(self) -> Path:
        return self.folder / "workspace"

    @property
    def gitconfig(self) -> Path:
        return self.folder / "gitconfig"


def learner_environment(
    base: Mapping[str, str], profile: Profile, *, practice: bool
) -> dict[str, str]:
    """The environment of ``profile``'s app: every onboard, git, gh and keyring folder is the
    learner's own, and none of the server account's tokens is passed on."""
    env = {key: value for key, value in base.items() if key not in SERVER_SECRETS}
    folder = profile.folder
    env.update(
        {
            "XDG_DATA_HOME": str(folder / "data"),
            "XDG_CONFIG_HOME": str(folder / "config"),
            "XDG_CACHE_HOME": str(folder / "cache"),
            "XDG_STATE_HOME": str(folder / "state"),
            "GH_CONFIG_DIR": str(folder / "config" / "gh"),
            "ONBOARD_WORKSPACE": str(profile.workspace),
            # The server account's git credential helpers must not push for a learner.
            "GIT_CONFIG_GLOBAL": str(profile.gitconfig),
            "GIT_CONFIG_NOSYSTEM": "1",
            # A token the learner signs in with goes to their profile's 0600 file, not to
            # the keyring every learner of this account would share.
            "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring",
            REPORT_ENV: str(profile.report),
        }
    )
    if practice:
        env[PRACTICE_TOKEN_ENV] = str(profile.practice_token)
    else:
        env.pop(PRACTICE_TOKEN_ENV, None)
    return env
