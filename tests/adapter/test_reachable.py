"""The fast "is anything there?" check before the first real request."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest

from onboard.forge.base import ForgeConfig, ForgeUnreachable
from onboard.forge.reachable import check_reachable


@pytest.fixture
def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def listening_port() -> Iterator[int]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        yield int(sock.getsockname()[1])


@pytest.fixture(autouse=True)
def no_proxy_from_the_machine(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "no_proxy", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)


def test_a_refused_connection_is_unreachable(closed_port: int) -> None:
    config = ForgeConfig(api_url=f"http://127.0.0.1:{closed_port}")
    with pytest.raises(ForgeUnreachable, match=r"Cannot reach 127\.0\.0\.1:.*internet connection"):
        check_reachable(config)


def test_a_name_that_does_not_resolve_is_unreachable() -> None:
    config = ForgeConfig(api_url="https://no-such-host.invalid")
    with pytest.raises(ForgeUnreachable, match=r"no-such-host\.invalid could not be looked up"):
        check_reachable(config)


def test_a_listening_server_passes(listening_port: int) -> None:
    check_reachable(ForgeConfig(api_url=f"http://127.0.0.1:{listening_port}"))


def test_behind_a_proxy_the_proxy_is_what_must_answer(
    closed_port: int, listening_port: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """requests would go through the proxy: a direct path to the API does not matter."""
    api = ForgeConfig(api_url=f"http://127.0.0.1:{closed_port}")
    monkeypatch.setenv("http_proxy", f"http://127.0.0.1:{listening_port}")
    monkeypatch.setenv("no_proxy", "")
    check_reachable(api)  # the API's port is closed, but the proxy listens
    monkeypatch.setenv("http_proxy", f"http://127.0.0.1:{closed_port}")
    with pytest.raises(ForgeUnreachable):
        check_reachable(ForgeConfig(api_url=f"http://127.0.0.1:{listening_port}"))
