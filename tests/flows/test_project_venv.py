"""A Python project's setup runs in the clone's own .venv, for real (issue #17, "a stock machine").

One clone with ``requires-python = ">=3.11"`` and a pack written the way packs were written for
a machine that has ``python`` (``python -c``, ``pip --version``, ``pip install --user``). The plan
is made and run through the real flow (real ``python3``/``python3.X`` on this PATH, a real
``-m venv``, real processes), while the test pretends onboard runs from another virtual
environment: ``VIRTUAL_ENV`` and its ``bin`` first on the PATH, holding a ``python``, ``pip`` and
``python3`` that must never run. Offline: nothing here reaches PyPI.
"""

from __future__ import annotations

import os
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

import pytest

from onboard.core.models import SetupStep
from onboard.core.setup.consent import record_consent
from onboard.core.setup.python_env import USER_NOTE, Interpreter
from onboard.core.storage.state import StateStore
from onboard.flows.project_setup import (
    Output,
    ProjectSetupEvent,
    SetupBlocked,
    SetupPlan,
    planned_steps,
    run_setup,
    run_steps,
    run_tests,
)
from onboard.workspace.commands import StepResult
from tests.flows.pack_fixtures import write_pack

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX venv layout")

PYPROJECT = '[project]\nname = "demo"\nversion = "0.1.0"\nrequires-python = ">=3.11"\n'
WHERE = (
    "import os, sys; print('prefix=' + sys.prefix); "
    "print('venv=' + str(os.environ.get('VIRTUAL_ENV')))"
)
STEPS = [
    {"argv": ["python", "-c", WHERE], "description": "Say where Python runs"},
    {"argv": ["pip", "--version"], "description": "Say which pip this is"},
    {
        "argv": [
            "python",
            "-m",
            "pip",
            "install",
            "--user",
            "--no-index",
            "-r",
            "requirements-none.txt",
        ],
        "description": "Install nothing, as the pack says (with --user)",
    },
]
TEST = ["python3", "-c", "import sys; print('test prefix=' + sys.prefix)"]


@dataclass
class Ran:
    clone: Path
    parent: Path
    plan: SetupPlan
    again: SetupPlan
    results: list[StepResult]
    test: StepResult | None
    output: dict[int, list[str]]


def _fake_venv(folder: Path) -> Path:
    """A stand-in for onboard's own venv: its python, python3, pip, pip3 print PARENT and fail."""
    scripts = folder / "bin"
    scripts.mkdir(parents=True)
    (folder / "pyvenv.cfg").write_text("home = /nowhere\nversion = 3.11.0\n")
    for name in ("python", "python3", "pip", "pip3", "parent-only-tool"):
        program = scripts / name
        program.write_text("#!/bin/sh\necho PARENT\nexit 3\n")
        program.chmod(0o755)
    return folder


@pytest.fixture(scope="module")
def ran(tmp_path_factory: pytest.TempPathFactory) -> Ran:
    root = tmp_path_factory.mktemp("project-venv")
    clone = root / "clone"
    clone.mkdir()
    (clone / "pyproject.toml").write_text(PYPROJECT)
    (clone / "requirements-none.txt").write_text("")
    parent = _fake_venv(root / "onboard-venv")
    pack = write_pack(root / "pack", STEPS, test_command=TEST)
    store = StateStore(root / "state" / "state.json")
    output: dict[int, list[str]] = {}

    def emit(event: ProjectSetupEvent) -> None:
        if isinstance(event, Output):
            output.setdefault(event.index, []).append(event.line)

    with pytest.MonkeyPatch.context() as env:
        env.setenv("HOME", str(root / "home"))
        env.setenv("XDG_CACHE_HOME", str(root / "home" / ".cache"))
        env.setenv("VIRTUAL_ENV", str(parent))
        env.setenv("PATH", f"{parent / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}")
        env.setenv("PIP_USER", "1")  # as if pip.conf said user = true
        plan = planned_steps(pack.projects[0], pack, clone, "linux")
        record_consent(store, plan.consent)
        results = run_setup(plan, store, emit, cancel=threading.Event(), timeout=300)
        test = run_tests(plan, store, emit, cancel=threading.Event(), timeout=120)
        again = planned_steps(pack.projects[0], pack, clone, "linux")
    return Ran(clone, parent, plan, again, results, test, output)


def _value(lines: list[str], key: str) -> str:
    found = [line.removeprefix(key) for line in lines if line.startswith(key)]
    assert found, lines
    return found[0]


