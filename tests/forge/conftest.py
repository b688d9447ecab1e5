"""Fixtures for the practice-forge tests: a forge of their own, real PyGithub clients.

The forges themselves (``forge_factory``, ``read_forge``, ``practice_forge``) are shared by
every test folder, in ``tests/conftest.py``.
"""

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
def forge(forge_factory: Callable[..., PracticeForge]) -> PracticeForge:
    """A seeded forge of the test's own, to change at will."""
    return forge_factory()


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
