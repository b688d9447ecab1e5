"""Token discovery: GH_TOKEN, then GITHUB_TOKEN, then `gh auth token` (a real fake `gh`), then the
token stored by `onboard auth login` (a real keyring backend, or the owner-only file)."""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail

from onboard.forge import auth, token_store
from onboard.forge.auth import find_token, gh_hostname
from onboard.forge.base import GITHUB_API_URL
from onboard.forge.token_store import TokenStoreError
from tests.safety.keyrings import MemoryKeyring


def fake_gh(bin_dir: Path, body: str) -> Path:
    """Write an executable `gh` into ``bin_dir`` whose shell ``body`` plays the GitHub CLI."""
    bin_dir.mkdir(parents=True, exist_ok=True)
    script = bin_dir / "gh"
    script.write_text(f"#!/bin/sh\n{body}\n")
    script.chmod(0o755)
    return script


@pytest.fixture(autouse=True)
def memory_keyring() -> Iterator[MemoryKeyring]:
    """A real (in-memory) keyring backend, so no test reads the machine's own keyring."""
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


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
    assert gh_with_token.read_text() == "auth token --hostname github.com prompt=1\n"


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


# -- gh is asked for the configured API's host only ------------------------------------------


@pytest.mark.parametrize(
    ("api_url", "host"),
    [
        ("https://api.github.com", "github.com"),
        ("https://API.GitHub.com/", "github.com"),
        ("https://github.example.com/api/v3", "github.example.com"),
        ("https://api.acme.ghe.com", "acme.ghe.com"),
        ("http://127.0.0.1:8080", "127.0.0.1:8080"),
    ],
)
def test_gh_hostname(api_url: str, host: str) -> None:
    assert gh_hostname(api_url) == host


def test_gh_is_asked_for_the_host_of_github_api_url(bin_dir: Path, gh_with_token: Path) -> None:
    env = {"PATH": str(bin_dir), "GITHUB_API_URL": "https://github.example.com/api/v3"}
    assert find_token(env) == ("gho_from_cli", "gh auth token")
    assert gh_with_token.read_text() == "auth token --hostname github.example.com prompt=1\n"


# -- the stored credential comes last ------------------------------------------------------------


def test_stored_keyring_token_comes_after_the_cli(
    bin_dir: Path, gh_with_token: Path, memory_keyring: MemoryKeyring
) -> None:
    token_store.save(GITHUB_API_URL, "ghp_stored")
    assert find_token({"PATH": str(bin_dir)}) == ("gho_from_cli", "gh auth token")
    env = {"PATH": str(bin_dir), "GITHUB_TOKEN": "from-env"}
    assert find_token(env) == ("from-env", "GITHUB_TOKEN")


def test_stored_keyring_token_is_used_when_nothing_else_is(
    bin_dir: Path, memory_keyring: MemoryKeyring
) -> None:
    token_store.save(GITHUB_API_URL, "ghp_stored")
    assert find_token({"PATH": str(bin_dir)}) == ("ghp_stored", "your system keyring")


def test_stored_file_token_is_named_by_its_path(bin_dir: Path) -> None:
    keyring.set_keyring(fail.Keyring())
    token_store.save(GITHUB_API_URL, "ghp_in_file")
    assert find_token({"PATH": str(bin_dir)}) == ("ghp_in_file", "~/.config/onboard/token")


def test_a_stored_token_is_only_found_for_its_own_api(bin_dir: Path) -> None:
    token_store.save(GITHUB_API_URL, "ghp_stored")
    env = {"PATH": str(bin_dir), "GITHUB_API_URL": "https://elsewhere.example/api"}
    assert find_token(env) == (None, None)
    assert find_token({"PATH": str(bin_dir)}, api_url="https://elsewhere.example/api") == (
        None,
        None,
    )


def test_an_unsafe_token_file_is_reported_not_ignored(bin_dir: Path) -> None:
    keyring.set_keyring(fail.Keyring())
    token_store.save(GITHUB_API_URL, "ghp_in_file")
    token_store.token_file().chmod(0o644)
    with pytest.raises(TokenStoreError, match="chmod 600"):
        find_token({"PATH": str(bin_dir)})
    # An environment token still wins without looking at the file at all.
    assert find_token({"PATH": str(bin_dir), "GH_TOKEN": "t"}) == ("t", "GH_TOKEN")
