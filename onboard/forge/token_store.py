"""Remembering a GitHub token between runs: the system keyring, else a file only you can read.

The keyring (macOS Keychain, Windows Credential Locker, the Secret Service of Linux desktops)
keeps secrets encrypted and out of ordinary files, so it is always tried first. Headless Linux
machines and containers often have none; there, like ``gh`` and git's credential store, onboard
falls back to a file that only its owner can read (mode 0600 in a 0700 folder). Such a file is
refused when anyone else could read or replace it, because a token that others may have seen
must not be used silently.

Each token is stored for one API address, so a token saved for GitHub is never handed to a
different ``GITHUB_API_URL`` later.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import stat
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import platformdirs

from onboard.core.storage.paths import APP_NAME, display_path
from onboard.forge.base import ForgeError

if TYPE_CHECKING:
    from keyring.backend import KeyringBackend

SERVICE = "onboard"
KEYRING_LABEL = "your system keyring"
FILE_FORMAT_VERSION = 1
_PRIVATE = 0o077  # permission bits that let the group or others in
#: A keyring can hang (a Secret Service waiting on an unlock prompt nobody sees, a dead D-Bus):
#: each call gets this long, like ``gh auth token``, then onboard carries on without it.
KEYRING_TIMEOUT_SECONDS = 5.0
T = TypeVar("T")


class TokenStoreError(ForgeError):
    """The stored token cannot be used or saved; the message says what to do."""


class KeyringSilent(Exception):
    """The keyring did not answer within :data:`KEYRING_TIMEOUT_SECONDS`."""


#: Once the keyring has stayed silent, this process stops asking it (every call would wait).
_silent_since: float | None = None


def keyring_silent() -> bool:
    """Whether the keyring stopped answering earlier in this process."""
    return _silent_since is not None


def _bounded(call: Callable[..., T], *args: Any) -> T:
    """``call(*args)`` on a daemon thread, given :data:`KEYRING_TIMEOUT_SECONDS` to answer.

    A daemon thread, so a keyring that never answers cannot keep onboard from exiting either.
    """
    global _silent_since
    if _silent_since is not None:
        raise KeyringSilent(silent_message())
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["value"] = call(*args)
        except BaseException as error:  # handed to the caller's thread below
            outcome["error"] = error

    worker = threading.Thread(target=run, name="keyring", daemon=True)
    worker.start()
    worker.join(KEYRING_TIMEOUT_SECONDS)
    if worker.is_alive():
        _silent_since = time.monotonic()
        raise KeyringSilent(silent_message())
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def silent_message() -> str:
    seconds = f"{KEYRING_TIMEOUT_SECONDS:g}"
    return f"{KEYRING_LABEL} did not answer within {seconds} seconds"


@dataclass(frozen=True)
class StoredToken:
    """A token and where it was found (a place to name in messages, never the secret)."""

    token: str = field(repr=False)
    source: str


def token_file() -> Path:
    """``~/.config/onboard/token`` on Linux (platformdirs' user config dir elsewhere)."""
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)) / "token"


def file_label() -> str:
    return display_path(token_file())


def load(api_url: str) -> StoredToken | None:
    """The token stored for ``api_url``: keyring first, then the private file."""
    key = _key(api_url)
    backend = usable_keyring()
    if backend is not None:
        try:
            token = _bounded(backend.get_password, SERVICE, key)
        except Exception:  # any backend failure (or silence) just means "not in the keyring"
            token = None
        if token:
            return StoredToken(token, KEYRING_LABEL)
    token = _read_file(strict=True).get(key)
    return StoredToken(token, file_label()) if token else None


def save(api_url: str, token: str) -> str:
    """Store ``token`` for ``api_url``; returns where it went, for the confirmation message."""
    key = _key(api_url)
    backend = usable_keyring()
    if backend is not None:
        try:
            _bounded(backend.set_password, SERVICE, key, token)
        except Exception as error:  # a locked, refusing or silent keyring: use the file
            location = _save_to_file(key, token)
            if isinstance(error, KeyringSilent):
                return f"{location} ({error})"
            return f"{location} ({KEYRING_LABEL} refused it: {_keyring_reason(error, token)})"
        with contextlib.suppress(TokenStoreError):
            _forget_in_file(key)  # one place only, so status and logout never disagree
        return KEYRING_LABEL
    return _save_to_file(key, token)


def delete(api_url: str) -> list[str]:
    """Forget the token for ``api_url`` everywhere; returns the places it was removed from."""
    key = _key(api_url)
    removed: list[str] = []
    backend = usable_keyring()
    if backend is not None:
        with contextlib.suppress(Exception):
            if _bounded(backend.get_password, SERVICE, key):
                _bounded(backend.delete_password, SERVICE, key)
                removed.append(KEYRING_LABEL)
    if _forget_in_file(key):
        removed.append(file_label())
    return removed


