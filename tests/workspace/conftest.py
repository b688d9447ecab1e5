"""Real git repositories in tmp_path, with a fixed identity and no user or system config."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def git_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "git-home"
    home.mkdir()
    empty_config = home / "empty-gitconfig"
    empty_config.write_text("")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(empty_config))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for name, value in {
        "GIT_AUTHOR_NAME": "Test Author",
        "GIT_AUTHOR_EMAIL": "author@example.invalid",
        "GIT_COMMITTER_NAME": "Test Author",
        "GIT_COMMITTER_EMAIL": "author@example.invalid",
        "GIT_AUTHOR_DATE": "2024-01-01T00:00:00Z",
        "GIT_COMMITTER_DATE": "2024-01-01T00:00:00Z",
    }.items():
        monkeypatch.setenv(name, value)
    for name in ("GIT_ASKPASS", "SSH_ASKPASS", "GIT_DIR", "GIT_WORK_TREE", "ONBOARD_WORKSPACE"):
        monkeypatch.delenv(name, raising=False)
    return home


def git(*args: str, cwd: Path | None = None) -> str:
    result = subprocess.run(
        ["git", *args], cwd=cwd, capture_output=True, text=True, check=True, timeout=30
    )
    return result.stdout.strip()


@dataclass(frozen=True)
class Upstream:
    """A bare repository (served over file://) and the work tree it was made from."""

    bare: Path
    url: str
    head: str


def make_upstream(root: Path, name: str = "project", *, allow_filter: bool = True) -> Upstream:
    work = root / f"{name}-work"
    git("init", "-q", "-b", "main", str(work))
    for index in range(6):
        (work / f"file{index}.txt").write_text(f"line {index}\n" * (index + 1) * 50)
        (work / "README.md").write_text(f"# {name}\n\nrevision {index}\n")
        git("add", "-A", cwd=work)
        git("commit", "-q", "-m", f"commit {index}", cwd=work)
    bare = root / f"{name}.git"
    git("clone", "-q", "--bare", str(work), str(bare))
    if allow_filter:
        git("config", "uploadpack.allowFilter", "true", cwd=bare)
    return Upstream(bare=bare, url=bare.as_uri(), head=git("rev-parse", "HEAD", cwd=work))


@pytest.fixture
def upstream(tmp_path: Path) -> Upstream:
    return make_upstream(tmp_path / "served")
