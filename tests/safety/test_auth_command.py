"""``onboard auth login|status|logout`` against the practice forge over real HTTP.

The token is checked with GET /user before it is stored, stored in the keyring (or the private
file), and never printed: not by login, not by status, not in an error.
"""

from __future__ import annotations

import io
import os
import pty
import select
import sys
import time
from pathlib import Path

import pytest

from onboard.cli import main
from onboard.forge import token_store
from onboard.practice import PracticeForge
from tests.safety.keyrings import MemoryKeyring

REPO_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def api(practice_forge: PracticeForge, monkeypatch: pytest.MonkeyPatch) -> str:
    """Point onboard at the practice forge, as a user would with GITHUB_API_URL."""
    monkeypatch.setenv("GITHUB_API_URL", practice_forge.api_url)
    monkeypatch.setenv("PATH", "/usr/bin:/bin")  # no `gh` from the developer's machine
    return practice_forge.api_url


def run_auth(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    *args: str,
    stdin: str = "",
) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    status = main(["auth", *args])
    out, err = capsys.readouterr()
    return status, out, err


def user_requests(forge: PracticeForge) -> list[tuple[int, bool]]:
    return [(r.status, r.authenticated) for r in forge.requests if r.path == "/user"]


def test_login_checks_the_token_then_stores_it_in_the_keyring(
    api: str,
    practice_forge: PracticeForge,
    memory_keyring: MemoryKeyring,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    token = practice_forge.token
    status, out, err = run_auth(monkeypatch, capsys, "login", "--with-token", stdin=token + "\n")
    assert status == 0, err
    assert "Signed in to 127.0.0.1" in out and "as learner" in out
    assert "stored in your system keyring" in out
    assert token not in out + err
    assert memory_keyring.secrets == {("onboard", api): token}
    assert user_requests(practice_forge) == [(200, True)]  # verified with GET /user
    assert not token_store.token_file().exists()


def test_a_rejected_token_is_not_saved(
    api: str,
    practice_forge: PracticeForge,
    memory_keyring: MemoryKeyring,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    wrong = "ghp_" + "0" * 36
    status, out, err = run_auth(monkeypatch, capsys, "login", "--with-token", stdin=wrong)
    assert status == 1
    assert "did not accept this token (401)" in err
    assert "Nothing was saved" in err
    assert wrong not in out + err
    assert memory_keyring.secrets == {}
    assert not token_store.token_file().exists()
    assert user_requests(practice_forge) == [(401, False)]


def test_an_unreachable_api_saves_nothing(
    memory_keyring: MemoryKeyring,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("GITHUB_API_URL", "http://127.0.0.1:9")  # discard port: nothing listens
    status, _, err = run_auth(monkeypatch, capsys, "login", "--with-token", stdin="ghp_abc")
    assert status == 1
    assert "Could not check the token" in err and "Nothing was saved" in err
    assert memory_keyring.secrets == {}


@pytest.mark.parametrize(
    ("typed", "words"),
    [
        ("", "No token was given"),
        ("   \n", "No token was given"),
        ("ghp_one ghp_two", "contains spaces"),
        ("ghp_a\nghp_b", "contains spaces"),
        ("ghp_\x1b]0;owned\x07", "does not look like a GitHub token"),
        ("ghp_" + "x" * 600, "does not look like a GitHub token"),
    ],
    ids=["empty", "blank", "two-words", "two-lines", "escape", "huge"],
)
def test_malformed_tokens_are_refused_before_any_request(
    api: str,
    practice_forge: PracticeForge,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    typed: str,
    words: str,
) -> None:
    status, _, err = run_auth(monkeypatch, capsys, "login", "--with-token", stdin=typed)
    assert status == 1
    assert words in err
    assert "\x1b" not in err
    assert user_requests(practice_forge) == []


def test_login_never_takes_the_token_as_an_argument(
    api: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as caught:
        run_auth(monkeypatch, capsys, "login", "ghp_in_shell_history")
    assert caught.value.code == 2
    assert not token_store.token_file().exists()


def test_login_without_a_terminal_asks_for_with_token(
    api: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    status, _, err = run_auth(monkeypatch, capsys, "login", stdin="ghp_piped")
    assert status == 1
    assert "--with-token" in err


def test_login_falls_back_to_the_private_file_without_a_keyring(
    api: str,
    practice_forge: PracticeForge,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, out, _ = run_auth(
        monkeypatch, capsys, "login", "--with-token", stdin=practice_forge.token
    )
    assert status == 0
    assert "stored in ~/.config/onboard/token" in out
    assert "plain-text file that only you can read" in out  # said, not done silently
    path = token_store.token_file()
    assert path.stat().st_mode & 0o777 == 0o600
    assert practice_forge.token in path.read_text()


def test_status_names_the_source_and_never_shows_the_token(
    api: str,
    practice_forge: PracticeForge,
    memory_keyring: MemoryKeyring,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, out, _ = run_auth(monkeypatch, capsys, "status")
    assert status == 1
    assert "Not signed in" in out

    token = practice_forge.token
    run_auth(monkeypatch, capsys, "login", "--with-token", stdin=token)
    status, out, err = run_auth(monkeypatch, capsys, "status")
    assert status == 0, err
    assert "from your system keyring" in out
    assert "belongs to learner" in out
    assert "****" in out
    assert token not in out + err
    assert token[-6:] not in out + err  # not even a tail of it

    monkeypatch.setenv("GH_TOKEN", token)
    status, out, err = run_auth(monkeypatch, capsys, "status")
    assert status == 0, err
    assert "from GH_TOKEN" in out
    assert "also stored in your system keyring; GH_TOKEN comes first" in out
    assert token not in out + err


def test_status_reports_a_rejected_token(
    api: str,
    memory_keyring: MemoryKeyring,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    token_store.save(api, "ghp_revoked_long_ago")
    status, out, err = run_auth(monkeypatch, capsys, "status")
    assert status == 1
    assert "did not accept the token from your system keyring" in err
    assert "ghp_revoked_long_ago" not in out + err


def test_status_refuses_a_file_others_can_read(
    api: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    token_store.save(api, "ghp_world_readable")
    token_store.token_file().chmod(0o644)
    status, out, err = run_auth(monkeypatch, capsys, "status")
    assert status == 1
    assert "chmod 600 ~/.config/onboard/token" in err
    assert "ghp_world_readable" not in out + err


def test_logout_forgets_the_token(
    api: str,
    practice_forge: PracticeForge,
    memory_keyring: MemoryKeyring,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    run_auth(monkeypatch, capsys, "login", "--with-token", stdin=practice_forge.token)
    status, out, _ = run_auth(monkeypatch, capsys, "logout")
    assert status == 0
    assert "Forgot the token" in out and "your system keyring" in out
    assert memory_keyring.secrets == {}
    status, out, _ = run_auth(monkeypatch, capsys, "status")
    assert status == 1 and "Not signed in" in out

    monkeypatch.setenv("GITHUB_TOKEN", "ghp_env")
    status, out, err = run_auth(monkeypatch, capsys, "logout")
    assert status == 0
    assert "No token" in out
    assert "GITHUB_TOKEN is set" in err


def _read_until(fd: int, needle: bytes, deadline: float) -> bytes:
    seen = b""
    while needle not in seen:
        remaining = deadline - time.monotonic()
        assert remaining > 0, f"timed out waiting for {needle!r}; saw {seen!r}"
        ready, _, _ = select.select([fd], [], [], remaining)
        if not ready:
            continue
        try:
            chunk = os.read(fd, 4096)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        seen += chunk
    return seen


def test_typed_token_is_not_echoed_on_a_real_terminal(
    api: str, practice_forge: PracticeForge
) -> None:
    """A real pseudo-terminal: what the person sees is exactly what the pty shows."""
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO_ROOT),
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",  # never the real keyring
    }
    pid, fd = pty.fork()
    if pid == 0:  # the child: onboard, with the pty as its controlling terminal
        os.execvpe(sys.executable, [sys.executable, "-m", "onboard", "auth", "login"], env)  # noqa: S606
    deadline = time.monotonic() + 60
    try:
        screen = _read_until(fd, b"Token:", deadline)
        os.write(fd, practice_forge.token.encode() + b"\n")
        screen += _read_until(fd, b"\x00never\x00", deadline)  # read until the child exits
    finally:
        _, wait_status = os.waitpid(pid, 0)
        os.close(fd)
    text = screen.decode("utf-8", "replace")
    assert os.waitstatus_to_exitcode(wait_status) == 0, text
    assert "Typing is not shown" in text
    assert "Signed in" in text
    assert practice_forge.token not in text
    assert practice_forge.token in token_store.token_file().read_text()
