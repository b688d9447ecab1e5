"""Finding this computer's Pythons, trying venv for real, and the environment project steps get.

Stand-in Pythons are shell scripts that answer ``--version`` the way real ones (and a pyenv
shim for a version that is not selected) do; one real ``python3 -m venv`` proves the venv probe
against this machine's own Python.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

import pytest

from onboard.workspace import tools
from onboard.workspace.commands import project_env

pytestmark = pytest.mark.skipif(os.name == "nt", reason="stand-in Pythons are POSIX shell scripts")

NO_ENSUREPIP = (
    "The virtual environment was not created successfully because ensurepip is not\\n"
    "available.  On Debian/Ubuntu systems, you need to install the python3-venv\\n"
    "package using the following command.\\n\\n    apt install python3.11-venv\\n"
)


def program(folder: Path, name: str, body: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    script = folder / name
    script.write_text(f"#!/bin/sh\n{body}\n")
    script.chmod(0o755)
    return script


def test_python3_and_python3_x_are_found_under_the_names_setup_uses(tmp_path: Path) -> None:
    system = tmp_path / "usr-bin"
    program(system, "python3.11", 'echo "Python 3.11.2"')
    (system / "python3").symlink_to(system / "python3.11")
    program(system, "python3-config", "echo --cflags")
    program(system, "python", 'echo "Python 3.11.2"')  # Debian has none; never used anyway
    program(system, "python2.7", 'echo "Python 2.7.18"')
    shims = tmp_path / "pyenv-shims"
    program(shims, "python3.12", 'echo "pyenv: python3.12: command not found" >&2; exit 127')
    program(shims, "python3.13", 'echo "Python 3.13.1"')
    active = tmp_path / "active-venv"
    program(active / "bin", "python3", 'echo "Python 3.12.0"')
    environ = {
        "PATH": os.pathsep.join([str(active / "bin"), str(shims), str(system)]),
        "VIRTUAL_ENV": str(active),
    }
    found = tools.python_interpreters(environ, os_name="linux")
    assert [(i.command, i.version) for i in found] == [
        (("python3",), "3.11.2"),
        (("python3.13",), "3.13.1"),
        (("python3.11",), "3.11.2"),
    ]
    assert found[0].path == str(system / "python3")


def test_a_venv_without_ensurepip_is_reported_with_what_python_said(tmp_path: Path) -> None:
    folder = tmp_path / "bin"
    program(folder, "python3.11", f'printf "{NO_ENSUREPIP}"; exit 1')
    report = tools.venv_check(("python3.11",), {"PATH": str(folder)})
    assert not report.ok
    assert "ensurepip is not" in report.output
    assert "apt install python3.11-venv" in report.output


def test_a_missing_python_cannot_make_a_venv(tmp_path: Path) -> None:
    report = tools.venv_check(("python3.99",), {"PATH": str(tmp_path)})
    assert not report.ok and "not on your PATH" in report.output


@pytest.mark.skipif(shutil.which("python3") is None, reason="needs a python3 on the PATH")
def test_the_real_venv_check_makes_and_removes_a_venv_with_pip(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A temporary folder of this test's own: other runs on the machine make such checks too.
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    report = tools.venv_check(("python3",))
    assert report.ok, report.output
    assert list(tmp_path.glob("onboard-venv-check-*")) == []  # the throw-away environment is gone


def test_project_env_hides_onboards_venv_and_activates_the_clones(tmp_path: Path) -> None:
    onboard_venv = tmp_path / "onboard-venv"
    (onboard_venv / "bin").mkdir(parents=True)
    clone_venv = tmp_path / "clone" / ".venv"
    base = {
        "PATH": os.pathsep.join([str(onboard_venv / "bin"), "/usr/bin", "/bin"]),
        "VIRTUAL_ENV": str(onboard_venv),
        "VIRTUAL_ENV_PROMPT": "(onboard)",
        "PYTHONHOME": "/somewhere",
        "HOME": str(tmp_path),
    }
    env = project_env(clone_venv, base)
    assert env["VIRTUAL_ENV"] == str(clone_venv)
    assert env["PATH"].split(os.pathsep) == [str(clone_venv / "bin"), "/usr/bin", "/bin"]
    assert env["PIP_USER"] == "0"
    assert "PYTHONHOME" not in env and "VIRTUAL_ENV_PROMPT" not in env
    assert env["HOME"] == str(tmp_path)

    plain = project_env(None, base)
    assert "VIRTUAL_ENV" not in plain and "PIP_USER" not in plain
    assert plain["PATH"].split(os.pathsep) == ["/usr/bin", "/bin"]


def test_project_env_hides_the_venv_onboard_itself_runs_from(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    own = tmp_path / "own-venv"
    monkeypatch.setattr(sys, "prefix", str(own))
    monkeypatch.setattr(sys, "base_prefix", "/usr")
    env = project_env(None, {"PATH": os.pathsep.join([str(own / "bin"), "/usr/bin"])})
    assert env["PATH"] == "/usr/bin"


def test_a_working_venv_is_tried_once_per_run_and_a_failing_one_every_time(
    tmp_path: Path,
) -> None:
    folder, tries = tmp_path / "bin", tmp_path / "tries"
    makes = f'echo x >> "{tries}"; mkdir -p "$3/bin"; touch "$3/bin/python" "$3/bin/pip"'
    program(folder, "python3.42", makes)
    program(folder, "python3.43", f'echo x >> "{tries}"; printf "{NO_ENSUREPIP}"; exit 1')
    path = {"PATH": f"{folder}:/usr/bin:/bin"}

    for _ in range(2):
        assert tools.venv_check_remembered(("python3.42",), path).ok
    assert tries.read_text().count("x") == 1
    for _ in range(2):
        assert not tools.venv_check_remembered(("python3.43",), path).ok
    assert tries.read_text().count("x") == 3  # a failure is never taken as the last word

    program(folder, "python3.42", makes + "  # reinstalled")  # another file: tried again
    assert tools.venv_check_remembered(("python3.42",), path).ok
    assert tries.read_text().count("x") == 4
