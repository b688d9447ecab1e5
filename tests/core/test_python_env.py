"""What python, pip and --user mean in a plan's steps, decided without running anything.

The Pythons "on this computer" are made up here, so every rule is checked in milliseconds: the
newest that fits requires-python makes .venv, an existing .venv keeps its Python, a plan that
makes .venv itself is left to do so, uv and Poetry keep their own environments, and global npm
installs are flagged rather than hidden.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from onboard.core.models import SetupStep
from onboard.core.setup.project_detect import detect
from onboard.core.setup.python_env import (
    GLOBAL_NOTE,
    USER_NOTE,
    EnvPlan,
    Interpreter,
    PythonWish,
    VenvState,
    adapt_plan,
    choose_python,
    installs_globally,
    makes_venv,
    pip_installs,
    programs_to_check,
    read_venv,
)

PROJECTS = Path(__file__).resolve().parents[1] / "data" / "projects"
DEBIAN = (
    Interpreter(("python3",), "3.11.2", "/usr/bin/python3"),
    Interpreter(("python3.11",), "3.11.2", "/usr/bin/python3.11"),
)
MANY = (
    Interpreter(("python3",), "3.11.2"),
    Interpreter(("python3.13",), "3.13.1"),
    Interpreter(("python3.12",), "3.12.8"),
    Interpreter(("python3.9",), "3.9.18"),
)


def step(*argv: str) -> SetupStep:
    return SetupStep(tuple(argv), "a step")


def plan_for(
    steps: list[SetupStep],
    test: SetupStep | None = None,
    *,
    clone: Path | None = None,
    found: tuple[Interpreter, ...] = DEBIAN,
    os_name: str = "linux",
    venv: VenvState | None = None,
) -> tuple[EnvPlan, list[bool]]:
    asked: list[bool] = []

    def find() -> tuple[Interpreter, ...]:
        asked.append(True)
        return found

    detected = detect(clone) if clone is not None else None
    plan = adapt_plan(
        steps,
        test,
        os_name=os_name,
        detected=detected,
        venv=venv or VenvState(),
        find=find,
        origin="The guide pack",
    )
    return plan, asked


def argvs(plan: EnvPlan) -> list[tuple[str, ...]]:
    return [item.step.argv for item in plan.steps]


# -- choosing the Python ----------------------------------------------------------------------


def test_the_newest_python_that_fits_is_chosen_under_its_versioned_name() -> None:
    choice = choose_python(MANY, PythonWish(">=3.10", "pyproject.toml", True), os_name="linux")
    assert choice.interpreter is not None and choice.interpreter.command == ("python3.13",)
    assert choice.fits is True
    debian = choose_python(DEBIAN, PythonWish(">=3.11", "pyproject.toml", True), os_name="linux")
    assert debian.interpreter is not None and debian.interpreter.command == ("python3.11",)


def test_an_existing_venvs_python_is_kept_when_it_fits() -> None:
    choice = choose_python(MANY, PythonWish(">=3.10"), os_name="linux", prefer=(3, 12))
    assert choice.interpreter is not None and choice.interpreter.version == "3.12.8"


def test_no_python_that_fits_requires_python_is_a_problem_not_a_guess() -> None:
    choice = choose_python(
        DEBIAN,
        PythonWish(">=3.13", "pyproject.toml: project.requires-python", True),
        os_name="linux",
    )
    assert choice.interpreter is None
    assert choice.problem is not None
    assert "needs Python >=3.13 (pyproject.toml: project.requires-python)" in choice.problem
    assert "3.11.2 (python3), 3.11.2 (python3.11)" in choice.problem


def test_a_soft_pin_that_does_not_fit_only_warns() -> None:
    choice = choose_python(DEBIAN, PythonWish("3.12", ".python-version"), os_name="linux")
    assert choice.interpreter is not None and choice.problem is None
    assert choice.warning is not None and "3.12 (.python-version)" in choice.warning


def test_no_python_at_all_says_how_to_install_one() -> None:
    choice = choose_python((), PythonWish(), os_name="linux")
    assert choice.problem is not None and "sudo apt install python3" in choice.problem


# -- rewriting steps ---------------------------------------------------------------------------


def test_python_and_pip_mean_the_clones_venv_which_is_made_first() -> None:
    plan, asked = plan_for(
        [step("python", "-m", "pip", "install", "-e", "."), step("pip3", "install", "tox")],
        step("python3", "-m", "pytest"),
    )
    assert asked
    assert plan.uses_venv and plan.blocked is None
    assert argvs(plan) == [
        ("python3.11", "-m", "venv", ".venv"),
        (".venv/bin/python", "-m", "pip", "install", "-e", "."),
        (".venv/bin/python", "-m", "pip", "install", "tox"),
    ]
    assert plan.test is not None and plan.test.step.argv == (".venv/bin/python", "-m", "pytest")
    assert "python -m pip install -e ." in plan.steps[1].notes[0]
    assert any(".venv/bin/python" in note for note in plan.notes)


def test_user_is_removed_from_pip_installs_with_the_reason() -> None:
    plan, _ = plan_for([step("python", "-m", "pip", "install", "--user", "pre-commit")])
    assert plan.steps[1].step.argv == (".venv/bin/python", "-m", "pip", "install", "pre-commit")
    assert USER_NOTE in plan.steps[1].notes
    assert "Debian refuses it" in USER_NOTE
    explicit, _ = plan_for(
        [
            step("pip", "install", "-e", "."),
            step("python3.12", "-m", "pip", "install", "--user", "x"),
        ]
    )
    assert explicit.uses_venv
    assert "--user" in explicit.steps[2].step.argv  # not the .venv's pip: left as written


def test_a_pack_that_makes_venv_itself_gets_a_fitting_python_for_it() -> None:
    plan, _ = plan_for(
        [
            step("python", "-m", "venv", ".venv"),
            step(".venv/bin/python", "-m", "pip", "install", "nox"),
        ]
    )
    assert argvs(plan) == [
        ("python3.11", "-m", "venv", ".venv"),
        (".venv/bin/python", "-m", "pip", "install", "nox"),
    ]
    assert "The guide pack writes “python -m venv .venv”." in plan.steps[0].notes


def test_pack_steps_that_name_the_venv_themselves_keep_working(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\nrequires-python = ">=3.9"\n')
    black = [
        step("python3", "-m", "venv", ".venv"),
        step(".venv/bin/python", "-m", "pip", "install", "-e", ".[d]"),
        step(".venv/bin/pre-commit", "install"),
    ]
    plan, _ = plan_for(black, step("tox", "-e", "py"), clone=tmp_path)
    assert argvs(plan)[1:] == [black[1].argv, black[2].argv]
    assert plan.test is not None and plan.test.step.argv == ("tox", "-e", "py")


def test_an_existing_venv_from_another_python_is_used_as_it_is() -> None:
    plan, _ = plan_for(
        [step("python", "-m", "pip", "install", "-e", ".")],
        venv=VenvState(exists=True, version="3.9.18"),
    )
    assert argvs(plan) == [(".venv/bin/python", "-m", "pip", "install", "-e", ".")]
    assert any("already exists" in note and "3.9.18" in note for note in plan.notes)


def test_uv_and_poetry_projects_keep_their_own_environments() -> None:
    for kind, command in (("python-uv", ("uv", "sync")), ("python-poetry", ("poetry", "install"))):
        clone = PROJECTS / kind
        detected = detect(clone)
        plan, asked = plan_for(list(detected.setup), detected.test, clone=clone)
        assert not asked and not plan.uses_venv, kind
        assert argvs(plan) == [s.argv for s in detected.setup]
        assert command in argvs(plan)


def test_a_python_project_gets_a_venv_even_when_its_steps_run_make(tmp_path: Path) -> None:
    (tmp_path / "setup.py").write_text("from setuptools import setup\nsetup(name='x')\n")
    plan, _ = plan_for([step("make", "dev")], clone=tmp_path)
    assert argvs(plan) == [("python3.11", "-m", "venv", ".venv"), ("make", "dev")]


def test_a_node_project_is_left_alone_and_asks_for_no_python() -> None:
    plan, asked = plan_for([step("npm", "ci")], step("npm", "test"), clone=PROJECTS / "node-npm")
    assert not asked and not plan.uses_venv
    assert argvs(plan) == [("npm", "ci")]


@pytest.mark.parametrize(
    "argv",
    [
        ("npm", "install", "-g", "yarn"),
        ("npm", "--global", "i", "typescript"),
        ("yarn", "global", "add", "pnpm"),
        ("pnpm", "add", "-g", "turbo"),
    ],
)
def test_global_node_installs_are_flagged_in_the_plan(argv: tuple[str, ...]) -> None:
    assert installs_globally(argv)
    plan, _ = plan_for([step(*argv)])
    assert plan.steps[0].step.argv == argv  # shown and run as written: flagged, not hidden
    assert GLOBAL_NOTE in plan.steps[0].notes


def test_local_node_installs_are_not_flagged() -> None:
    for argv in (("npm", "ci"), ("npm", "install"), ("pnpm", "install"), ("yarn",)):
        assert not installs_globally(argv)


def test_windows_uses_the_launcher_and_the_scripts_folder() -> None:
    found = (Interpreter(("py", "-3.12"), "3.12.8"), Interpreter(("py", "-3.11"), "3.11.9"))
    plan, _ = plan_for(
        [step("py", "-m", "venv", ".venv"), step("py", "-m", "pip", "install", "nox")],
        found=found,
        os_name="windows",
    )
    assert argvs(plan) == [
        ("py", "-3.12", "-m", "venv", ".venv"),
        (".venv\\Scripts\\python.exe", "-m", "pip", "install", "nox"),
    ]


def test_the_plan_is_blocked_when_no_python_fits(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\nrequires-python = ">=3.13"\n')
    plan, _ = plan_for([step("python", "-m", "pip", "install", "-e", ".")], clone=tmp_path)
    assert plan.blocked is not None and ">=3.13" in plan.blocked


# -- small readers -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (("python3", "-m", "venv", ".venv"), True),
        (("python3.12", "-m", "venv", "--prompt", "x", "./.venv"), True),
        (("py", "-3.12", "-m", "venv", ".venv"), True),
        (("python", "-m", "venv", "env"), False),
        (("python", "-m", "pip", "install", "venv"), False),
    ],
)
def test_makes_venv(argv: tuple[str, ...], expected: bool) -> None:
    assert makes_venv(argv) is expected


def test_pip_installs_reads_package_names_only() -> None:
    argv = (
        ".venv/bin/python",
        "-m",
        "pip",
        "install",
        "-r",
        "dev.txt",
        "Pre_Commit>=3",
        "tox",
        ".",
    )
    assert pip_installs(argv) == {"pre-commit", "tox"}
    assert pip_installs(("npm", "install", "tox")) == set()


def test_programs_an_earlier_step_installs_into_the_venv_need_no_install() -> None:
    steps = [
        step("python", "-m", "pip", "install", "pre-commit"),
        step("pre-commit", "install"),
        step("python", "-m", "pip", "install", "tox"),
        step("tox", "-e", "py"),
        step("npm", "ci"),
    ]
    assert programs_to_check(steps, "linux") == ["npm"]


def test_read_venv_reads_the_version_it_was_made_with(tmp_path: Path) -> None:
    assert read_venv(tmp_path) == VenvState()
    (tmp_path / ".venv").mkdir()
    assert read_venv(tmp_path) == VenvState(exists=True)
    (tmp_path / ".venv" / "pyvenv.cfg").write_text("home = /usr/bin\nversion = 3.11.2\n")
    assert read_venv(tmp_path) == VenvState(exists=True, version="3.11.2")
    (tmp_path / ".venv" / "pyvenv.cfg").write_text("version_info = 3.12.1.final.0\n")
    assert read_venv(tmp_path).version == "3.12.1"
