"""``onboard deps`` (in-process, through ``main``): local registries, the practice forge, real
installed metadata."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest

from onboard.practice import PracticeForge
from tests.cli_runner import Ran, run_onboard
from tests.registry_server import DATA, REGISTRY, RegistryServer, write_distribution

TEAM_APP = DATA / "team-app"


def run(*args: str, env: dict[str, str]) -> Ran:
    """``onboard deps ARGS``; ``env["SITE"]`` is put first on ``sys.path`` meanwhile, as
    ``PYTHONPATH`` would for a process: the distributions "installed" for the test."""
    env = dict(env)
    site = env.pop("SITE", None)
    if site is not None:
        sys.path.insert(0, site)
    try:
        return run_onboard("deps", *args, env=env)
    finally:
        if site is not None:
            sys.path.remove(site)


@pytest.fixture
def env(practice_forge: PracticeForge, registry: RegistryServer, tmp_path: Path) -> dict[str, str]:
    """The practice forge as GitHub, the local registries, hello-docs-theme installed."""
    site = tmp_path / "site-packages"
    write_distribution(
        site,
        "hello-docs-theme",
        "2.0.4",
        ["Project-URL: Source, https://github.com/practice/hello-docs"],
    )
    return {
        "GITHUB_API_URL": practice_forge.api_url,
        "GH_TOKEN": practice_forge.token,
        "ONBOARD_PYPI_URL": registry.pypi_url,
        "ONBOARD_NPM_URL": registry.npm_url,
        "SITE": str(site),
    }


def test_json_lists_projects_with_beginner_issue_counts(env: dict[str, str]) -> None:
    result = run(str(TEAM_APP), "--json", env=env)
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert [(row["repo"], row["beginner_issues"]) for row in rows] == [
        ("practice/hello-docs", 3),
        ("practice/kind-words", 1),
        ("practice/tiny-calc", 1),
        ("stevemao/left-pad", None),  # not on the practice forge: refused, not counted
        (None, None),
        (None, None),
        (None, None),
    ]
    first = rows[0]
    assert first["url"] == "https://github.com/practice/hello-docs"
    assert first["how"] == "installed metadata (Source)"
    assert first["packages"] == ["hello-docs-theme"]
    assert first["declared_in"][0] == {
        "name": "hello-docs-theme",
        "ecosystem": "pypi",
        "spec": "~=2.0",
        "file": "pyproject.toml",
        "line": 16,
        "dev": False,
    }
    assert rows[3]["dev_only"] is True
    assert [row["reason"] for row in rows[4:]] == [
        "source is on gitlab.com, not GitHub",
        "not installed and not found on PyPI",
        "no source repository in its metadata",
    ]
    # left-pad is not on the practice forge, which refuses to search it as GitHub would.
    [note] = result.stderr.splitlines()
    assert note.startswith("onboard: not counted for stevemao/left-pad: ")
    assert note.endswith(
        "cannot search them: they do not exist (renamed or deleted?) or are private"
    )


def test_table_output(env: dict[str, str]) -> None:
    result = run(str(TEAM_APP), env=env)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == [
        "REPOSITORY",
        "ISSUES",
        "PACKAGES",
        "HOW",
        "RESOLVED",
        "/",
        "WHY",
        "NOT",
    ]
    assert lines[1].split()[:2] == ["practice/hello-docs", "3"]
    assert "kind-words, @practice/kind-words-cli, k…" in lines[2]  # long cells are cut
    assert "left-pad (npm, dev)" in lines[4]
    assert lines[5].split()[:2] == ["-", "-"]
    assert lines[5].endswith("source is on gitlab.com, not GitHub")
    assert "10 dependencies → 4 GitHub repositories, 3 not traced; 5 open beginner issues" in (
        result.stderr
    )


def test_offline_asks_neither_registries_nor_the_forge(
    env: dict[str, str], practice_forge: PracticeForge, registry: RegistryServer
) -> None:
    practice_forge.clear_requests()
    result = run(str(TEAM_APP), "--offline", "--json", env=env)
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    resolved = [row["repo"] for row in rows if row["repo"]]
    assert resolved == ["practice/hello-docs", "practice/kind-words"]  # installed; a git URL
    assert all(row["beginner_issues"] is None for row in rows)
    assert "beginner issues were not counted (offline)" in result.stderr
    assert registry.requests == []
    assert practice_forge.requests == []


def test_usage_and_reading_errors(env: dict[str, str], tmp_path: Path) -> None:
    missing = run(str(tmp_path / "nowhere"), env=env)
    assert missing.returncode == 2
    assert "does not exist" in missing.stderr
    empty = run(str(tmp_path), env=env)
    assert empty.returncode == 1
    assert "No manifest found" in empty.stderr
    assert "Traceback" not in empty.stderr
    (tmp_path / "requirements.txt").write_text("fine-one\nnot valid at all\n")
    problems = run(str(tmp_path), "--offline", env=env)
    assert problems.returncode == 0
    assert "requirements.txt:2: not a valid requirement" in problems.stderr
    assert "fine-one" in problems.stdout


def test_strings_from_registries_and_files_are_cleaned(env: dict[str, str], tmp_path: Path) -> None:
    root = tmp_path / "registry"
    shutil.copytree(REGISTRY, root)
    hostile = json.loads((root / "pypi" / "tiny-calc.json").read_text())
    hostile["info"]["project_urls"] = {
        "\x1b]0;owned\x07Source\x1b[2J": "https://github.com/practice/tiny-calc"
    }
    (root / "pypi" / "tiny-calc.json").write_text(json.dumps(hostile))
    project = tmp_path / "project"
    project.mkdir()
    (project / "requirements.txt").write_text("tiny-calc\n-r \x1b[31mred.txt\n")
    with RegistryServer(root) as server:
        env = {**env, "ONBOARD_PYPI_URL": server.pypi_url}
        for extra in ((), ("--json",)):
            result = run(str(project), *extra, env=env)
            assert result.returncode == 0, result.stderr
            assert "\x1b" not in result.stdout + result.stderr
            assert "\x07" not in result.stdout + result.stderr
            assert "practice/tiny-calc" in result.stdout
