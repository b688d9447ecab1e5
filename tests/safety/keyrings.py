"""Keyring backends for tests, selected through keyring's public API (``keyring.set_keyring``).

They are real :class:`keyring.backend.KeyringBackend` subclasses, so onboard talks to them exactly
as it talks to the macOS Keychain or the Secret Service. Their ``priority`` raises, which keyring
reads as "not viable": they are never picked by keyring's own auto-detection in other tests.
"""

from __future__ import annotations

from keyring.backend import KeyringBackend
from keyring.compat import properties
from keyring.errors import KeyringLocked, PasswordDeleteError


class MemoryKeyring(KeyringBackend):
    """Secrets kept in a dict: a working keyring that forgets everything after the test."""

    @properties.classproperty
    def priority(cls) -> float:
        raise RuntimeError("only used when a test selects it")

    def __init__(self) -> None:
        super().__init__()
        self.secrets: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.secrets.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.secrets[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        try:
            del self.secrets[(service, username)]
        except KeyError:
            raise PasswordDeleteError("not found") from None


class LockedKeyring(MemoryKeyring):
    """A keyring that exists but refuses (a locked Secret Service, a dismissed unlock prompt)."""

    def get_password(self, service: str, username: str) -> str | None:
        raise KeyringLocked("the collection is locked")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise KeyringLocked("the collection is locked")


class HangingKeyring(MemoryKeyring):
    """A keyring that never answers (a Secret Service waiting on an unlock prompt nobody sees)."""

    def __init__(self) -> None:
        super().__init__()
        import threading

        self.release = threading.Event()

    def get_password(self, service: str, username: str) -> str | None:
        self.release.wait()
        return None

    def set_password(self, service: str, username: str, password: str) -> None:
        self.release.wait()
