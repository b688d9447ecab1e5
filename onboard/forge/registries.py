"""Asking package registries where a package's source lives: PyPI's JSON API and npm's registry.

Both are public, unauthenticated GETs. They are made politely and defensively: a short timeout;
a few at a time; every answer (only the links, not the document) cached on disk for a week,
revalidated with its ETag afterwards; the first connection failure marks that registry
unreachable so an offline run fails fast instead of waiting for a timeout per package; and any
failure becomes an :class:`~onboard.core.dependencies.resolution.Evidence` failure, never an
exception.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import requests

from onboard import __version__
from onboard.core.dependencies.resolution import Evidence
from onboard.core.storage import paths
from onboard.forge.cache import CachedResponse, ResponseCache

PYPI_URL = "https://pypi.org"
NPM_URL = "https://registry.npmjs.org"
SOURCES = {"pypi": "PyPI metadata", "npm": "npm registry"}
#: A found package's links are reused without asking for this long (they rarely change).
FRESH_SECONDS = 7 * 24 * 3600
#: A package the registry did not know is asked about again sooner (it may be published since).
FRESH_MISSING_SECONDS = 24 * 3600
MAX_PARALLEL_LOOKUPS = 8
#: npm documents hold every version ever published; a few packages reach tens of megabytes.
MAX_DOCUMENT_BYTES = 64_000_000
USER_AGENT = f"onboard/{__version__} (dependency source lookup)"

Key = tuple[str, str]


@dataclass(frozen=True)
class RegistryConfig:
    pypi_url: str = PYPI_URL
    npm_url: str = NPM_URL
    #: Seconds to wait for a registry; a lookup is a nice-to-have, never worth a long wait.
    timeout: float = 5.0
    #: Use cached answers only; ask no registry.
    offline: bool = False

    @classmethod
    def from_env(
        cls, environ: Mapping[str, str] | None = None, *, offline: bool = False
    ) -> RegistryConfig:
        """``ONBOARD_PYPI_URL`` and ``ONBOARD_NPM_URL`` point at a mirror (or a test server)."""
        env = os.environ if environ is None else environ
        return cls(
            pypi_url=(env.get("ONBOARD_PYPI_URL") or PYPI_URL).rstrip("/"),
            npm_url=(env.get("ONBOARD_NPM_URL") or NPM_URL).rstrip("/"),
            offline=offline,
        )

    def url_for(self, ecosystem: str, name: str) -> str:
        if ecosystem == "pypi":
            return f"{self.pypi_url}/pypi/{quote(name, safe='')}/json"
        if ecosystem == "npm":
            return f"{self.npm_url}/{quote(name, safe='@')}"  # @scope/name → @scope%2Fname
        raise ValueError(f"no registry for {ecosystem} packages")


class Registries:
    """Looks packages up; thread-safe, one HTTP session per worker thread."""

    def __init__(self, config: RegistryConfig, *, cache: ResponseCache | None = None) -> None:
        self.config = config
        self._cache = cache or ResponseCache(paths.cache_dir() / "registries")
        self._local = threading.local()
        self._lock = threading.Lock()
        self._down: dict[str, str] = {}
        #: HTTP requests actually sent (cache hits cost none), for reports and benchmarks.
        self.requests = 0

    @functools.cached_property
    def _pool(self) -> ThreadPoolExecutor:
        return ThreadPoolExecutor(max_workers=MAX_PARALLEL_LOOKUPS, thread_name_prefix="registry")

    def close(self) -> None:
        if "_pool" in self.__dict__:
            self._pool.shutdown(wait=False, cancel_futures=True)

    def lookup_all(
        self, keys: Sequence[Key], progress: Callable[[int, int], None] | None = None
    ) -> dict[Key, Evidence]:
        """Evidence for every ``(ecosystem, name)``, looked up concurrently."""
        unique = list(dict.fromkeys(keys))
        results: dict[Key, Evidence] = {}
        for done, (key, evidence) in enumerate(
            zip(unique, self._pool.map(lambda k: self.lookup(*k), unique), strict=True), start=1
        ):
            results[key] = evidence
            if progress is not None:
                progress(done, len(unique))
        return results

    def lookup(self, ecosystem: str, name: str) -> Evidence:
        """What the registry of ``ecosystem`` says about ``name``: links, missing, or a failure."""
        source = SOURCES.get(ecosystem)
        if source is None:
            return Evidence(ecosystem, failure=f"onboard knows no registry for {ecosystem}")
        url = self.config.url_for(ecosystem, name)
        key = ResponseCache.key(url, {}, "registry")
        cached = self._cache.get(key)
        if cached is not None and self._fresh(cached):
            return _evidence(source, cached.data)
        if self.config.offline:
            if cached is not None:
                return _evidence(source, cached.data)
            return Evidence(source, failure="the registry was not asked (offline)")
        base = url.split("/", 3)[:3]
        origin = "/".join(base)
        with self._lock:
            down = self._down.get(origin)
        if down is None:
            try:
                return self._fetch(source, ecosystem, url, key, cached)
            except _Unreachable as error:
                with self._lock:
                    self._down.setdefault(origin, str(error))
                down = str(error)
            except _Failed as error:
                down = str(error)
        if cached is not None:
            return _evidence(source, cached.data)  # last known answer beats none
        return Evidence(source, failure=down)

    @staticmethod
    def _fresh(cached: CachedResponse) -> bool:
        found = isinstance(cached.data, dict) and cached.data.get("found")
        limit = FRESH_SECONDS if found else FRESH_MISSING_SECONDS
        return time.time() - cached.fetched_at < limit

    @property
    def _session(self) -> requests.Session:
        session = getattr(self._local, "session", None)
        if session is None:
            session = requests.Session()
            session.headers.update({"User-Agent": USER_AGENT, "Accept": "application/json"})
            self._local.session = session
        return session

    def _fetch(
        self, source: str, ecosystem: str, url: str, key: str, cached: CachedResponse | None
    ) -> Evidence:
        headers = {"If-None-Match": cached.etag} if cached is not None and cached.etag else {}
        with self._lock:
            self.requests += 1
        try:
            response = self._session.get(
                url, headers=headers, timeout=self.config.timeout, stream=True
            )
        except requests.Timeout as error:
            raise _Unreachable("the registry did not answer in time") from error
        except requests.ConnectionError as error:
            raise _Unreachable("the registry is unreachable") from error
        except requests.RequestException as error:
            raise _Failed(f"asking the registry failed ({type(error).__name__})") from error
        with contextlib.closing(response):
            if response.status_code == 304 and cached is not None:
                self._cache.touch(key, cached)
                return _evidence(source, cached.data)
            if response.status_code in (404, 410):
                data: dict[str, Any] = {"found": False, "urls": []}
            elif response.status_code == 200:
                document = _json_body(response)
                links = pypi_links(document) if ecosystem == "pypi" else npm_links(document)
                data = {"found": True, "urls": [list(pair) for pair in links]}
            elif response.status_code == 429:
                raise _Failed("the registry asks us to slow down (too many requests)")
            else:
                raise _Failed(f"the registry answered with error {response.status_code}")
            self._cache.put(
                key,
                CachedResponse(url, response.headers.get("ETag"), time.time(), data),
            )
        return _evidence(source, data)


class _Unreachable(Exception):
    """No answer at all: every later lookup at the same registry would fail the same way."""


class _Failed(Exception):
    """An answer that is not usable for this package (an error status, a malformed body)."""


def _json_body(response: requests.Response) -> Any:
    chunks: list[bytes] = []
    size = 0
    try:
        for chunk in response.iter_content(chunk_size=65536):
            size += len(chunk)
            if size > MAX_DOCUMENT_BYTES:
                raise _Failed("the registry's answer is too large")
            chunks.append(chunk)
    except requests.RequestException as error:
        raise _Unreachable("the registry stopped answering") from error
    try:
        return json.loads(b"".join(chunks))
    except (ValueError, RecursionError) as error:
        raise _Failed("the registry sent an answer onboard could not understand") from error


def _evidence(source: str, data: Any) -> Evidence:
    if not isinstance(data, dict) or not data.get("found"):
        return Evidence(source, missing=True)
    urls = tuple(
        (str(pair[0]), str(pair[1]))
        for pair in data.get("urls") or []
        if isinstance(pair, list) and len(pair) == 2
    )
    return Evidence(source, urls)


def pypi_links(document: Any) -> list[tuple[str, str]]:
    """``info.project_urls`` (labelled) and ``info.home_page`` of a PyPI JSON document."""
    info = document.get("info") if isinstance(document, dict) else None
    if not isinstance(info, dict):
        return []
    links: list[tuple[str, str]] = []
    project_urls = info.get("project_urls")
    if isinstance(project_urls, dict):
        links += [(str(k), v) for k, v in project_urls.items() if isinstance(v, str)]
    home_page = info.get("home_page")
    if isinstance(home_page, str) and home_page.strip():
        links.append(("Homepage", home_page.strip()))
    return links


def npm_links(document: Any) -> list[tuple[str, str]]:
    """``repository`` (a string or ``{type, url}``), ``homepage`` and ``bugs`` of an npm document.

    The top level mirrors the latest version; older documents only have them per version, so
    the ``latest`` version's fields are the fallback.
    """
    if not isinstance(document, dict):
        return []
    sources = [document]
    tags = document.get("dist-tags")
    latest = tags.get("latest") if isinstance(tags, dict) else None
    versions = document.get("versions")
    if isinstance(latest, str) and isinstance(versions, dict):
        version = versions.get(latest)
        if isinstance(version, dict):
            sources.append(version)
    links: list[tuple[str, str]] = []
    for source in sources:
        repository = source.get("repository")
        if isinstance(repository, dict):
            repository = repository.get("url")
        if isinstance(repository, str):
            links.append(("repository", repository))
        if isinstance(source.get("homepage"), str):
            links.append(("homepage", source["homepage"]))
        bugs = source.get("bugs")
        bugs = bugs.get("url") if isinstance(bugs, dict) else bugs
        if isinstance(bugs, str):
            links.append(("bugs", bugs))
    return list(dict.fromkeys(links))