def usable_keyring() -> KeyringBackend | None:
    """The system keyring, or None when keyring found no real backend to talk to.

    keyring answers "nothing usable" in several shapes: its fail backend (raises
    NoKeyringError on every call), the null backend, or a chainer with no backends in it. On
    headless Linux without a Secret Service, the Secret Service backend is simply not viable,
    which leaves one of those.
    """
    import keyring  # imported here: it takes ~0.1 s, only worth it once the env has no token
    from keyring.backends import chainer, fail, null

    try:
        backend = _bounded(keyring.get_keyring)
    except Exception:  # a broken (or silent) keyring configuration means "no keyring"
        return None
    if isinstance(backend, fail.Keyring | null.Keyring):
        return None
    if isinstance(backend, chainer.ChainerBackend) and not backend.backends:
        return None
    return backend


# -- the private file ---------------------------------------------------------------------------


def _key(api_url: str) -> str:
    return api_url.strip().rstrip("/")


def _read_file(*, strict: bool) -> dict[str, str]:
    """The tokens in the file, by API address; ``strict`` also refuses loose permissions.

    The file is opened without following symlinks and checked through the open descriptor, so
    what is checked is what is read.
    """
    path = token_file()
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags)
    except (FileNotFoundError, NotADirectoryError):
        return {}
    except OSError as error:
        if path.is_symlink():
            raise TokenStoreError(
                f"{file_label()} is a symbolic link; onboard only reads a token from a real "
                f"file there. Remove it (rm {file_label()}) and run: onboard auth login"
            ) from error
        raise TokenStoreError(
            f"Cannot read {file_label()}: {(error.strerror or str(error)).lower()}."
        ) from error
    with os.fdopen(fd, "rb") as handle:
        _check_private(os.fstat(handle.fileno()), strict=strict)
        raw = handle.read(64 * 1024)
    try:
        data = json.loads(raw.decode("utf-8"))
        tokens = data["tokens"]
        if not isinstance(tokens, dict):
            raise TypeError("tokens is not a table")
    except (UnicodeDecodeError, ValueError, KeyError, TypeError) as error:
        raise TokenStoreError(
            f"{file_label()} is damaged. Remove it (rm {file_label()}) and run: onboard auth login"
        ) from error
    return {str(k): v for k, v in tokens.items() if isinstance(v, str) and v}


def _check_private(info: os.stat_result, *, strict: bool) -> None:
    if not hasattr(os, "geteuid"):  # Windows: access is governed by ACLs, not mode bits
        return
    shown = file_label()
    if not stat.S_ISREG(info.st_mode):
        raise TokenStoreError(
            f"{shown} is not a regular file. Remove it and run: onboard auth login"
        )
    if info.st_uid != os.geteuid():
        raise TokenStoreError(
            f"{shown} belongs to another user (uid {info.st_uid}), so onboard will not use the "
            f"token in it. Remove it (rm {shown}) and run: onboard auth login"
        )
    if strict and info.st_mode & _PRIVATE:
        raise TokenStoreError(
            f"{shown} can be read or changed by other users (mode "
            f"{stat.S_IMODE(info.st_mode):o}), so onboard will not use the token in it. Make it "
            f"private with: chmod 600 {shown}  (and if others could really read it, revoke "
            "that token on GitHub and run: onboard auth login)"
        )


def _save_to_file(key: str, token: str) -> str:
    tokens = _read_file(strict=False)  # rewriting with 0600 also repairs loose permissions
    tokens[key] = token
    _write_file(tokens)
    return file_label()


def _forget_in_file(key: str) -> bool:
    if not token_file().exists():
        return False
    tokens = _read_file(strict=False)
    if key not in tokens:
        return False
    del tokens[key]
    if tokens:
        _write_file(tokens)
    else:
        token_file().unlink()
    return True


def _write_file(tokens: dict[str, str]) -> None:
    """Write atomically; the temp file is created 0600, so it is never readable by others."""
    path = token_file()
    folder = path.parent
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        if hasattr(os, "geteuid") and folder.stat().st_uid == os.geteuid():
            folder.chmod(0o700)
        content = json.dumps({"version": FILE_FORMAT_VERSION, "tokens": tokens}, indent=2)
        tmp = folder / f".token.{secrets.token_hex(8)}.tmp"
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
        fd = os.open(tmp, flags, 0o600)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(content.encode("utf-8"))
                handle.flush()
                os.fsync(handle.fileno())
            tmp.replace(path)
        except BaseException:
            with contextlib.suppress(OSError):
                tmp.unlink()
            raise
    except OSError as error:
        reason = (error.strerror or str(error)).lower()
        raise TokenStoreError(
            f"Cannot save your token in {display_path(folder)}: {reason}."
        ) from error


def _keyring_reason(error: Exception, token: str) -> str:
    """A short reason from a keyring error, with the secret blotted out should it appear."""
    text = str(error).strip().splitlines()[0] if str(error).strip() else ""
    return text.replace(token, "****")[:120] or type(error).__name__


def keyring_backend_name(backend: Any) -> str:
    """The backend's own name ("macOS Keyring", "SecretService Keyring") for status output."""
    return str(getattr(backend, "name", type(backend).__name__))
