"""Choosing which forge to talk to: real GitHub (from the environment) or the practice forge."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from onboard.core.sessions.room import PRACTICE_TOKEN_ENV
from onboard.core.storage import paths
from onboard.forge.auth import find_token
from onboard.forge.base import GITHUB_API_URL, ForgeConfig, ForgeError, ForgeUnreachable

if TYPE_CHECKING:
    from onboard.practice import PracticeForge

#: Set by ``onboard serve --practice`` for every browser tab's app: the API URL of the practice
#: forge ``serve`` already runs. One forge per workshop, not one per tab: tabs starting their
#: own forge on the same data folder would fight over its ports and its ``forge.json``. Only the
#: URL travels in the environment; the token stays in the forge's data folder (0600) and is never
#: put on a child's command line, where ``ps`` would show it.
SHARED_PRACTICE_ENV = "ONBOARD_PRACTICE_API_URL"


def maintainer_delay(environ: Mapping[str, str] | None = None) -> float | None:
    """The simulated maintainer's delay (``ONBOARD_PRACTICE_MAINTAINER_DELAY``, default a few
    seconds; see :mod:`onboard.practice.maintainer`), a ForgeError for a value it cannot use."""
    from onboard.practice.maintainer import delay_from_env

    try:
        return delay_from_env(os.environ if environ is None else environ)
    except ValueError as error:
        raise ForgeError(str(error)) from None


def github_config(environ: Mapping[str, str] | None = None) -> ForgeConfig:
    """``GITHUB_API_URL`` (default api.github.com) with the first token found."""
    env = os.environ if environ is None else environ
    api_url = (env.get("GITHUB_API_URL") or GITHUB_API_URL).rstrip("/")
    token, source = find_token(env)
    return ForgeConfig(api_url=api_url, token=token, token_source=source)


class PracticeSession:
    """A practice forge running inside this process for as long as the TUI runs.

    Its data (repositories, forks, issues) lives in the user data dir, so progress made while
    rehearsing survives a restart just like real progress does. Under ``onboard serve
    --practice`` it only connects to the forge the server runs (:data:`SHARED_PRACTICE_ENV`).
    """

    def __init__(
        self, data_dir: Path | None = None, *, environ: Mapping[str, str] | None = None
    ) -> None:
        self.data_dir = data_dir or paths.practice_dir()
        self._forge: PracticeForge | None = None
        env = os.environ if environ is None else environ
        self.shared_api_url = env.get(SHARED_PRACTICE_ENV, "").strip().rstrip("/") or None
        self._environ = env

    def start(self) -> ForgeConfig:
        from onboard.practice import PracticeForge  # imported only when practising

        if self.shared_api_url is not None:
            return ForgeConfig(
                api_url=self.shared_api_url,
                token=_shared_token(self.data_dir),
                token_source="the practice forge",  # noqa: S106 - a label, not a secret
                practice=True,
            )
        if self._forge is None:
            delay = maintainer_delay(self._environ)
            self._forge = PracticeForge(self.data_dir, maintainer_delay=delay).start()
        return ForgeConfig(
            api_url=self._forge.api_url,
            token=self._forge.token,
            token_source="the practice forge",  # noqa: S106 - a label, not a secret
            practice=True,
        )

    def make_account(self, login: str, name: str) -> str:
        """A new account on the forge this session runs, and a token for it (``onboard
        serve`` gives one to each learner of a room, so their forks never collide)."""
        if self._forge is None:
            raise ForgeUnreachable("The practice forge is not running in this process.")
        store = self._forge.store
        store.add_user(login, name=name, created_days_ago=1)
        return store.add_token(login)

    def stop(self) -> None:
        if self._forge is not None:
            self._forge.stop()
            self._forge = None

    def __enter__(self) -> ForgeConfig:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()


def _shared_token(data_dir: Path) -> str:
    """The token of the practice forge another process runs on ``data_dir``: the learner's
    own when the room's server made them an account, else the forge's."""
    # Set by ``onboard serve --practice`` for each learner of a room: their own account's
    # token (0600, in their profile), so learners' forks never collide.
    own = os.environ.get(PRACTICE_TOKEN_ENV, "").strip()
    try:
        token = (Path(own) if own else data_dir / "token").read_text(encoding="utf-8").strip()
    except OSError:
        token = ""
    if not token:
        raise ForgeUnreachable(
            f"The shared practice forge has no token in {paths.display_path(data_dir)}. "
            "Is `onboard serve --practice` still running?"
        )
    return token
