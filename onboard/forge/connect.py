"""Choosing which forge to talk to: real GitHub (from the environment) or the practice forge."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from onboard.core import paths
from onboard.forge.auth import find_token
from onboard.forge.base import GITHUB_API_URL, ForgeConfig

if TYPE_CHECKING:
    from onboard.forge.practice import PracticeForge


def github_config(environ: Mapping[str, str] | None = None) -> ForgeConfig:
    """``GITHUB_API_URL`` (default api.github.com) with the first token found."""
    env = os.environ if environ is None else environ
    api_url = (env.get("GITHUB_API_URL") or GITHUB_API_URL).rstrip("/")
    token, source = find_token(env)
    return ForgeConfig(api_url=api_url, token=token, token_source=source)


class PracticeSession:
    """A practice forge running inside this process for as long as the TUI runs.

    Its data (repositories, forks, issues) lives in the user data dir, so progress made while
    rehearsing survives a restart just like real progress does.
    """

    def __init__(self, data_dir: Path | None = None) -> None:
        self.data_dir = data_dir or paths.practice_dir()
        self._forge: PracticeForge | None = None

    def start(self) -> ForgeConfig:
        from onboard.forge.practice import PracticeForge  # imported only when practising

        if self._forge is None:
            self._forge = PracticeForge(self.data_dir).start()
        return ForgeConfig(
            api_url=self._forge.api_url,
            token=self._forge.token,
            token_source="the practice forge",  # noqa: S106 - a label, not a secret
            practice=True,
        )

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
