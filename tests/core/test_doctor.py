"""The doctor's verdicts and fixes, on made-up machines described by injected probes.

The probes here answer from a small table (which programs exist, what version they print, what
git is configured with, what the forge said), so every branch can be reached without breaking
this machine. The real probes are exercised in tests/workspace/test_tools.py and the CLI tests.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pytest

from onboard.core.models import SetupStep
from onboard.core.setup.doctor import (
    Check,
    CheckStatus,
    DoctorTarget,
    ForgeReport,
    Probes,
    exit_code,
    plan_checks,
    run_checks,
)

PROJECTS = Path(__file__).resolve().parents[1] / "data" / "projects"
GOOD_FORGE = ForgeReport(
    token_source="GH_TOKEN",
    login="octo-learner",
    scopes=("public_repo", "read:org"),
    rate_remaining=4990,
    rate_limit=5000,
    reset_at=datetime(2030, 1, 1, 12, 0, tzinfo=UTC),
)


@dataclass
class Machine:
    """A pretend computer: programs with the version they print, git settings, a forge."""

    programs: dict[str, str | None] = field(
        default_factory=lambda: {"git": "2.43.0", "python3": "3.12.1", "node": "20.11.1"}
    )
    config: dict[str, str] = field(
        default_factory=lambda: {"user.name": "Ada", "user.email": "ada@example.org"}
    )
    report: ForgeReport = GOOD_FORGE
    calls: list[str] = field(default_factory=list)

    def probes(self, label: str = "GitHub") -> Probes:
        def which(name: str) -> str | None:
            self.calls.append(f"which {name}")
            return f"/usr/bin/{name}" if name in self.programs else None

        def version_of(name: str) -> str | None:
            self.calls.append(f"version {name}")
            return self.programs.get(name)

        def git_config(key: str) -> str | None:
            self.calls.append(f"config {key}")
            return self.config.get(key)

        def forge() -> ForgeReport:
            self.calls.append("forge")
            return self.report

        return Probes(which, version_of, git_config, forge, label)


def checks_of(
    machine: Machine, target: DoctorTarget | None = None, os_name: str = "linux"
) -> dict[str, Check]:
    return {c.id: c for c in run_checks(machine.probes(), target, os_name=os_name)}


def project(kind: str, **options: object) -> DoctorTarget:
    return DoctorTarget(path=PROJECTS / kind, **options)  # type: ignore[arg-type]


def test_a_ready_machine_passes_everything() -> None:
    checks = checks_of(Machine(), project("python-pyproject"))
    assert checks["git"].status is CheckStatus.OK
    assert checks["git"].detail == "2.43.0 (/usr/bin/git)"
    assert checks["git-identity"].detail == "Ada <ada@example.org>"
    assert checks["forge"].detail == (
        "GitHub answers; 4,990 of 5,000 requests left this hour, resets at "
        f"{datetime(2030, 1, 1, 12, 0, tzinfo=UTC).astimezone():%H:%M}."
    )
    assert checks["token"].detail == "signed in as octo-learner (token from GH_TOKEN)."
    assert checks["token-scopes"].status is CheckStatus.OK
    assert checks["tool-python3"].status is CheckStatus.OK
    assert "fits >=3.10" in checks["tool-python3"].detail
    assert "pytest" in checks["project"].detail
    assert all(c.status is CheckStatus.OK for c in checks.values()), checks
    assert exit_code(checks.values()) == 0


@pytest.mark.parametrize(
    ("os_name", "command"),
    [
        ("linux", "sudo apt install git"),
        ("linux", "sudo dnf install git"),
        ("macos", "brew install git"),
        ("windows", "winget install --id Git.Git"),
    ],
)
def test_missing_git_fails_with_how_to_install(os_name: str, command: str) -> None:
    machine = Machine(programs={})
    checks = checks_of(machine, os_name=os_name)
    assert checks["git"].status is CheckStatus.FAIL
    assert "not installed" in checks["git"].detail
    assert checks["git"].fix is not None and command in checks["git"].fix
    assert checks["git-identity"].status is CheckStatus.SKIP
    assert not any(call.startswith("config") for call in machine.calls)
    assert exit_code(checks.values()) == 1


def test_old_git_is_a_warning() -> None:
    checks = checks_of(Machine(programs={"git": "2.20.1"}))
    assert checks["git"].status is CheckStatus.WARN
    assert "older than 2.25" in checks["git"].detail
    assert exit_code(checks.values()) == 0


def test_git_that_does_not_say_its_version() -> None:
    assert checks_of(Machine(programs={"git": None}))["git"].status is CheckStatus.WARN


def test_missing_email_gives_the_exact_command() -> None:
    checks = checks_of(Machine(config={"user.name": "Ada"}))
    identity = checks["git-identity"]
    assert identity.status is CheckStatus.FAIL
    assert "user.email is not set" in identity.detail
    assert identity.fix is not None
    assert 'git config --global user.email "you@example.com"' in identity.fix
    assert "user.name" not in identity.fix


def test_missing_name_and_email() -> None:
    identity = checks_of(Machine(config={}))["git-identity"]
    assert "user.name and user.email are not set" in identity.detail
    assert identity.fix is not None
    assert identity.fix.splitlines()[:2] == [
        'git config --global user.name "Your Name"',
        'git config --global user.email "you@example.com"',
    ]


def test_no_token_is_a_warning_with_how_to_sign_in() -> None:
    checks = checks_of(Machine(report=ForgeReport(token_source=None, rate_remaining=59)))
    assert checks["token"].status is CheckStatus.WARN
    assert checks["token"].fix is not None and "gh auth login" in checks["token"].fix
    assert checks["token-scopes"].status is CheckStatus.SKIP
    assert checks["forge"].status is CheckStatus.OK


def test_rejected_token_names_its_source() -> None:
    report = ForgeReport(
        token_source="GITHUB_TOKEN", problem="Bad credentials", problem_kind="auth"
    )
    checks = checks_of(Machine(report=report))
    assert checks["token"].status is CheckStatus.FAIL
    assert "token from GITHUB_TOKEN" in checks["token"].detail
    assert checks["forge"].status is CheckStatus.OK  # it answered, it just said no
    assert checks["token-scopes"].status is CheckStatus.SKIP


def test_fine_grained_token_has_no_scopes_listed() -> None:
    report = ForgeReport(token_source="GH_TOKEN", login="octo", scopes=None)
    scopes = checks_of(Machine(report=report))["token-scopes"]
    assert scopes.status is CheckStatus.SKIP
    assert scopes.detail.startswith("fine-grained token: scopes not listed")


@pytest.mark.parametrize(
    ("scopes", "status"),
    [
        (("repo",), CheckStatus.OK),
        (("public_repo",), CheckStatus.OK),
        (("read:user", "gist"), CheckStatus.WARN),
        ((), CheckStatus.WARN),
    ],
)
def test_classic_token_needs_public_repo(scopes: tuple[str, ...], status: CheckStatus) -> None:
    report = ForgeReport(token_source="gh auth token", login="octo", scopes=scopes)
    check = checks_of(Machine(report=report))["token-scopes"]
    assert check.status is status
    if status is CheckStatus.WARN:
        assert check.fix is not None and "public_repo" in check.fix
        assert "gh auth refresh --scopes public_repo" in check.fix
    if not scopes:
        assert "no scopes" in check.detail


def test_unreachable_forge_fails_and_skips_the_token() -> None:
    report = ForgeReport(
        token_source="GH_TOKEN",
        problem="Cannot reach GitHub at https://api.github.com.",
        problem_kind="unreachable",
    )
    checks = checks_of(Machine(report=report))
    assert checks["forge"].status is CheckStatus.FAIL
    assert checks["forge"].fix is not None and "onboard practice" in checks["forge"].fix
    assert checks["token"].status is CheckStatus.SKIP
    assert "could not be checked" in checks["token"].detail


def test_exhausted_rate_limit_says_when_it_resets() -> None:
    reset = datetime(2030, 1, 1, 15, 30, tzinfo=UTC)
    report = ForgeReport(
        token_source=None, rate_remaining=0, rate_limit=60, reset_at=reset, login=None
    )
    forge = checks_of(Machine(report=report))["forge"]
    assert forge.status is CheckStatus.WARN
    assert f"{reset.astimezone():%H:%M}" in forge.detail
    assert forge.fix is not None and "GH_TOKEN" in forge.fix


def test_forge_is_asked_once_for_three_checks() -> None:
    machine = Machine()
    checks_of(machine)
    assert machine.calls.count("forge") == 1


def test_plan_lists_rows_before_probing_anything() -> None:
    machine = Machine()
    plan = plan_checks(machine.probes(), project("node-npm"), os_name="linux")
    assert machine.calls == []
    assert [p.id for p in plan] == [
        "git",
        "git-identity",
        "forge",
        "token",
        "token-scopes",
        "project",
        "tool-node",
        "tool-npm",
    ]
    assert plan[6].title == "Node.js (node)"


def test_on_check_sees_each_verdict_in_order() -> None:
    seen: list[str] = []
    checks = run_checks(
        Machine().probes(), None, os_name="linux", on_check=lambda c: seen.append(c.id)
    )
    assert seen == [c.id for c in checks]


# -- project toolchains ---------------------------------------------------------------------


def test_too_old_python_blocks_when_requires_python_says_so() -> None:
    machine = Machine(programs={"git": "2.43.0", "python3": "3.9.18"})
    python = checks_of(machine, project("python-pyproject"))["tool-python3"]
    assert python.status is CheckStatus.FAIL
    assert "3.9.18 does not fit >=3.10" in python.detail
    assert "pyproject.toml: project.requires-python" in python.detail
    assert python.fix is not None and "python.org" in python.fix


def test_node_outside_engines_is_a_warning_with_nvm() -> None:
    machine = Machine(programs={"git": "2.43.0", "node": "16.20.2", "npm": "8.19.4"})
    checks = checks_of(machine, project("node-npm"))
    node = checks["tool-node"]
    assert node.status is CheckStatus.WARN  # npm only warns about engines by default
    assert node.fix is not None and "nvm install 18.17" in node.fix
    assert checks["tool-npm"].status is CheckStatus.WARN
    assert exit_code(checks.values()) == 0


def test_missing_toolchain_fails_with_install_hint_per_os() -> None:
    machine = Machine(programs={"git": "2.43.0"})
    linux = checks_of(machine, project("rust"))["tool-cargo"]
    assert linux.status is CheckStatus.FAIL
    assert "Cargo.toml: package.rust-version asks for 1.70" in linux.detail
    assert linux.fix is not None and "rustup" in linux.fix
    windows_node = checks_of(machine, project("node-npm"), os_name="windows")["tool-node"]
    assert windows_node.fix is not None and "winget" in windows_node.fix


def test_version_that_cannot_be_compared_is_not_a_failure(tmp_path: Path) -> None:
    (tmp_path / ".nvmrc").write_text("lts/hydrogen\n")
    node = checks_of(Machine(), DoctorTarget(path=tmp_path))["tool-node"]
    assert node.status is CheckStatus.OK
    assert "cannot compare" in node.detail


def test_unreadable_version_with_a_wish_is_a_warning() -> None:
    machine = Machine(programs={"git": "2.43.0", "go": None})
    go = checks_of(machine, project("go"))["tool-go"]
    assert go.status is CheckStatus.WARN
    assert "could not read its version" in go.detail


def test_project_folder_that_does_not_exist(tmp_path: Path) -> None:
    check = checks_of(Machine(), DoctorTarget(path=tmp_path / "gone"))["project"]
    assert check.status is CheckStatus.FAIL
    assert check.fix is not None and "onboard doctor" in check.fix


def test_unrecognised_project_is_skipped(tmp_path: Path) -> None:
    check = checks_of(Machine(), DoctorTarget(path=tmp_path))["project"]
    assert check.status is CheckStatus.SKIP
    assert "README" in check.detail


def test_no_project_says_how_to_give_one() -> None:
    check = checks_of(Machine())["project"]
    assert check.status is CheckStatus.SKIP
    assert "onboard doctor PATH" in check.detail


# -- a guide pack's setup steps -------------------------------------------------------------


def test_pack_setup_programs_must_exist() -> None:
    steps = (
        SetupStep(("python3", "-m", "venv", ".venv"), "venv", ("linux", "macos")),
        SetupStep((".venv/bin/pre-commit", "install"), "hooks", ("linux", "macos")),
        SetupStep(("pre-commit", "install"), "hooks"),
        SetupStep(("py", "-m", "venv", ".venv"), "venv", ("windows",)),
        SetupStep(("tox",), "tests"),
    )
    machine = Machine(programs={"git": "2.43.0", "python3": "3.12.1", "tox": "4.11"})
    check = checks_of(machine, DoctorTarget(name="a/b", pack_steps=steps))["pack-setup"]
    assert check.status is CheckStatus.FAIL
    assert check.detail.startswith("pre-commit is not installed")
    assert check.fix is not None and check.fix.startswith("To install pre-commit: ")
    assert "which py" not in machine.calls  # a Windows-only step on Linux
    assert "which .venv/bin/pre-commit" not in machine.calls  # made by an earlier step


def test_pack_setup_all_present() -> None:
    steps = (SetupStep(("make",), "build"),)
    machine = Machine(programs={"git": "2.43.0", "make": "4.3"})
    checks = checks_of(machine, DoctorTarget(name="a/b", pack_steps=steps))
    assert checks["pack-setup"].status is CheckStatus.OK
    assert checks["project"].status is CheckStatus.SKIP
    assert "not cloned yet" in checks["project"].detail


def test_check_json_shape() -> None:
    check = Check("git", "git", CheckStatus.FAIL, "missing", "install it")
    assert check.to_json() == {
        "id": "git",
        "title": "git",
        "status": "fail",
        "detail": "missing",
        "fix": "install it",
    }
