"""The stored credential: system keyring first, else an owner-only file that is never readable
by anyone else, not even for a moment, and is refused when others could have read it."""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backends import chainer, fail, null

from onboard.forge import token_store
from onboard.forge.token_store import KEYRING_LABEL, TokenStoreError
from tests.safety.keyrings import LockedKeyring, MemoryKeyring

API = "https://api.github.com"
TOKEN = "ghp_" + "s3cret" * 6


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def token_file(isolated_home: Path) -> Path:
    path = token_store.token_file()
    assert path == isolated_home / ".config" / "onboard" / "token"
    return path


@pytest.fixture
def open_umask() -> Iterator[None]:
    """umask 000: any file created without an explicit private mode would be world-readable."""
    previous = os.umask(0)
    yield
    os.umask(previous)


# -- keyring ---------------------------------------------------------------------------------


def test_keyring_round_trip(memory_keyring: MemoryKeyring, token_file: Path) -> None:
    assert token_store.save(API, TOKEN) == KEYRING_LABEL
    assert memory_keyring.secrets == {("onboard", API): TOKEN}
    stored = token_store.load(API + "/")
    assert stored is not None
    assert (stored.token, stored.source) == (TOKEN, "your system keyring")
    assert TOKEN not in repr(stored)
    assert not token_file.exists()  # the keyring was usable: no file at all

    assert token_store.delete(API) == [KEYRING_LABEL]
    assert memory_keyring.secrets == {}
    assert token_store.load(API) is None
    assert token_store.delete(API) == []


def test_a_token_belongs_to_one_api(memory_keyring: MemoryKeyring) -> None:
    token_store.save(API, TOKEN)
    assert token_store.load("https://github.example.com/api/v3") is None
    assert token_store.load("http://api.github.com") is None


def test_saving_to_the_keyring_removes_an_older_file_copy(
    memory_keyring: MemoryKeyring, token_file: Path
) -> None:
    keyring.set_keyring(fail.Keyring())
    token_store.save(API, "ghp_old")
    assert token_file.exists()
    keyring.set_keyring(memory_keyring)
    token_store.save(API, TOKEN)
    assert not token_file.exists()
    assert token_store.load(API).token == TOKEN  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "backend",
    [fail.Keyring, null.Keyring],
    ids=["fail", "null"],
)
def test_no_usable_backend_means_no_keyring(backend: type) -> None:
    keyring.set_keyring(backend())
    assert token_store.usable_keyring() is None


def test_a_chainer_without_backends_is_not_a_keyring(monkeypatch: pytest.MonkeyPatch) -> None:
    # keyring.backend._limit is keyring's public "only these backends" filter
    # (keyring.core.set_keyring / the keyring-backends config use it); none passes here.
    monkeypatch.setattr(keyring.backend, "_limit", lambda backend: False)
    empty = chainer.ChainerBackend()
    assert empty.backends == []
    keyring.set_keyring(empty)
    assert token_store.usable_keyring() is None


def test_a_working_backend_is_used(memory_keyring: MemoryKeyring) -> None:
    assert token_store.usable_keyring() is memory_keyring


def test_a_refusing_keyring_falls_back_to_the_file(token_file: Path) -> None:
    keyring.set_keyring(LockedKeyring())
    where = token_store.save(API, TOKEN)
    assert where.startswith("~/.config/onboard/token")
    assert "refused" in where and "locked" in where
    assert TOKEN not in where
    stored = token_store.load(API)
    assert stored is not None
    assert (stored.token, stored.source) == (TOKEN, "~/.config/onboard/token")


# -- the file fallback -------------------------------------------------------------------------


def test_file_fallback_is_private(token_file: Path, open_umask: None) -> None:
    where = token_store.save(API, TOKEN)
    assert where == "~/.config/onboard/token"
    assert mode(token_file) == 0o600
    assert mode(token_file.parent) == 0o700
    assert token_file.stat().st_uid == os.geteuid()
    assert json.loads(token_file.read_text())["tokens"] == {API: TOKEN}
    assert [p.name for p in token_file.parent.iterdir()] == ["token"]  # no temp file left

    stored = token_store.load(API)
    assert stored is not None
    assert (stored.token, stored.source) == (TOKEN, "~/.config/onboard/token")


