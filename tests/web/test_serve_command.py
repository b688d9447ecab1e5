"""``onboard serve`` without a browser: its options, its guards and the shared practice forge."""

from __future__ import annotations

import shlex
import socket
import subprocess
import sys
from pathlib import Path

import pytest
import requests

from onboard.cli import main
from onboard.cli.serve import app_command, exposure_warning, is_loopback
from onboard.forge.base import ForgeUnreachable
from onboard.forge.connect import SHARED_PRACTICE_ENV, PracticeSession
from onboard.forge.github import GitHubForge
from onboard.practice import PracticeForge
from tests.web.conftest import Served, start_serve

ALL_INTERFACES = "0.0.0.0"  # noqa: S104 - the address a workshop binds to, and must be warned about


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["serve", "--port", "0"], "--port must be between 1 and 65535"),
        (["serve", "--port", "70000"], "--port must be between 1 and 65535"),
        (["serve", "--data", "forge"], "use it with --practice"),
        (["serve", "--public-url", "ftp://example.org"], "--public-url must be an http"),
    ],
)
def test_usage_errors_exit_2(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 2
    assert message in capsys.readouterr().err


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.8.9.10", True),
        ("localhost", True),
        ("::1", True),
        ("[::1]", True),
        (ALL_INTERFACES, False),
        ("::", False),
        ("192.168.1.20", False),
        ("workshop.example.org", False),
        ("localhost.example.org", False),
    ],
)
def test_is_loopback(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


def test_exposure_warning_says_who_can_use_it_and_as_whom() -> None:
    everywhere = exposure_warning(ALL_INTERFACES, practice=False)
    assert "anyone" in everywhere
    assert "every network this computer is on" in everywhere
    assert "your GitHub token" in everywhere
    assert "127.0.0.1" in everywhere
    assert "the network of 10.0.0.5" in exposure_warning("10.0.0.5", practice=True)


def test_app_command_is_quoted_execs_and_carries_no_secret(tmp_path: Path) -> None:
    data = tmp_path / "a folder; rm -rf ~"
    command = app_command(practice_data=data)
    assert command.startswith("exec ")
    result = subprocess.run(
        ["sh", "-c", command.replace("exec ", "exec printf '%s\\n' ", 1)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.splitlines() == [
        sys.executable,
        "-m",
        "onboard",
        "practice",
        "--data",
        str(data),
    ]
    assert app_command() == "exec " + shlex.join([sys.executable, "-m", "onboard"])


def test_shared_practice_session_connects_to_the_running_forge(
    practice_forge: PracticeForge,
) -> None:
    session = PracticeSession(
        practice_forge.data_dir, environ={SHARED_PRACTICE_ENV: practice_forge.api_url + "/"}
    )
    config = session.start()
    assert config.practice
    assert config.api_url == practice_forge.api_url
    assert config.token == practice_forge.token
    assert GitHubForge(config).whoami() == practice_forge.user  # the token really works there
    session.stop()
    assert practice_forge.running  # only the server that started it stops it
    assert GitHubForge(config).whoami() == practice_forge.user


def test_shared_practice_session_without_token_says_what_to_check(tmp_path: Path) -> None:
    session = PracticeSession(tmp_path / "nothing", environ={SHARED_PRACTICE_ENV: "http://x"})
    with pytest.raises(ForgeUnreachable, match=r"onboard serve --practice"):
        session.start()


def joined(url: str, name: str = "Ada") -> requests.Session:
    """An HTTP client that joined the room: the page it gets draws the learner's app.

    The cookie is sent whatever Host header a request names (a cookie jar would not)."""
    client = requests.Session()
    answer = client.post(f"{url}join", json={"name": name}, timeout=10)
    assert answer.status_code == 200, answer.text
    client.headers["Cookie"] = f"onboard_learner={answer.cookies['onboard_learner']}"
    client.cookies.clear()
    return client


def test_loopback_server_refuses_other_host_names(
    serve_practice: Served,
) -> None:
    client = joined(serve_practice.url)
    page = client.get(serve_practice.url, timeout=5)
    assert page.status_code == 200
    assert f'data-session-websocket-url="{serve_practice.url.replace("http", "ws")}ws"' in (
        page.text
    )
    port = serve_practice.url.rsplit(":", 1)[1].strip("/")
    rebound = client.get(serve_practice.url, headers={"Host": f"evil.example:{port}"}, timeout=5)
    assert rebound.status_code == 403
    localhost = client.get(serve_practice.url, headers={"Host": f"localhost:{port}"}, timeout=5)
    assert localhost.status_code == 200
    assert f"ws://localhost:{port}/ws" in localhost.text  # the page follows the address used


def test_other_host_warns_and_pages_follow_the_address_used(
    isolated_home: Path, tmp_path: Path
) -> None:
    served = start_serve(host=ALL_INTERFACES, logs=tmp_path / "logs")
    try:
        port = served.url.rsplit(":", 1)[1].strip("/")
        client = joined(served.url)
        page = client.get(served.url, headers={"Host": f"workshop.example:{port}"}, timeout=5)
        assert page.status_code == 200  # anyone on the network may, as the warning says
        assert f"ws://workshop.example:{port}/ws" in page.text
    finally:
        assert served.stop() == 0
    _out, err = served.output()
    assert f"warning: serving on {ALL_INTERFACES}" in err
    assert "anyone who can reach this computer" in err
    assert "Traceback" not in err


def test_busy_port_is_one_clear_line_and_exit_1(tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "onboard", "serve", "--port", str(port)],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
    assert result.returncode == 1
    assert f"cannot serve on 127.0.0.1:{port}" in result.stderr
    assert "Traceback" not in result.stderr
