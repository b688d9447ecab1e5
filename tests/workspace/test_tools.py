"""The doctor's real probes, run against this machine's git and small real programs in tmp_path.

The stand-in programs are shell scripts that behave like the tools they imitate (a ``nox`` that
prints its version on stderr, a ``go`` that only knows ``go version``, a tool that hangs), so
each rule of :mod:`onboard.workspace.tools` is exercised by a real process, not a mock.
"""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

import pytest

from onboard.core.setup.doctor import CheckStatus, DoctorTarget, run_checks
from onboard.core.setup.versions import version_in_text
from onboard.flows.doctor import real_probes
from onboard.forge.base import ForgeConfig
from onboard.forge.github import GitHubForge
from onboard.workspace import tools

pytestmark = pytest.mark.skipif(os.name == "nt", reason="stand-in tools are POSIX shell scripts")

PROJECTS = Path(__file__).resolve().parents[1] / "data" / "projects"


def program(folder: Path, name: str, body: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    script = folder / name
    script.write_text(f"#!/bin/sh\n{body}\n")
    script.chmod(0o755)
    return script


@pytest.fixture
def bin_dir(tmp_path: Path) -> Path:
    return tmp_path / "bin"


def env_with(bin_dir: Path) -> dict[str, str]:
    return {**os.environ, "PATH": str(bin_dir)}


def test_real_git_version_matches_git_itself() -> None:
    path = tools.which("git")
    assert path is not None and Path(path).is_absolute()
    printed = subprocess.run(
        ["git", "--version"], capture_output=True, text=True, check=True
    ).stdout
    assert tools.executable_version("git") == version_in_text(printed)


def test_missing_program(bin_dir: Path) -> None:
    bin_dir.mkdir()
    assert tools.which("node", env_with(bin_dir)) is None
    assert tools.executable_version("node", environ=env_with(bin_dir)) is None


def test_version_on_stderr(bin_dir: Path) -> None:
    program(bin_dir, "nox", 'echo "2024.3.2" >&2')
    assert tools.executable_version("nox", environ=env_with(bin_dir)) == "2024.3.2"


def test_go_is_asked_with_go_version(bin_dir: Path) -> None:
    program(
        bin_dir,
        "go",
        '[ "$1" = "version" ] || { echo "flag provided but not defined: -version" >&2; exit 2; }\n'
        'echo "go version go1.22.3 linux/amd64"',
    )
    assert tools.executable_version("go", environ=env_with(bin_dir)) == "1.22.3"


def test_failing_program_has_no_version(bin_dir: Path) -> None:
    program(bin_dir, "node", 'echo "v20.0.0"; exit 3')
    assert tools.executable_version("node", environ=env_with(bin_dir)) is None


def test_hanging_program_is_stopped(bin_dir: Path) -> None:
    program(bin_dir, "cargo", "sleep 30")
    started = time.monotonic()
    assert tools.executable_version("cargo", timeout=0.5, environ=env_with(bin_dir)) is None
    assert time.monotonic() - started < 5


def test_program_waiting_for_input_gets_end_of_file(bin_dir: Path) -> None:
    program(bin_dir, "make", 'read answer; echo "GNU Make 4.3 ($answer)"')
    started = time.monotonic()
    assert tools.executable_version("make", environ=env_with(bin_dir)) == "4.3"
    assert time.monotonic() - started < 4


def test_program_in_the_current_folder_is_never_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    clone = tmp_path / "clone"
    marker = tmp_path / "ran"
    program(clone, "node", f'touch "{marker}"; echo v99.0.0')
    monkeypatch.chdir(clone)
    environ = {**os.environ, "PATH": "."}
    assert tools.which("node", environ) is None
    assert tools.executable_version("node", environ=environ) is None
    assert not marker.exists()


def test_git_config_reads_what_git_resolves(git_env: Path) -> None:
    assert tools.git_config("user.email") is None  # the fixture's global config is empty
    subprocess.run(["git", "config", "--global", "user.email", "learner@example.org"], check=True)
    assert tools.git_config("user.email") == "learner@example.org"


def test_real_probes_on_this_machine(forge_config: ForgeConfig) -> None:
    """Once, everything real: this machine's git and Python, and a practice forge over HTTP."""
    subprocess.run(["git", "config", "--global", "user.name", "Learner"], check=True)
    subprocess.run(["git", "config", "--global", "user.email", "l@example.org"], check=True)
    forge = GitHubForge(forge_config)
    checks = {
        check.id: check
        for check in run_checks(
            real_probes(forge),
            DoctorTarget(path=PROJECTS / "python-pyproject"),
            os_name="linux",
        )
    }
    assert checks["git"].status in (CheckStatus.OK, CheckStatus.WARN)
    assert checks["git-identity"].detail == "Learner <l@example.org>"
    assert checks["forge"].status is CheckStatus.OK, checks["forge"]
    assert checks["token"].detail == "signed in as learner (token from the practice forge)."
    assert checks["token-scopes"].status is CheckStatus.OK
    # the suite itself needs Python >= 3.11; the fixture project asks for >= 3.10
    assert checks["tool-python3"].status is CheckStatus.OK, checks["tool-python3"]
