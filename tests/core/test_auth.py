"""Token discovery: GH_TOKEN, then GITHUB_TOKEN, then `gh auth token` (a real fake `gh`)."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest

from onboard.forge import auth
from onboard.forge.auth import find_token


def fake_gh(bin_dir: Path, body: str) -> Path:
    """Write an executable `gh` into ``bin_dir`` whose shell ``body`` plays the GitHub CLI."""
    bin_dir.mkdir(parents=True, exist_ok=True)
    script = bin_dir / "gh"
    script.write_text(f"#!/bin/sh\n{body}\n")
    script.chmod(0o755)
    return script


@pytest.fixture
def bin_dir(tmp_path: Path) -> Path:
    path = tmp_path / "bin"
    path.mkdir()
    return path


@pytest.fixture
def gh_with_token(bin_dir: Path, tmp_path: Path) -> Path:
    record = tmp_path / "gh-calls"
    fake_gh(
        bin_dir,
        f'echo "$* prompt=$GH_PROMPT_DISABLED" >> "{record}"\n'
        '[ "$1 $2" = "auth token" ] || exit 2\n'
        'echo "  gho_from_cli  "',
    )
    return record


def test_gh_token_beats_everything(bin_dir: Path, gh_with_token: Path) -> None:
    env = {"PATH": str(bin_dir), "GH_TOKEN": "from-gh-token", "GITHUB_TOKEN": "from-github-token"}
    assert find_token(env) == ("from-gh-token", "GH_TOKEN")
    assert not gh_with_token.exists()  # the CLI was not even asked


def test_github_token_beats_the_cli(bin_dir: Path, gh_with_token: Path) -> None:
    env = {"PATH": str(bin_dir), "GITHUB_TOKEN": "from-github-token"}
    assert find_token(env) == ("from-github-token", "GITHUB_TOKEN")
    assert not gh_with_token.exists()


def test_cli_token_is_used_last_and_stripped(bin_dir: Path, gh_with_token: Path) -> None:
    assert find_token({"PATH": str(bin_dir)}) == ("gho_from_cli", "gh auth token")
    assert gh_with_token.read_text() == "auth token prompt=1\n"


def test_blank_values_are_ignored(bin_dir: Path, gh_with_token: Path) -> None:
    env = {"PATH": str(bin_dir), "GH_TOKEN": "   ", "GITHUB_TOKEN": "\t\n"}
    assert find_token(env) == ("gho_from_cli", "gh auth token")
    env["GITHUB_TOKEN"] = " tok "
    assert find_token(env) == ("tok", "GITHUB_TOKEN")


def test_no_token_anywhere(bin_dir: Path) -> None:
    assert find_token({"PATH": str(bin_dir)}) == (None, None)


@pytest.mark.parametrize(
    "body",
    [
        "echo 'You are not logged into any GitHub hosts.' >&2; exit 1",
        "echo leaked-but-failed; exit 1",
        "echo '   '; exit 0",
        "exit 0",
        "kill -9 $$",
    ],
    ids=["logged-out", "output-with-failure", "blank-output", "no-output", "crash"],
)
def test_failing_cli_means_no_token(bin_dir: Path, body: str) -> None:
    fake_gh(bin_dir, body)
    assert find_token({"PATH": str(bin_dir)}) == (None, None)


def test_hanging_cli_is_given_up_on(bin_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert 0 < auth.GH_CLI_TIMEOUT_SECONDS <= 10
    monkeypatch.setattr(auth, "GH_CLI_TIMEOUT_SECONDS", 0.5)
    sleep = shutil.which("sleep")
    assert sleep is not None
    fake_gh(bin_dir, f"exec {sleep} 30")
    started = time.monotonic()
    assert find_token({"PATH": str(bin_dir)}) == (None, None)
    elapsed = time.monotonic() - started
    assert 0.4 < elapsed < 5


def test_non_executable_gh_is_ignored(bin_dir: Path) -> None:
    fake_gh(bin_dir, "echo tok").chmod(0o644)
    assert find_token({"PATH": str(bin_dir)}) == (None, None)


def test_reads_the_process_environment_by_default(
    bin_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(bin_dir))
    monkeypatch.delenv("GH_TOKEN", raising=False)
    monkeypatch.setenv("GITHUB_TOKEN", "env-token")
    assert find_token() == ("env-token", "GITHUB_TOKEN")