def test_the_plan_first_makes_the_clones_venv_with_a_python_that_fits(ran: Ran) -> None:
    first = ran.plan.steps[0]
    assert first.argv[1:] == ("-m", "venv", ".venv")
    assert first.argv[0] == "python3" or first.argv[0].startswith("python3.")
    assert any("fits >=3.11" in note for note in ran.plan.notes_for(0))
    assert ran.plan.venv == ran.clone / ".venv"
    assert [r.ok for r in ran.results] == [True] * len(ran.plan.steps), ran.output
    assert (ran.clone / ".venv" / "pyvenv.cfg").is_file()


def test_python_in_a_step_is_the_clones_venv_not_onboards(ran: Ran) -> None:
    assert ran.plan.steps[1].argv[0] == ".venv/bin/python"
    lines = ran.output[1]
    prefix = Path(_value(lines, "prefix="))
    assert prefix.resolve() == (ran.clone / ".venv").resolve()
    assert prefix.resolve() != Path(sys.prefix).resolve()
    assert Path(_value(lines, "venv=")) == ran.clone / ".venv"
    assert "PARENT" not in "\n".join(line for index in ran.output for line in ran.output[index])


def test_pip_in_a_step_is_the_clones_venv(ran: Ran) -> None:
    assert ran.plan.steps[2].argv == (".venv/bin/python", "-m", "pip", "--version")
    shown = "\n".join(ran.output[2])
    assert str((ran.clone / ".venv").resolve()) in shown or str(ran.clone / ".venv") in shown


def test_user_is_dropped_from_pip_installs_with_a_note(ran: Ran) -> None:
    step = ran.plan.steps[3]
    assert "--user" not in step.argv
    assert step.argv[:4] == (".venv/bin/python", "-m", "pip", "install")
    assert USER_NOTE in ran.plan.notes_for(3)
    assert ran.results[3].ok  # with --user (or PIP_USER=1 left alone) pip refuses in a venv


def test_the_test_command_runs_in_the_venv_too(ran: Ran) -> None:
    assert ran.plan.test is not None and ran.plan.test.argv[0] == ".venv/bin/python"
    assert ran.test is not None and ran.test.ok
    test_index = len(ran.plan.steps)
    prefix = Path(_value(ran.output[test_index], "test prefix="))
    assert prefix.resolve() == (ran.clone / ".venv").resolve()


def test_planning_again_keeps_the_same_steps_and_so_the_agreement(ran: Ran) -> None:
    assert ran.again.steps == ran.plan.steps
    assert ran.again.consent.steps_hash == ran.plan.consent.steps_hash
    assert any("already there" in note for note in ran.again.notes_for(0))


def test_onboards_own_venv_is_off_the_path_for_every_step(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    parent = _fake_venv(tmp_path / "onboard-venv")
    monkeypatch.setenv("VIRTUAL_ENV", str(parent))
    monkeypatch.setenv("PATH", f"{parent / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}")
    results = run_steps(
        [SetupStep(("parent-only-tool",), "only onboard's venv has it")],
        tmp_path,
        lambda _: None,
        cancel=threading.Event(),
    )
    assert results[0].exit_code is None
    assert results[0].reason is not None and "not installed" in results[0].reason


def test_a_python_that_does_not_fit_blocks_the_plan_with_a_clear_message(
    tmp_path: Path, state_store: StateStore
) -> None:
    clone = tmp_path / "clone"
    clone.mkdir()
    (clone / "pyproject.toml").write_text(PYPROJECT.replace(">=3.11", ">=3.13"))
    marker = {"argv": ["python", "-c", "open('ran', 'w')"], "description": "Leave a mark"}
    pack = write_pack(tmp_path / "pack", [marker])
    old = (Interpreter(("python3.11",), "3.11.2", "/usr/bin/python3.11"),)
    plan = planned_steps(pack.projects[0], pack, clone, "linux", pythons=lambda: old)
    assert plan.blocked is not None
    assert "needs Python >=3.13 (pyproject.toml: project.requires-python)" in plan.blocked
    assert "3.11.2 (python3.11)" in plan.blocked
    assert "python.org" in plan.blocked
    record_consent(state_store, plan.consent)
    with pytest.raises(SetupBlocked):
        run_setup(plan, state_store, lambda _: None, cancel=threading.Event())
    assert not (clone / "ran").exists()
    assert not (clone / ".venv").exists()
