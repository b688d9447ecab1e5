"""Fixtures shared by every test: an isolated home, and a real practice forge over HTTP + git.

Nothing here fakes PyGithub or GitPython: tests talk to the project's own GitHub-compatible
practice forge on loopback, exactly as users do in practice mode.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from onboard.core.storage.state import StateStore
from onboard.forge.base import ForgeConfig
from onboard.practice import PracticeForge


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Keep every test away from the real home directory, tokens and git config."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("ONBOARD_WORKSPACE", str(home / "onboard-projects"))
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(home / ".gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    # Never read or write a developer's real keychain; tests that need a keyring set their own.
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    for name in ("GH_TOKEN", "GITHUB_TOKEN", "GITHUB_API_URL"):
        monkeypatch.delenv(name, raising=False)
    (home / ".gitconfig").write_text(
        "[user]\n\tname = Test Learner\n\temail = learner@practice.invalid\n"
        "[init]\n\tdefaultBranch = main\n"
    )
    return home


@pytest.fixture
def practice_forge(tmp_path: Path) -> Iterator[PracticeForge]:
    with PracticeForge(tmp_path / "forge") as forge:
        yield forge


@pytest.fixture
def forge_config(practice_forge: PracticeForge) -> ForgeConfig:
    return ForgeConfig(
        api_url=practice_forge.api_url,
        token=practice_forge.token,
        token_source="the practice forge",
        practice=True,
    )


@pytest.fixture
def state_store(isolated_home: Path) -> StateStore:
    return StateStore(isolated_home / ".local" / "share" / "onboard" / "state.json")
