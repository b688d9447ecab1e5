"""A workshop room on disk: learners' profiles (server side) and their live reports (app side).

The server (``onboard serve``) calls :meth:`Room.join` when a browser sends the join form and
:meth:`Room.find` when a browser comes back with its secret; both touch files, so the server
calls them off its event loop. A learner's app calls :meth:`LiveReport.update` after each
checkpoint poll: the report is rewritten (atomically, where the mentor dashboard reads it) only
when what the mentor sees has changed, so a stuck flag reaches the mentor at once without
gathering a report every five seconds.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import subprocess
import sys
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass
from pathlib import Path

from onboard.core.sessions.progress import now_utc
from onboard.core.sessions.room import (
    LEARNERS,
    REPORT_ENV,
    Profile,
    RoomInputError,
    code_matches,
    display_name,
    learner_environment,
    looks_like_secret,
    new_secret,
    practice_login,
    profile_id,
)
from onboard.core.sessions.session import Session
from onboard.core.storage.fsutil import atomic_write_text
from onboard.core.storage.state import StateStore

#: Profiles one room makes at most: anyone who reaches the page (and knows the code) can join,
#: so a script cannot fill the disk with them. Ten times the learners one server holds.
MAX_LEARNERS = 300

#: Creates a practice-forge account ``login`` and returns a new token for it.
AccountMaker = Callable[[str, str], str]


@dataclass(frozen=True)
class Learner:
    """A learner of the room, as the server knows them."""

    profile: Profile
    name: str
    login: str | None


class Room:
    """The learners' profiles under ``folder/learners``, one folder per learner (mode 0700)."""

    def __init__(
        self,
        folder: Path,
        *,
        code: str | None = None,
        make_account: AccountMaker | None = None,
        github: bool = False,
    ) -> None:
        self.learners = folder / LEARNERS
        self.code = code.strip() if code and code.strip() else None
        self.make_account = make_account
        #: Against GitHub, a learner may give their own token when they join.
        self.github = github

    def join(self, form: Mapping[str, object]) -> tuple[str, Learner]:
        """A new learner from the join form: their secret (for the browser) and profile.

        Raises :class:`RoomInputError` naming the field to fix.
        """
        name = display_name(form.get("name"))
        if not code_matches(self.code, form.get("code")):
            raise RoomInputError("room code: not this room's code; ask your mentor for it")
        token = form.get("token") if self.github else None
        if token is not None and not isinstance(token, str):
            raise RoomInputError("token: expected your GitHub token as text")
        if self.count() >= MAX_LEARNERS:
            raise RoomInputError(
                f"room: it is full ({MAX_LEARNERS} learners); ask your mentor for another one"
            )
        secret = new_secret()
        profile = Profile(self.learners, profile_id(secret))
        profile.folder.mkdir(mode=0o700, parents=True, exist_ok=False)
        profile.workspace.mkdir(mode=0o700)
        if token and token.strip():
            try:
                sign_in(profile, token.strip())
            except RoomInputError:
                shutil.rmtree(profile.folder, ignore_errors=True)  # nothing half-made is kept
                raise
        learner = Learner(profile, name, None)
        _git_identity(profile, name, None)
        self._save(learner)
        return secret, self.ensure_account(learner)

    def ensure_account(self, learner: Learner) -> Learner:
        """``learner`` with a practice account of their own, made now if they have none yet
        (they joined before the room had a practice forge); unchanged without a forge."""
        if self.make_account is None or learner.profile.practice_token.exists():
            return learner
        login = practice_login(learner.name, secrets.token_hex(2))
        token = self.make_account(login, learner.name)
        atomic_write_text(learner.profile.practice_token, token + "\n", mode=0o600)
        _git_identity(learner.profile, learner.name, login)
        with_account = Learner(learner.profile, learner.name, login)
        self._save(with_account)
        return with_account

    def _save(self, learner: Learner) -> None:
        record = {"name": learner.name, "login": learner.login, "saved_at": now_utc().isoformat()}
        text = json.dumps(record, indent=2) + "\n"
        atomic_write_text(learner.profile.record, text, mode=0o600)

    def count(self) -> int:
        """How many learners have joined (their profile folders)."""
        try:
            return sum(1 for entry in self.learners.iterdir() if entry.is_dir())
        except OSError:
            return 0

    def find(self, secret: object) -> Learner | None:
        """The learner whose browser holds ``secret``, or None (unknown, or not a secret)."""
        if not looks_like_secret(secret):
            return None
        assert isinstance(secret, str)
        profile = Profile(self.learners, profile_id(secret))
        try:
            record = json.loads(profile.record.read_text(encoding="utf-8"))
            return Learner(profile, display_name(record["name"]), record.get("login"))
        except (OSError, ValueError, KeyError, TypeError):
            return None


def sign_in(profile: Profile, token: str) -> None:
    """Check ``token`` with GitHub and keep it in the learner's profile only (0600), exactly as
    ``onboard auth login --with-token`` does on a learner's own computer: it is that command,
    run in the learner's environment, so their keyring-less token file is the one written.

    Raises :class:`RoomInputError` with the command's reason (which never shows the token).
    """
    env = learner_environment(os.environ, profile, practice=False)
    try:
        result = subprocess.run(
            [sys.executable, "-m", "onboard", "auth", "login", "--with-token"],
            input=token,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    except subprocess.TimeoutExpired as error:
        raise RoomInputError("token: GitHub did not answer in time; try again") from error
    if result.returncode != 0:
        lines = (result.stderr or result.stdout).strip().splitlines() or ["it was refused"]
        reason = lines[-1].replace(token, "****").removeprefix("onboard: ")
        raise RoomInputError(f"token: {reason}")


def _git_identity(profile: Profile, name: str, login: str | None) -> None:
    """The learner's own git config: their name on commits and in their report."""
    from onboard.workspace.gitenv import load_git

    git = load_git()
    with git.GitConfigParser(str(profile.gitconfig), read_only=False) as config:
        config.set_value("user", "name", name)
        if login is not None:
            config.set_value("user", "email", f"{login}@users.noreply.practice.invalid")


class LiveReport:
    """The app's report for the room's mentor, rewritten whenever what it shows changes."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._shown: Hashable | None = None

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> LiveReport | None:
        """The live report a room's server asked for, or None outside a room."""
        value = (os.environ if environ is None else environ).get(REPORT_ENV, "").strip()
        return cls(Path(value)) if value else None

    def update(self, store: StateStore, session: Session, key: Hashable) -> bool:
        """Write the report when ``key`` (what the mentor sees) changed; True when written.

        Raises what writing or gathering raises (``OSError``, ``StateError``,
        ``WorkspaceError``); the key is then kept unchanged so the next poll tries again.
        """
        if key == self._shown:
            return False
        from onboard.core.sessions.report_render import render
        from onboard.flows.progress_report import make_report

        report = make_report(store, session, check_remote=False)
        atomic_write_text(self.path, render(report, "json"))
        self._shown = key
        return True
