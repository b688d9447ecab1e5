"""Fixtures shared by every test: an isolated home, real practice forges over HTTP + git, and
the local package registries.

Nothing here fakes PyGithub or GitPython: tests talk to the project's own GitHub-compatible
practice forge on loopback, exactly as users do in practice mode.

Which forge to take:

- ``practice_forge`` (and ``forge_config``, a client's view of it): a fresh seeded forge for one
  test, to change at will (fork, push, add issues, faults, latency, limits);
- ``forge_factory``: more forges, or one with other options (limits, no seed, a data folder to
  restart on);
- ``read_forge`` (and ``read_session``, a signed-in HTTP session): one seeded forge per test
  process, shared by every test that only reads; starting none per test is what makes it cheap.
  A test that changes it fails (see :func:`read_forge`).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from tests import bytecode, garbage  # noqa: F401  (first: before onboard's modules are imported)

# isort: split

from onboard.core.storage.state import StateStore
from onboard.forge.base import ForgeConfig
from onboard.practice import PracticeForge
from tests.registry_server import RegistryServer


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Keep every test away from the real home directory, tokens and git config."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("ONBOARD_WORKSPACE", str(home / "onboard-projects"))
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(home / ".gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    # Never read or write a developer's real keychain; tests that need a keyring set their own.
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    # Apps the tests start as programs (the CLI, web mode) skip animations, as make_app's do.
    monkeypatch.setenv("TEXTUAL_ANIMATIONS", "none")
    for name in ("GH_TOKEN", "GITHUB_TOKEN", "GITHUB_API_URL"):
        monkeypatch.delenv(name, raising=False)
    (home / ".gitconfig").write_text(
        "[user]\n\tname = Test Learner\n\temail = learner@practice.invalid\n"
        "[init]\n\tdefaultBranch = main\n"
    )
    return home


@pytest.fixture(scope="session")
def _seeded_forge_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A practice forge's data folder as its first start leaves it, made once per process.

    Seeding (the projects' TOML, the first saves of ``forge.json``) costs more than copying its
    result. The copy keeps no token and no ports: each test's forge makes a token of its own
    and listens on fresh ports, so nothing aimed at an earlier test's forge reaches it.
    """
    folder = tmp_path_factory.mktemp("seeded") / "forge"
    PracticeForge(folder).start().stop()
    for name in ("token", "ports.json", "git-daemon.log"):
        (folder / name).unlink(missing_ok=True)
    return folder


def _link_git_objects(source: str, target: str) -> object:
    """Hard-link git's object files, copy the rest: git never changes an object file once
    written (new objects are new files, renamed into place), so every test's forge can share
    them, while refs, configs and ``forge.json``, which tests change, are each test's own."""
    if f"{os.sep}objects{os.sep}" in source:
        try:
            os.link(source, target)
            return target
        except OSError:  # another file system, or links refused: copy instead
            pass
    return shutil.copy2(source, target)


@pytest.fixture
def practice_forge(tmp_path: Path, _seeded_forge_data: Path) -> Iterator[PracticeForge]:
    """A seeded practice forge of the test's own, to change at will."""
    shutil.copytree(
        _seeded_forge_data, tmp_path / "forge", symlinks=True, copy_function=_link_git_objects
    )
    with PracticeForge(tmp_path / "forge") as forge:
        yield forge


@pytest.fixture
def forge_config(practice_forge: PracticeForge) -> ForgeConfig:
    return ForgeConfig(
        api_url=practice_forge.api_url,
        token=practice_forge.token,
        token_source="the practice forge",
        practice=True,
    )


@pytest.fixture
def state_store(isolated_home: Path) -> StateStore:
    return StateStore(isolated_home / ".local" / "share" / "onboard" / "state.json")


@pytest.fixture
def forge_factory(tmp_path: Path) -> Iterator[Callable[..., PracticeForge]]:
    """Start forges on demand (each on its own data dir unless given one); stop them all."""
    started: list[PracticeForge] = []

    def factory(data_dir: Path | None = None, **kwargs: Any) -> PracticeForge:
        directory = data_dir or tmp_path / f"forge-{len(started)}"
        forge = PracticeForge(directory, **kwargs).start()
        started.append(forge)
        return forge

    yield factory
    for forge in started:
        forge.stop()


@pytest.fixture(scope="session")
def _shared_read_forge(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PracticeForge]:
    # Searches are capped at 30 a minute by default: the read-only tests make far more.
    with PracticeForge(tmp_path_factory.mktemp("read-forge"), search_limit=10_000) as forge:
        yield forge


@pytest.fixture
def read_forge(_shared_read_forge: PracticeForge) -> Iterator[PracticeForge]:
    """The seeded forge every read-only test of this process shares, checked after each test.

    The store saves ``forge.json`` after every change, so an unchanged file means no test
    wrote; faults, latency and fork delays would change what later tests see as well.
    """
    forge = _shared_read_forge
    before = forge.store.path.stat().st_mtime_ns
    yield forge
    problems = []
    if forge.store.path.stat().st_mtime_ns != before:
        problems.append("changed its data")
    if len(forge.faults):
        problems.append("left faults")
    if forge.latency or forge.fork_delay:
        problems.append("left a latency or a fork delay")
    assert not problems, (
        f"the test {' and '.join(problems)} on the shared read-only forge; "
        "take practice_forge or forge_factory to change a forge"
    )


@pytest.fixture(scope="session")
def read_session(_shared_read_forge: PracticeForge) -> Iterator[requests.Session]:
    """An HTTP session signed in to :func:`read_forge`."""
    with requests.Session() as session:
        session.headers["Authorization"] = f"token {_shared_read_forge.token}"
        yield session


@pytest.fixture
def registry() -> Iterator[RegistryServer]:
    """Local PyPI and npm registries; ``registry.requests`` logs what was asked."""
    with RegistryServer() as server:
        yield server


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Web mode's tests first: they mostly wait for a browser and a server (one takes 25-35 s).

    Started early, that waiting overlaps the other workers' busy Pilot tests; left at the end
    (their place by name), one worker waited alone while the rest had finished. The sort is
    stable, so every other test keeps its order.
    """
    items.sort(key=lambda item: not item.nodeid.startswith("tests/web/"))
