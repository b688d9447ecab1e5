"""A keyring that hangs never hangs onboard: each call gets a few seconds, then the file."""

from __future__ import annotations

import time
from collections.abc import Iterator

import keyring
import pytest

from onboard.forge import auth, token_store
from tests.safety.keyrings import HangingKeyring

API = "https://api.github.com"


@pytest.fixture
def hanging(monkeypatch: pytest.MonkeyPatch) -> Iterator[HangingKeyring]:
    previous = keyring.get_keyring()
    backend = HangingKeyring()
    keyring.set_keyring(backend)
    monkeypatch.setattr(token_store, "KEYRING_TIMEOUT_SECONDS", 0.3)
    monkeypatch.setattr(token_store, "_silent_since", None)
    yield backend
    backend.release.set()
    keyring.set_keyring(previous)


def test_finding_a_token_does_not_wait_for_a_silent_keyring(hanging: HangingKeyring) -> None:
    started = time.monotonic()
    assert auth.find_token({"PATH": ""}, api_url=API) == (None, None)
    assert time.monotonic() - started < 2.0
    assert token_store.keyring_silent()
    started = time.monotonic()
    token_store.load(API)  # asked once: the second time it is not waited for again
    assert time.monotonic() - started < 0.2


def test_saving_to_a_silent_keyring_uses_the_private_file_and_says_why(
    hanging: HangingKeyring,
) -> None:
    where = token_store.save(API, "ghp_" + "x" * 36)
    assert where.startswith(token_store.file_label())
    assert "did not answer within 0.3 seconds" in where
    assert token_store.load(API) is not None
