"""The doctor's Python checks agree with what project setup will use (issue #17).

A stock Debian 12 has ``python3``/``python3.11`` (3.11.2), no ``python``, and without the
``python3-venv`` package ``python3 -m venv`` fails ("ensurepip is not available"). The doctor
must check the Python setup makes ``.venv`` with, under the names setup uses, and whether venv
works there, and never say "Python fits" next to "python is not installed".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from onboard.core.models import SetupStep
from onboard.core.setup.doctor import (
    Check,
    CheckStatus,
    DoctorTarget,
    ForgeReport,
    Probes,
    run_checks,
)
from onboard.core.setup.project_detect import detect
from onboard.core.setup.python_env import Interpreter, VenvReport, VenvState, adapt_plan

DEBIAN = (
    Interpreter(("python3",), "3.11.2", "/usr/bin/python3"),
    Interpreter(("python3.11",), "3.11.2", "/usr/bin/python3.11"),
)
#: What Debian 12's python3.11 prints when python3.11-venv is not installed (wrapped as it is).
NO_ENSUREPIP = """The virtual environment was not created successfully because ensurepip is not
available.  On Debian/Ubuntu systems, you need to install the python3-venv
package using the following command.

    apt install python3.11-venv

You may need to use sudo with that command.  After installing the python3-venv
package, recreate your virtual environment.

Failing command: /tmp/onboard-venv-check-x/venv/bin/python3.11
"""
TINY_CALC = (
    SetupStep(("python", "-m", "pip", "install", "-e", ".", "pytest"), "Install"),
    SetupStep(("python", "-m", "pytest"), "Run the tests."),
)
PYTEST_PACK = (
    SetupStep(("python", "-m", "pip", "install", "pre-commit"), "pre-commit"),
    SetupStep(("pre-commit", "install"), "hooks"),
    SetupStep(("python", "-m", "pip", "install", "tox"), "tox"),
    SetupStep(("tox", "-e", "linting,py"), "Run the tests."),
)


@dataclass
class Debian:
    """Debian 12 as the doctor's probes see it: git, python3 and python3.11, no ``python``."""

    pythons: tuple[Interpreter, ...] = DEBIAN
    venv: VenvReport = field(default_factory=lambda: VenvReport(True))
    venv_tried: list[tuple[str, ...]] = field(default_factory=list)

    def probes(self) -> Probes:
        programs = {"git": "2.39.5", **{i.command[0]: i.version for i in self.pythons}}

        def venv_check(command: tuple[str, ...]) -> VenvReport:
            self.venv_tried.append(command)
            return self.venv

        return Probes(
            which=lambda name: f"/usr/bin/{name}" if name in programs else None,
            version_of=programs.get,
            git_config={"user.name": "Ada", "user.email": "ada@example.org"}.get,
            forge=lambda: ForgeReport(token_source=None),
            pythons=lambda: self.pythons,
            venv_check=venv_check,
        )


def clone(tmp_path: Path, requires: str = ">=3.9") -> Path:
    folder = tmp_path / "tiny-calc"
    folder.mkdir()
    (folder / "pyproject.toml").write_text(
        f'[project]\nname = "tiny-calc"\nversion = "0.3.0"\nrequires-python = "{requires}"\n'
    )
    return folder


def checks_of(machine: Debian, target: DoctorTarget) -> dict[str, Check]:
    return {c.id: c for c in run_checks(machine.probes(), target, os_name="linux")}


def test_a_stock_debian_fits_and_python_is_never_missing(tmp_path: Path) -> None:
    target = DoctorTarget(path=clone(tmp_path), name="practice/tiny-calc", pack_steps=TINY_CALC)
    checks = checks_of(Debian(), target)
    python = checks["tool-python3"]
    assert python.status is CheckStatus.OK
    assert python.detail.startswith("3.11.2 (python3.11, /usr/bin/python3.11) fits >=3.9")
    assert checks["python-venv"].status is CheckStatus.OK
    assert "python3.11 -m venv works" in checks["python-venv"].detail
    assert checks["pack-setup"].status is CheckStatus.OK
    assert "python" not in checks["pack-setup"].detail
    assert not any("not installed" in c.detail for c in checks.values()), checks


