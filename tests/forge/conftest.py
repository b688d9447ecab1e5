"""Fixtures for the practice-forge tests: real forges on temp dirs, real PyGithub clients."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import github
import pytest
import requests

from onboard.practice import PracticeForge

REFERENCE = Path("/work/shared/reference/github-payloads")


def make_client(forge: PracticeForge, token: str | None = None, **kwargs: Any) -> github.Github:
    """A PyGithub client as onboard builds it: no sleeping between requests, no retries.

    ``seconds_between_writes`` defaults to 1 s in PyGithub: every POST after the first would sleep.
    """
    auth = github.Auth.Token(token or forge.token)
    return github.Github(
        base_url=forge.api_url,
        auth=auth,
        seconds_between_requests=None,
        seconds_between_writes=None,
        retry=None,
        **kwargs,
    )


@pytest.fixture
def forge_factory(tmp_path: Path) -> Iterator[Callable[..., PracticeForge]]:
    """Start forges on demand (each on its own data dir unless given one); stop them all."""
    started: list[PracticeForge] = []

    def factory(data_dir: Path | None = None, **kwargs: Any) -> PracticeForge:
        directory = data_dir or tmp_path / f"forge-{len(started)}"
        forge = PracticeForge(directory, **kwargs).start()
        started.append(forge)
        return forge

    yield factory
    for forge in started:
        forge.stop()


@pytest.fixture
def forge(forge_factory: Callable[..., PracticeForge]) -> PracticeForge:
    return forge_factory()


@pytest.fixture(scope="module")
def shared_forge(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PracticeForge]:
    """One forge for read-only tests in a module (saves a start per test)."""
    forge = PracticeForge(tmp_path_factory.mktemp("shared-forge")).start()
    yield forge
    forge.stop()


@pytest.fixture
def gh(forge: PracticeForge) -> Iterator[github.Github]:
    client = make_client(forge)
    yield client
    client.close()


@pytest.fixture
def http() -> Iterator[requests.Session]:
    with requests.Session() as session:
        yield session


@pytest.fixture
def auth(forge: PracticeForge) -> dict[str, str]:
    return {"Authorization": f"token {forge.token}"}