def test_an_existing_open_config_folder_is_made_private(token_file: Path) -> None:
    token_file.parent.mkdir(parents=True)
    token_file.parent.chmod(0o755)
    token_store.save(API, TOKEN)
    assert mode(token_file.parent) == 0o700


def test_the_file_is_never_world_readable_even_while_written(
    token_file: Path, open_umask: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Watch every file onboard creates: each must be born 0600 (os.open with a mode), because a
    # chmod afterwards would leave a moment in which others could open it.
    created: list[tuple[str, int]] = []
    real_open = os.open

    def watching_open(path: str | os.PathLike[str], flags: int, *args: int, **kw: int) -> int:
        fd = real_open(path, flags, *args, **kw)
        if flags & os.O_CREAT:
            created.append((os.fspath(path), stat.S_IMODE(os.fstat(fd).st_mode)))
        return fd

    monkeypatch.setattr(os, "open", watching_open)
    token_store.save(API, TOKEN)
    token_store.save("https://ghe.example.com/api/v3", TOKEN)
    assert created, "the token file was not created through os.open"
    assert all(file_mode == 0o600 for _, file_mode in created), created


def test_two_apis_share_the_file_and_logout_removes_one(token_file: Path) -> None:
    other = "https://ghe.example.com/api/v3"
    token_store.save(API, TOKEN)
    token_store.save(other, "ghp_enterprise")
    assert token_store.delete(API) == ["~/.config/onboard/token"]
    assert token_store.load(API) is None
    assert token_store.load(other).token == "ghp_enterprise"  # type: ignore[union-attr]
    assert token_store.delete(other) == ["~/.config/onboard/token"]
    assert not token_file.exists()


@pytest.mark.parametrize("loose", [0o644, 0o640, 0o604, 0o660, 0o620])
def test_a_file_others_can_read_is_refused_with_the_fix(token_file: Path, loose: int) -> None:
    token_store.save(API, TOKEN)
    token_file.chmod(loose)
    with pytest.raises(TokenStoreError) as caught:
        token_store.load(API)
    message = str(caught.value)
    assert "chmod 600 ~/.config/onboard/token" in message
    assert "other users" in message
    assert TOKEN not in message
    token_file.chmod(0o600)  # the fix the message gives works
    assert token_store.load(API).token == TOKEN  # type: ignore[union-attr]


def test_logout_still_works_on_a_loose_file(token_file: Path) -> None:
    token_store.save(API, TOKEN)
    token_file.chmod(0o644)
    assert token_store.delete(API) == ["~/.config/onboard/token"]
    assert not token_file.exists()


@pytest.mark.skipif(os.geteuid() != 0, reason="only root can give a file to another user")
def test_a_file_owned_by_someone_else_is_refused(token_file: Path) -> None:
    token_store.save(API, TOKEN)
    os.chown(token_file, 65534, 65534)
    with pytest.raises(TokenStoreError, match="belongs to another user"):
        token_store.load(API)
    with pytest.raises(TokenStoreError, match="belongs to another user"):
        token_store.save(API, "ghp_new")  # and never merged into or overwritten silently


def test_a_symlink_is_refused(token_file: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "planted"
    elsewhere.write_text(json.dumps({"version": 1, "tokens": {API: "ghp_planted"}}))
    elsewhere.chmod(0o600)
    token_file.parent.mkdir(parents=True)
    token_file.symlink_to(elsewhere)
    with pytest.raises(TokenStoreError, match="symbolic link"):
        token_store.load(API)


@pytest.mark.parametrize("content", [b"ghp_plain", b"\xff\xfe", b"[]", b'{"tokens": []}'], ids=str)
def test_a_damaged_file_says_how_to_recover(token_file: Path, content: bytes) -> None:
    token_file.parent.mkdir(parents=True)
    token_file.write_bytes(content)
    token_file.chmod(0o600)
    with pytest.raises(TokenStoreError, match=r"is damaged.*onboard auth login"):
        token_store.load(API)


def test_an_unwritable_config_folder_is_a_clear_error(isolated_home: Path) -> None:
    # Works for root too: a regular file where the folder should be.
    (isolated_home / ".config").mkdir()
    (isolated_home / ".config" / "onboard").write_text("not a folder")
    with pytest.raises(TokenStoreError, match=r"Cannot save your token in ~/.config/onboard"):
        token_store.save(API, TOKEN)
