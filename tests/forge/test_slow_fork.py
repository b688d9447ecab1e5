"""Slow forks: GitHub answers ``POST /forks`` at once and creates the fork later.

The practice forge rehearses that with ``fork_delay``; GitHubForge.fork must wait for the fork
to appear, and say so plainly when it never does.
"""

from __future__ import annotations

import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import requests

from onboard.core.models import RepoRef
from onboard.forge.base import ForgeConfig, ForgeError
from onboard.forge.github import GitHubForge
from onboard.practice import PRACTICE_USER, PracticeForge
from onboard.practice.gitdaemon import git_env

TINY_CALC = RepoRef("practice", "tiny-calc")
FORK = f"{PRACTICE_USER}/tiny-calc"


def ls_remote(url: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", "ls-remote", url],
        capture_output=True,
        text=True,
        env=git_env(),
        timeout=30,
        check=False,
    )


def config(forge: PracticeForge) -> ForgeConfig:
    return ForgeConfig(api_url=forge.api_url, token=forge.token, practice=True)


def test_a_slow_fork_is_accepted_at_once_but_appears_later(
    forge_factory: Callable[..., PracticeForge], http: requests.Session
) -> None:
    delay = 3.0  # generous: a loaded test machine must still see the 404 phase
    forge = forge_factory(fork_delay=delay)
    auth = {"Authorization": f"token {forge.token}"}
    created = http.post(f"{forge.api_url}/repos/{TINY_CALC}/forks", headers=auth)
    accepted = time.monotonic()  # the delay runs from the answer (after the copy is made)
    assert created.status_code == 202
    assert created.json()["full_name"] == FORK
    assert created.json()["fork"] is True
    # Not there yet: the API says 404, git cannot clone it, a second POST answers the same.
    assert http.get(f"{forge.api_url}/repos/{FORK}", headers=auth).status_code == 404
    assert ls_remote(created.json()["clone_url"]).returncode != 0
    again = http.post(f"{forge.api_url}/repos/{TINY_CALC}/forks", headers=auth)
    assert again.status_code == 202 and again.json()["id"] == created.json()["id"]
    time.sleep(max(0.0, accepted + delay + 0.2 - time.monotonic()))
    assert http.get(f"{forge.api_url}/repos/{FORK}", headers=auth).status_code == 200
    listed = ls_remote(created.json()["clone_url"])
    assert listed.returncode == 0 and "refs/heads/main" in listed.stdout


def test_fork_delay_can_be_changed_while_running(
    forge: PracticeForge, http: requests.Session
) -> None:
    auth = {"Authorization": f"token {forge.token}"}
    forge.fork_delay = 30.0
    http.post(f"{forge.api_url}/repos/{TINY_CALC}/forks", headers=auth)
    assert http.get(f"{forge.api_url}/repos/{FORK}", headers=auth).status_code == 404
    forge.fork_delay = 0.0  # only affects forks created from now on
    http.post(f"{forge.api_url}/repos/practice/kind-words/forks", headers=auth)
    kind_words = f"{forge.api_url}/repos/{PRACTICE_USER}/kind-words"
    assert http.get(kind_words, headers=auth).status_code == 200
    assert http.get(f"{forge.api_url}/repos/{FORK}", headers=auth).status_code == 404


def test_fork_delay_must_be_a_sensible_number(forge: PracticeForge) -> None:
    with pytest.raises(ValueError):
        forge.fork_delay = -1
    with pytest.raises(TypeError):
        forge.fork_delay = "2"  # type: ignore[assignment]
    assert forge.fork_delay == 0.0


def test_github_forge_waits_for_a_slow_fork(
    forge_factory: Callable[..., PracticeForge],
) -> None:
    forge = forge_factory(fork_delay=1.5)
    started = time.monotonic()
    info = GitHubForge(config(forge)).fork(TINY_CALC)
    waited = time.monotonic() - started
    assert info.repo.full_name == FORK and info.is_fork and info.parent == TINY_CALC
    assert 1.5 <= waited < 10
    polls = [r.status for r in forge.requests if r.path == f"/repos/{FORK}"]
    assert polls[0] == 404 and polls[-1] == 200
    assert ls_remote(info.clone_url).returncode == 0


def test_a_fork_that_never_appears_gives_a_clear_error(
    forge_factory: Callable[..., PracticeForge],
) -> None:
    forge = forge_factory(fork_delay=60.0)
    started = time.monotonic()
    with pytest.raises(ForgeError) as error:
        GitHubForge(config(forge), fork_timeout=1.0).fork(TINY_CALC)
    assert time.monotonic() - started < 10
    assert str(error.value) == (
        f"practice forge is still creating your fork {FORK}: it was not ready after 1 second. "
        "Try again in a minute."
    )


def test_a_fork_still_being_created_is_there_after_a_restart(tmp_path: Path) -> None:
    data = tmp_path / "forge"
    with PracticeForge(data, fork_delay=60.0) as forge:
        response = requests.post(
            f"{forge.api_url}/repos/{TINY_CALC}/forks",
            headers={"Authorization": f"token {forge.token}"},
            timeout=10,
        )
        clone_url = response.json()["clone_url"]
        assert ls_remote(clone_url).returncode != 0
    with PracticeForge(data) as again:
        body = requests.get(f"{again.api_url}/repos/{FORK}", timeout=10)
        assert body.status_code == 200
        assert ls_remote(body.json()["clone_url"]).returncode == 0
