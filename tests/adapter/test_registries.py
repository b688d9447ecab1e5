"""The registry client over real HTTP: links, 404s, ETags, the cache, and every way to fail."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from onboard.core.dependencies.resolution import Evidence
from onboard.forge import registries as registries_module
from onboard.forge.cache import ResponseCache
from onboard.forge.registries import (
    MAX_PARALLEL_LOOKUPS,
    NPM_URL,
    PYPI_URL,
    Registries,
    RegistryConfig,
)
from tests.registry_server import RegistryServer


def config_for(server: RegistryServer, **options: object) -> RegistryConfig:
    return RegistryConfig(pypi_url=server.pypi_url, npm_url=server.npm_url, **options)  # type: ignore[arg-type]


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_pypi_and_npm_links(registry: RegistryServer, tmp_path: Path) -> None:
    client = Registries(config_for(registry), cache=ResponseCache(tmp_path / "cache"))
    tiny = client.lookup("pypi", "tiny-calc")
    assert ("Source", "https://github.com/practice/tiny-calc") in tiny.urls
    assert tiny.source == "PyPI metadata"
    words = client.lookup("npm", "kind-words")
    assert words.urls[0] == ("repository", "git+https://github.com/practice/kind-words.git")
    scoped = client.lookup("npm", "@practice/kind-words-cli")  # fields on the version only
    assert ("repository", "github:practice/kind-words") in scoped.urls
    assert "/npm-registry/@practice%2Fkind-words-cli" in registry.paths()
    assert client.lookup("pypi", "never-published") == Evidence("PyPI metadata", missing=True)
    assert client.lookup("npm", "no-such-thing").missing
    assert client.requests == 5


def test_answers_are_cached_then_revalidated_with_etags(
    registry: RegistryServer, tmp_path: Path
) -> None:
    cache = ResponseCache(tmp_path / "cache")
    first = Registries(config_for(registry), cache=cache).lookup("pypi", "tiny-calc")
    again = Registries(config_for(registry), cache=cache)
    assert again.lookup("pypi", "tiny-calc") == first
    assert again.requests == 0  # fresh for a week: not even a conditional request
    for entry in (tmp_path / "cache").rglob("*.json"):  # a week later…
        key = entry.stem
        cached = cache.get(key)
        assert cached is not None
        cached.fetched_at -= 8 * 24 * 3600
        cache.put(key, cached)
    later = Registries(config_for(registry), cache=cache)
    assert later.lookup("pypi", "tiny-calc") == first
    assert registry.requests[-1] == ("/pypi-registry/pypi/tiny-calc/json", 304)
    # Only links are kept, not the registry's whole document.
    assert all(entry.stat().st_size < 2000 for entry in (tmp_path / "cache").rglob("*.json"))


def test_offline_uses_the_cache_and_asks_nobody(registry: RegistryServer, tmp_path: Path) -> None:
    cache = ResponseCache(tmp_path / "cache")
    known = Registries(config_for(registry), cache=cache).lookup("npm", "left-pad")
    registry.requests.clear()
    offline = Registries(config_for(registry, offline=True), cache=cache)
    assert offline.lookup("npm", "left-pad") == known
    unknown = offline.lookup("npm", "kind-words")
    assert unknown.failure == "the registry was not asked (offline)"
    assert registry.requests == []


def test_an_unreachable_registry_fails_fast_once(tmp_path: Path) -> None:
    port = closed_port()
    client = Registries(
        RegistryConfig(pypi_url=f"http://127.0.0.1:{port}", npm_url=f"http://127.0.0.1:{port}"),
        cache=ResponseCache(tmp_path / "cache"),
    )
    names = [("pypi", f"package-{index}") for index in range(40)]
    started = time.monotonic()
    answers = client.lookup_all(names)
    assert time.monotonic() - started < 5
    assert {answer.failure for answer in answers.values()} == {"the registry is unreachable"}
    assert client.requests <= MAX_PARALLEL_LOOKUPS  # the rest knew it was down


def test_the_last_known_answer_beats_none(registry: RegistryServer, tmp_path: Path) -> None:
    cache = ResponseCache(tmp_path / "cache")
    known = Registries(config_for(registry), cache=cache).lookup("pypi", "tiny-calc")
    for entry in (tmp_path / "cache").rglob("*.json"):
        cached = cache.get(entry.stem)
        assert cached is not None
        cached.fetched_at = 0
        cache.put(entry.stem, cached)
    registry.stop()
    stale = Registries(config_for(registry), cache=cache).lookup("pypi", "tiny-calc")
    assert stale == known


class Misbehaving(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if "slow" in self.path:
            time.sleep(1)
        if "error" in self.path:
            self.send_response(503)
            self.end_headers()
            return
        if "limited" in self.path:
            self.send_response(429)
            self.end_headers()
            return
        body = b"<html>captive portal</html>" if "garbage" in self.path else b"{" * 10
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        with contextlib.suppress(OSError):  # the client gave up waiting, as it should
            self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def misbehaving() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Misbehaving)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize(
    ("name", "failure"),
    [
        ("error", "the registry answered with error 503"),
        ("limited", "the registry asks us to slow down (too many requests)"),
        ("garbage", "the registry sent an answer onboard could not understand"),
        ("braces", "the registry sent an answer onboard could not understand"),
        ("slow", "the registry did not answer in time"),
    ],
)
def test_failures_become_evidence_not_exceptions(
    misbehaving: str, tmp_path: Path, name: str, failure: str
) -> None:
    client = Registries(
        RegistryConfig(pypi_url=misbehaving, npm_url=misbehaving, timeout=0.5),
        cache=ResponseCache(tmp_path / "cache"),
    )
    assert client.lookup("npm", name).failure == failure


def test_a_huge_document_is_refused(
    registry: RegistryServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(registries_module, "MAX_DOCUMENT_BYTES", 1000)
    client = Registries(config_for(registry), cache=ResponseCache(tmp_path / "cache"))
    assert client.lookup("pypi", "tiny-calc").failure == "the registry's answer is too large"


def test_configuration_from_the_environment() -> None:
    assert RegistryConfig.from_env({}) == RegistryConfig(PYPI_URL, NPM_URL)
    mirror = RegistryConfig.from_env(
        {
            "ONBOARD_PYPI_URL": "http://mirror.invalid/pypi/",
            "ONBOARD_NPM_URL": "http://npm.invalid",
        },
        offline=True,
    )
    assert mirror.url_for("pypi", "tiny-calc") == "http://mirror.invalid/pypi/pypi/tiny-calc/json"
    assert mirror.url_for("npm", "@a/b") == "http://npm.invalid/@a%2Fb"
    assert mirror.offline


def test_a_document_without_links(registry: RegistryServer, tmp_path: Path) -> None:
    client = Registries(config_for(registry), cache=ResponseCache(tmp_path / "cache"))
    quiet = client.lookup("pypi", "quiet-package")
    assert quiet.urls == () and not quiet.missing and quiet.failure is None
