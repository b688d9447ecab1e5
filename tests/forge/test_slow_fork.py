"""Slow forks: GitHub answers ``POST /forks`` at once and creates the fork's git repository later.

The practice forge rehearses that with ``fork_delay`` as GitHub does it: the fork's API object is
there at once (202 from the POST, 200 from GET), while git answers "no such repository" for it
until the delay is over. GitHubForge.fork returns the object at once; waiting for git is the
set-up flow's job (tests/workspace/test_fork_ready.py).
"""

from __future__ import annotations

import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import requests

from onboard.core.models import RepoRef
from onboard.forge.base import ForgeConfig
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


def test_a_slow_fork_has_its_api_object_at_once_and_its_git_repository_later(
    forge_factory: Callable[..., PracticeForge], http: requests.Session
) -> None:
    delay = 3.0  # generous: a loaded test machine must still see the "no git yet" phase
    forge = forge_factory(fork_delay=delay)
    auth = {"Authorization": f"token {forge.token}"}
    created = http.post(f"{forge.api_url}/repos/{TINY_CALC}/forks", headers=auth)
    accepted = time.monotonic()  # the delay runs from the answer (after the copy is made)
    assert created.status_code == 202
    assert created.json()["full_name"] == FORK
    assert created.json()["fork"] is True
    # The API knows the fork at once, as GitHub does...
    shown = http.get(f"{forge.api_url}/repos/{FORK}", headers=auth)
    assert shown.status_code == 200
    assert shown.json()["id"] == created.json()["id"]
    assert shown.json()["parent"]["full_name"] == str(TINY_CALC)
    # ...but its git repository is not there yet: git daemon says so, and so does clone.
    listed = ls_remote(created.json()["clone_url"])
    assert listed.returncode != 0 and "no such repository" in listed.stderr
    # Routes that read the fork's git repository answer like an empty one, never with a 500.
    branches = http.get(f"{forge.api_url}/repos/{FORK}/branches", headers=auth)
    assert branches.status_code == 200 and branches.json() == []
    readme = http.get(f"{forge.api_url}/repos/{FORK}/contents/README.md", headers=auth)
    assert readme.status_code == 404
    assert http.get(f"{forge.api_url}/{FORK}").status_code == 200  # the web page
    # A second POST answers with the same fork and creates nothing.
    again = http.post(f"{forge.api_url}/repos/{TINY_CALC}/forks", headers=auth)
    assert again.status_code == 202 and again.json()["id"] == created.json()["id"]
    time.sleep(max(0.0, accepted + delay + 0.2 - time.monotonic()))
    assert http.get(f"{forge.api_url}/repos/{FORK}", headers=auth).status_code == 200
    listed = ls_remote(created.json()["clone_url"])
    assert listed.returncode == 0 and "refs/heads/main" in listed.stdout
    branches = http.get(f"{forge.api_url}/repos/{FORK}/branches", headers=auth)
    assert [b["name"] for b in branches.json()] == ["main"]


def test_fork_delay_can_be_changed_while_running(
    forge: PracticeForge, http: requests.Session
) -> None:
    auth = {"Authorization": f"token {forge.token}"}
    forge.fork_delay = 30.0
    slow = http.post(f"{forge.api_url}/repos/{TINY_CALC}/forks", headers=auth).json()
    assert ls_remote(slow["clone_url"]).returncode != 0
    forge.fork_delay = 0.0  # only affects forks created from now on
    quick = http.post(f"{forge.api_url}/repos/practice/kind-words/forks", headers=auth).json()
    assert ls_remote(quick["clone_url"]).returncode == 0
    assert ls_remote(slow["clone_url"]).returncode != 0


def test_fork_delay_must_be_a_sensible_number(forge: PracticeForge) -> None:
    with pytest.raises(ValueError):
        forge.fork_delay = -1
    with pytest.raises(TypeError):
        forge.fork_delay = "2"  # type: ignore[assignment]
    assert forge.fork_delay == 0.0


def test_github_forge_returns_a_slow_fork_at_once_with_one_request(
    forge_factory: Callable[..., PracticeForge],
) -> None:
    """The 202 is the fork: the adapter neither polls the API nor asks twice."""
    forge = forge_factory(fork_delay=30.0)
    forge.clear_requests()
    started = time.monotonic()
    info = GitHubForge(config(forge)).fork(TINY_CALC)
    assert time.monotonic() - started < 5
    assert info.repo.full_name == FORK and info.is_fork and info.parent == TINY_CALC
    assert [(r.method, r.path) for r in forge.requests] == [("POST", f"/repos/{TINY_CALC}/forks")]
    assert ls_remote(info.clone_url).returncode != 0  # not cloneable yet: the flow waits


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
