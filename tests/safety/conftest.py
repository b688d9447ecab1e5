"""Safety tests never touch the machine's real keyring: each test selects a backend itself."""

from __future__ import annotations

from collections.abc import Iterator

import keyring
import pytest
from keyring.backends import fail

from tests.safety.keyrings import MemoryKeyring


@pytest.fixture(autouse=True)
def no_keyring() -> Iterator[None]:
    """keyring's own "no backend available" answer, as on headless Linux: the file fallback."""
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    yield
    keyring.set_keyring(previous)


@pytest.fixture
def memory_keyring(no_keyring: None) -> MemoryKeyring:
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    return backend
