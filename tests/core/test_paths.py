"""Everything onboard stores can be redirected with environment variables alone."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from onboard.core.storage import paths


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "paths-home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    for name in ("XDG_DATA_HOME", "XDG_CACHE_HOME", "ONBOARD_WORKSPACE"):
        monkeypatch.delenv(name, raising=False)
    return home


@pytest.mark.skipif(sys.platform != "linux", reason="XDG is the Linux convention")
def test_xdg_variables_redirect_data_and_cache(
    env: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    assert paths.data_dir() == tmp_path / "data" / "onboard"
    assert paths.cache_dir() == tmp_path / "cache" / "onboard"
    assert paths.state_path() == tmp_path / "data" / "onboard" / "state.json"
    assert paths.practice_dir() == tmp_path / "data" / "onboard" / "practice-forge"


@pytest.mark.skipif(sys.platform != "linux", reason="XDG is the Linux convention")
def test_defaults_live_under_home(env: Path) -> None:
    assert paths.data_dir() == env / ".local" / "share" / "onboard"
    assert paths.cache_dir() == env / ".cache" / "onboard"
    assert paths.workspace_dir() == env / "onboard-projects"


def test_onboard_workspace_overrides_workspace_dir(
    env: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ONBOARD_WORKSPACE", str(tmp_path / "clones"))
    assert paths.workspace_dir() == tmp_path / "clones"
    monkeypatch.setenv("ONBOARD_WORKSPACE", "~/code")
    assert paths.workspace_dir() == env / "code"
    monkeypatch.setenv("ONBOARD_WORKSPACE", "")
    assert paths.workspace_dir() == env / "onboard-projects"