def test_the_doctor_vouches_for_the_python_setup_will_use(tmp_path: Path) -> None:
    folder = clone(tmp_path, ">=3.11")
    machine = Debian()
    checks_of(machine, DoctorTarget(path=folder, pack_steps=TINY_CALC))
    plan = adapt_plan(
        TINY_CALC[:1],
        TINY_CALC[1],
        os_name="linux",
        detected=detect(folder),
        venv=VenvState(),
        find=lambda: DEBIAN,
    )
    assert plan.steps[0].step.argv[:1] == machine.venv_tried[0] == ("python3.11",)


def test_venv_without_ensurepip_fails_with_the_debian_package_to_install(tmp_path: Path) -> None:
    machine = Debian(venv=VenvReport(False, NO_ENSUREPIP))
    checks = checks_of(machine, DoctorTarget(path=clone(tmp_path)))
    assert checks["tool-python3"].status is CheckStatus.OK  # the Python itself is fine
    venv = checks["python-venv"]
    assert venv.status is CheckStatus.FAIL
    assert "python3.11 -m venv fails" in venv.detail
    assert "ensurepip is not available" in venv.detail
    assert venv.fix is not None and venv.fix.startswith("sudo apt install python3.11-venv")


def test_without_the_package_name_in_the_error_the_fix_names_one_anyway(tmp_path: Path) -> None:
    plain = Debian(
        pythons=(Interpreter(("python3",), "3.11.2", "/usr/bin/python3"),),
        venv=VenvReport(False, "Error: No module named venv"),
    )
    venv = checks_of(plain, DoctorTarget(path=clone(tmp_path)))["python-venv"]
    assert venv.fix is not None and venv.fix.startswith("sudo apt install python3-venv ")
    assert "No module named venv" in venv.detail
    newer = Debian(
        pythons=(Interpreter(("python3.12",), "3.12.3", "/usr/bin/python3.12"),),
        venv=VenvReport(False, "boom"),
    )
    fix = checks_of(newer, DoctorTarget(path=tmp_path / "tiny-calc"))["python-venv"].fix
    assert fix is not None and fix.startswith("sudo apt install python3.12-venv ")


def test_no_python_that_fits_fails_and_skips_the_venv_check(tmp_path: Path) -> None:
    machine = Debian()
    checks = checks_of(machine, DoctorTarget(path=clone(tmp_path, ">=3.13")))
    python = checks["tool-python3"]
    assert python.status is CheckStatus.FAIL
    assert "does not fit >=3.13 (pyproject.toml: project.requires-python)" in python.detail
    assert python.fix is not None and "python.org" in python.fix
    assert checks["python-venv"].status is CheckStatus.SKIP
    assert machine.venv_tried == []


def test_no_python_at_all_is_one_failure_with_how_to_install(tmp_path: Path) -> None:
    checks = checks_of(Debian(pythons=()), DoctorTarget(path=clone(tmp_path), pack_steps=TINY_CALC))
    python = checks["tool-python3"]
    assert python.status is CheckStatus.FAIL
    assert python.fix is not None and "sudo apt install python3 python3-venv" in python.fix
    assert checks["pack-setup"].status is CheckStatus.OK  # not a second "python is missing"


def test_pack_steps_before_cloning_still_check_the_python_setup_uses() -> None:
    checks = checks_of(Debian(), DoctorTarget(name="practice/tiny-calc", pack_steps=TINY_CALC))
    assert checks["tool-python3"].status is CheckStatus.OK
    assert "the guide pack's setup steps" not in checks["tool-python3"].detail
    assert checks["python-venv"].status is CheckStatus.OK


def test_programs_pip_puts_into_venv_are_not_reported_missing() -> None:
    checks = checks_of(Debian(), DoctorTarget(name="pytest-dev/pytest", pack_steps=PYTEST_PACK))
    assert checks["pack-setup"].status is CheckStatus.OK, checks["pack-setup"]
