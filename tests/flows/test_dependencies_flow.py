"""From a project's manifests to GitHub projects with beginner issues, all over real HTTP.

The registries are a local PyPI/npm server serving real-shaped documents, installed metadata is
a real ``.dist-info`` folder, and beginner issues are counted by the practice forge's search.
"""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from onboard.core.dependencies.declared import read_dependencies
from onboard.core.models import RepoRef
from onboard.flows.dependencies import DependencyExploration, explore_dependencies
from onboard.forge.base import ForgeConfig
from onboard.forge.cache import ResponseCache
from onboard.forge.github import GitHubForge
from onboard.forge.registries import Registries, RegistryConfig
from onboard.practice import PracticeForge
from tests.registry_server import DATA, RegistryServer, write_distribution

TEAM_APP = DATA / "team-app"
THEME_HEADERS = [
    "Summary: The theme of hello-docs",
    "Project-URL: Documentation, https://hello-docs.readthedocs.io",
    "Project-URL: Source, https://github.com/practice/hello-docs",
]


@pytest.fixture
def registries(registry: RegistryServer, tmp_path: Path) -> Registries:
    config = RegistryConfig(pypi_url=registry.pypi_url, npm_url=registry.npm_url)
    return Registries(config, cache=ResponseCache(tmp_path / "registry-cache"))


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A site-packages folder where hello-docs-theme is really installed (only its metadata)."""
    folder = tmp_path / "site-packages"
    write_distribution(folder, "hello-docs-theme", "2.0.4", THEME_HEADERS)
    return folder


def table(exploration: DependencyExploration) -> list[tuple[str | None, tuple[str, ...], str]]:
    return [
        (
            project.repo.full_name if project.repo else None,
            project.names,
            project.how if project.repo else (project.reason or ""),
        )
        for project in exploration.projects
    ]


def search_requests(forge: PracticeForge) -> int:
    return sum(record.path == "/search/issues" for record in forge.requests)


def test_team_app_dependencies_become_projects_with_real_counts(
    practice_forge: PracticeForge,
    forge_config: ForgeConfig,
    registry: RegistryServer,
    registries: Registries,
    site: Path,
) -> None:
    practice_forge.clear_requests()
    said: list[str] = []
    exploration = explore_dependencies(
        TEAM_APP,
        GitHubForge(forge_config),
        registries=registries,
        progress=said.append,
        search_path=[str(site)],
    )
    assert table(exploration) == [
        ("practice/hello-docs", ("hello-docs-theme",), "installed metadata (Source)"),
        (
            "practice/kind-words",
            ("kind-words", "@practice/kind-words-cli", "kind-words-py"),
            "npm registry (repository)",
        ),
        ("practice/tiny-calc", ("tiny-calc", "calc-units"), "PyPI metadata (Source)"),
        ("stevemao/left-pad", ("left-pad",), "npm registry (repository)"),
        (None, ("gitlab-only",), "source is on gitlab.com, not GitHub"),
        (None, ("never-published",), "not installed and not found on PyPI"),
        (None, ("quiet-package",), "no source repository in its metadata"),
    ]
    counts = [project.beginner_issues for project in exploration.projects]
    # left-pad is not on the practice forge, which refuses to search it as GitHub would.
    assert counts == [3, 1, 1, None, None, None, None]
    assert [project.dev_only for project in exploration.projects[:4]] == [False] * 3 + [True]
    assert "not counted for stevemao/left-pad" in (exploration.issues_note or "")
    # One search for all four repositories, not one per repository.
    # One batched search, refused (422) for naming left-pad, then halves until it is alone.
    assert search_requests(practice_forge) <= 5
    assert exploration.search_requests <= search_requests(practice_forge)
    # Installed and directly linked packages cost no registry request.
    asked = registry.paths()
    assert len(asked) == exploration.registry_requests == 8
    assert not any("hello-docs-theme" in path or "kind-words-py" in path for path in asked)
    assert said[0].startswith("Reading the manifests")
    assert any("Counting open beginner issues in 4 repositories" in line for line in said)
    # Every file that declared a package is remembered, with its line.
    words = exploration.projects[1]
    assert [(d.source_file, d.line) for d in words.dependencies] == [
        ("package.json", 11),
        ("package.json", 12),
        ("requirements-dev.txt", 7),
    ]


def test_a_second_run_costs_no_registry_request_and_then_only_304s(
    practice_forge: PracticeForge,
    forge_config: ForgeConfig,
    registry: RegistryServer,
    registries: Registries,
    site: Path,
    tmp_path: Path,
) -> None:
    explore_dependencies(
        TEAM_APP, GitHubForge(forge_config), registries=registries, search_path=[str(site)]
    )
    registry.requests.clear()
    practice_forge.clear_requests()
    config = RegistryConfig(pypi_url=registry.pypi_url, npm_url=registry.npm_url)
    again = Registries(config, cache=ResponseCache(tmp_path / "registry-cache"))
    second = explore_dependencies(
        TEAM_APP, GitHubForge(forge_config), registries=again, search_path=[str(site)]
    )
    assert registry.requests == []
    # The repository GitHub refused to search (stevemao/left-pad is not on the practice forge)
    # is remembered: one search of the others, never the refused ones again.
    searches = [r.status for r in practice_forge.requests if r.path == "/search/issues"]
    assert searches == [200]
    assert [p.beginner_issues for p in second.resolved] == [3, 1, 1, None]
    practice_forge.clear_requests()
    explore_dependencies(
        TEAM_APP, GitHubForge(forge_config), registries=again, search_path=[str(site)]
    )
    assert [r.status for r in practice_forge.requests if r.path == "/search/issues"] == [304]


def test_installed_metadata_found_through_sys_path(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.syspath_prepend(str(site))
    project = tmp_path / "project"
    project.mkdir()
    (project / "requirements.txt").write_text("Hello_Docs_Theme>=2\n")
    offline = Registries(RegistryConfig(offline=True), cache=ResponseCache(tmp_path / "c"))
    exploration = explore_dependencies(project, None, registries=offline)
    assert table(exploration) == [
        ("practice/hello-docs", ("hello-docs-theme",), "installed metadata (Source)")
    ]
    assert exploration.projects[0].beginner_issues is None
    assert exploration.issues_note == "beginner issues were not counted (offline)"


def test_the_projects_own_virtual_environment_is_searched(tmp_path: Path) -> None:
    project = tmp_path / "project"
    venv = project / ".venv"
    (venv / "lib" / "python3.11" / "site-packages").mkdir(parents=True)
    (venv / "pyvenv.cfg").write_text("home = /usr/bin\nversion = 3.11.7\n")
    write_distribution(
        venv / "lib" / "python3.11" / "site-packages", "hello-docs-theme", "2.1.0", THEME_HEADERS
    )
    (project / "pyproject.toml").write_text(
        '[project]\nname = "p"\nversion = "1"\ndependencies = ["hello-docs-theme"]\n'
    )
    exploration = explore_dependencies(project, None, registries=None)
    assert exploration.projects[0].repo == RepoRef("practice", "hello-docs")


def test_offline_keeps_every_dependency_with_a_reason(tmp_path: Path) -> None:
    offline = Registries(RegistryConfig(offline=True), cache=ResponseCache(tmp_path / "c"))
    exploration = explore_dependencies(TEAM_APP, None, registries=offline, search_path=[])
    unresolved = {p.names[0]: p.reason for p in exploration.projects if p.repo is None}
    assert unresolved["tiny-calc"] == "not installed and the registry was not asked (offline)"
    assert unresolved["kind-words"] == "the registry was not asked (offline)"
    # kind-words-py names its git URL: that needs no registry, even offline.
    assert [p.repo for p in exploration.resolved] == [RepoRef("practice", "kind-words")]
    declared = {d.key for d in read_dependencies(TEAM_APP).dependencies}
    shown = {d.key for p in exploration.projects for d in p.dependencies}
    assert shown == declared  # nothing dropped


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_unreachable_registry_and_forge_are_reasons_not_errors(tmp_path: Path) -> None:
    port = closed_port()
    nowhere = f"http://127.0.0.1:{port}"
    registries = Registries(
        RegistryConfig(pypi_url=nowhere, npm_url=nowhere), cache=ResponseCache(tmp_path / "c")
    )
    forge = GitHubForge(ForgeConfig(api_url=nowhere, timeout=2))
    exploration = explore_dependencies(TEAM_APP, forge, registries=registries, search_path=[])
    reasons = {p.names[0]: p.reason for p in exploration.projects if p.repo is None}
    assert reasons["tiny-calc"] == "not installed and the registry is unreachable"
    assert reasons["left-pad"] == "the registry is unreachable"
    assert exploration.resolved[0].beginner_issues is None
    assert exploration.issues_note is not None
    assert exploration.issues_note.startswith("beginner issues were not counted: Cannot reach")


def test_an_sbom_resolves_without_any_registry(
    practice_forge: PracticeForge, forge_config: ForgeConfig
) -> None:
    exploration = explore_dependencies(
        DATA / "sbom" / "team-app.cdx.json",
        GitHubForge(forge_config),
        registries=None,
        search_path=[],
    )
    rows = {
        (p.repo.full_name if p.repo else p.names[0]): (p.how or p.reason, p.beginner_issues)
        for p in exploration.projects
    }
    assert rows["practice/hello-docs"] == ("GitHub repository named in team-app.cdx.json", 3)
    assert rows["practice/kind-words"] == ("vcs reference in team-app.cdx.json", 1)
    # Not on the practice forge: refused, as GitHub refuses to search a missing repository.
    assert rows["serde-rs/serde"] == ("vcs reference in team-app.cdx.json", None)
    assert rows["spf13/cobra"] == ("Go module path", None)
    assert rows["golang.org/x/net"] == ("source is on golang.org, not GitHub", None)
    assert rows["org.apache.commons/commons-lang3"] == (
        "source is on gitbox.apache.org, not GitHub",
        None,
    )
    assert rows["tiny-calc"] == ("not installed and PyPI was not asked", None)
    words = next(p for p in exploration.projects if p.repo == RepoRef("practice", "kind-words"))
    assert words.names == ("kind-words", "ui-kit-icons")  # a monorepo: one row


def test_one_missing_repository_costs_no_other_its_count(
    practice_forge: PracticeForge,
    forge_config: ForgeConfig,
    registries: Registries,
    site: Path,
) -> None:
    # stevemao/left-pad is not on the practice forge: like GitHub, it refuses the whole search
    # naming it (422), and the forge isolates it in a few more searches.
    exploration = explore_dependencies(
        TEAM_APP, GitHubForge(forge_config), registries=registries, search_path=[str(site)]
    )
    counts = {str(p.repo): p.beginner_issues for p in exploration.resolved}
    assert counts == {
        "practice/hello-docs": 3,
        "practice/kind-words": 1,
        "practice/tiny-calc": 1,
        "stevemao/left-pad": None,
    }
    assert exploration.issues_note is not None
    assert "stevemao/left-pad" in exploration.issues_note
    assert "do not exist" in exploration.issues_note
    searches = [r for r in practice_forge.requests if r.path == "/search/issues"]
    assert len(searches) <= 5  # halving isolates it in a few searches
