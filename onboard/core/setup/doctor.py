""" "Is my machine ready to contribute to this project?" as a list of checks, each with a fix.

Checks are data (:class:`Check`) computed from *probes* passed in (:class:`Probes`): which
programs are on the PATH, what version they report, what git is configured with, and what the
forge said. The real probes live in :mod:`onboard.workspace.tools` and :mod:`onboard.flows.doctor`;
keeping them out of here keeps this module pure, so every verdict and every fix text can be
tested with made-up machines (an old git, no Node.js, a token without scopes) in milliseconds.

Checks are planned before they run (:func:`plan_checks`), so a screen can list every row with a
spinner at once and fill each in as its probe answers.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any

from onboard.core.models import SetupStep
from onboard.core.setup.install_hints import install_hint, upgrade_hint
from onboard.core.setup.project_detect import Detected, Toolchain, detect
from onboard.core.setup.python_env import (
    Interpreter,
    PythonChoice,
    VenvReport,
    VenvState,
    choose_python,
    makes_python_env,
    programs_to_check,
    python_wish,
    read_venv,
)
from onboard.core.setup.versions import release, satisfies
from onboard.core.storage.paths import display_path

_APT_PACKAGE = re.compile(r"apt(?:-get)? install (python3(?:\.\d+)?-venv)")

#: Partial clone (``--filter=blob:none``) and ``sparse-checkout`` work well from here on.
MIN_GIT = (2, 25)
#: Scopes of a classic token that allow forking and pushing to public repositories.
PUSH_SCOPES = ("public_repo", "repo")
#: GitHub's form for a classic token, with the scope onboard needs already ticked.
NEW_TOKEN_URL = "https://github.com/settings/tokens/new?scopes=public_repo&description=onboard"  # noqa: S105


class CheckStatus(StrEnum):
    OK = "ok"
    WARN = "warn"
    FAIL = "fail"
    SKIP = "skip"


@dataclass(frozen=True)
class Check:
    """One verdict. ``detail`` says what was found; ``fix`` says what to do (plain words)."""

    id: str
    title: str
    status: CheckStatus
    detail: str
    fix: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "status": self.status.value,
            "detail": self.detail,
            "fix": self.fix,
        }


@dataclass(frozen=True)
class ForgeReport:
    """What one conversation with the forge revealed. Failures are data, so checks stay pure.

    ``problem_kind`` is ``unreachable``, ``auth``, ``rate_limited`` or ``error``; ``scopes`` is
    ``None`` when the forge listed none (fine-grained tokens), ``()`` for a token without any.
    """

    token_source: str | None
    login: str | None = None
    scopes: tuple[str, ...] | None = None
    rate_remaining: int | None = None
    rate_limit: int | None = None
    reset_at: datetime | None = None
    problem: str | None = None
    problem_kind: str | None = None
    practice: bool = False


@dataclass(frozen=True)
class Probes:
    """Questions about this machine; tests pass made-up answers, the app the real ones."""

    #: Full path of an executable on the PATH, or None.
    which: Callable[[str], str | None]
    #: The version an executable reports (``"2.39.5"``), or None when it could not be read.
    version_of: Callable[[str], str | None]
    #: A git setting as git itself resolves it (``user.email``), or None when unset.
    git_config: Callable[[str], str | None]
    #: Ask the forge who we are and how many requests are left. Never raises.
    forge: Callable[[], ForgeReport]
    #: "GitHub", "practice forge", or a GitHub Enterprise host.
    forge_label: str = "GitHub"
    #: The Pythons setup could make a project's .venv with (``python3``, ``python3.X``; ``py
    #: -3.X`` on Windows). None: ask ``which``/``version_of`` about ``python3`` (or ``py``) only.
    pythons: Callable[[], Sequence[Interpreter]] | None = None
    #: Try ``<python> -m venv`` for real. None: the venv check is not made.
    venv_check: Callable[[tuple[str, ...]], VenvReport] | None = None


@dataclass(frozen=True)
class DoctorTarget:
    """The project to check: a clone folder, and/or the setup steps its guide pack names."""

    path: Path | None = None
    name: str | None = None
    pack_steps: tuple[SetupStep, ...] = ()


@dataclass(frozen=True)
class PlannedCheck:
    id: str
    title: str
    run: Callable[[], Check]


def plan_checks(
    probes: Probes, target: DoctorTarget | None = None, *, os_name: str
) -> list[PlannedCheck]:
    """Every check to run, in display order; nothing is probed until ``run`` is called.

    Reading the project's files (to know which toolchains to check) happens here, so call this
    off the UI thread too.
    """
    target = target or DoctorTarget()
    forge = cache(probes.forge)  # three checks read one answer
    label = probes.forge_label
    plan = [
        PlannedCheck("git", "git", lambda: _git(probes, os_name)),
        PlannedCheck("git-identity", "Your name and email for commits", lambda: _identity(probes)),
        PlannedCheck("forge", f"Connection to {label}", lambda: _reachable(forge(), label)),
        PlannedCheck("token", f"Signed in to {label}", lambda: _token(forge(), label)),
        PlannedCheck("token-scopes", "Token may fork and push", lambda: _scopes(forge())),
    ]
    detected = _detected(target)
    plan.append(PlannedCheck("project", "Project", lambda: _project(target, detected)))
    tools = list(detected.toolchains if detected else ())
    if makes_python_env(target.pack_steps, os_name) and not any(
        tool.name == "Python" for tool in tools
    ):  # not cloned yet, but the pack's steps use Python: check the one setup will use
        executable = "py" if os_name == "windows" else "python3"
        tools.insert(0, Toolchain("Python", executable, None, "the guide pack's setup steps"))
    venv = read_venv(target.path) if target.path is not None else VenvState()
    for tool in tools:
        title = tool.name if tool.name == tool.executable else f"{tool.name} ({tool.executable})"
        if tool.name == "Python":
            choice = cache(lambda tool=tool: _python_choice(probes, tool, venv, os_name))
            plan.append(
                PlannedCheck(
                    f"tool-{tool.executable}",
                    title,
                    lambda tool=tool, choice=choice: _python(choice(), tool, os_name),
                )
            )
            if probes.venv_check is not None:
                plan.append(
                    PlannedCheck(
                        "python-venv",
                        VENV_TITLE,
                        lambda choice=choice: _venv(probes, choice(), os_name),
                    )
                )
            continue
        plan.append(
            PlannedCheck(
                f"tool-{tool.executable}",
                title,
                lambda tool=tool: _toolchain(probes, tool, os_name),
            )
        )
    if target.pack_steps:
        checked = {tool.executable for tool in tools}
        plan.append(
            PlannedCheck(
                "pack-setup",
                "Programs the guide pack's setup runs",
                lambda: _pack_setup(probes, target.pack_steps, checked, os_name),
            )
        )
    return plan


def run_checks(
    probes: Probes,
    target: DoctorTarget | None = None,
    *,
    os_name: str,
    on_check: Callable[[Check], None] | None = None,
) -> list[Check]:
    """Run the plan in order; ``on_check`` sees each verdict as soon as it is known."""
    checks = []
    for planned in plan_checks(probes, target, os_name=os_name):
        check = planned.run()
        checks.append(check)
        if on_check is not None:
            on_check(check)
    return checks


def exit_code(checks: Iterable[Check]) -> int:
    """0 when nothing failed (warnings are advice), 1 otherwise."""
    return 1 if any(check.status is CheckStatus.FAIL for check in checks) else 0


# -- git ----------------------------------------------------------------------------------


def _git(probes: Probes, os_name: str) -> Check:
    path = probes.which("git")
    if path is None:
        return Check(
            "git",
            "git",
            CheckStatus.FAIL,
            "git is not installed (or not on your PATH). onboard and every project need it.",
            f"{install_hint('git', os_name)} Then open a new terminal.",
        )
    version = probes.version_of("git")
    where = display_path(path)
    if version is None:
        return Check(
            "git",
            "git",
            CheckStatus.WARN,
            f"found {where}, but `git --version` did not answer.",
            f"Reinstall git. {install_hint('git', os_name)}",
        )
    numbers = release(version) or ()
    if numbers < MIN_GIT:
        return Check(
            "git",
            "git",
            CheckStatus.WARN,
            f"git {version} ({where}) is older than 2.25: quick partial clones and sparse "
            "checkouts need a newer git, so big projects download slowly.",
            f"Update git. {install_hint('git', os_name)}",
        )
    return Check("git", "git", CheckStatus.OK, f"{version} ({where})")


def _identity(probes: Probes) -> Check:
    title = "Your name and email for commits"
    if probes.which("git") is None:
        return Check("git-identity", title, CheckStatus.SKIP, "needs git first.")
    name = probes.git_config("user.name")
    email = probes.git_config("user.email")
    if name and email:
        return Check("git-identity", title, CheckStatus.OK, f"{name} <{email}>")
    missing = [key for key, value in (("user.name", name), ("user.email", email)) if not value]
    commands = []
    if not name:
        commands.append('git config --global user.name "Your Name"')
    if not email:
        commands.append('git config --global user.email "you@example.com"')
        commands.append(
            "Use your GitHub account's email (or its private noreply address from "
            "https://github.com/settings/emails) so your commits are linked to you."
        )
    return Check(
        "git-identity",
        title,
        CheckStatus.FAIL,
        f"{' and '.join(missing)} {'is' if len(missing) == 1 else 'are'} not set: git needs "
        "them to record who made each commit, and refuses to commit without them.",
        "\n".join(commands),
    )


# -- the forge ----------------------------------------------------------------------------


def _reachable(report: ForgeReport, label: str) -> Check:
    title = f"Connection to {label}"
    if report.problem_kind == "unreachable":
        fix = (
            "Start it again with: onboard practice"
            if report.practice
            else "Check your internet connection (and proxy), then run the doctor again. "
            "To rehearse offline meanwhile: onboard practice"
        )
        return Check("forge", title, CheckStatus.FAIL, report.problem or "no answer.", fix)
    if report.problem_kind == "rate_limited" or report.rate_remaining == 0:
        when = f" until {_clock(report.reset_at)}" if report.reset_at else ""
        hint = "" if report.token_source else " Signing in (GH_TOKEN) allows far more requests."
        return Check(
            "forge",
            title,
            CheckStatus.WARN,
            f"{label} answers, but no requests are left{when}.",
            f"Wait{when or ' a while'}, then try again.{hint}",
        )
    if report.rate_remaining is None or report.rate_limit is None:
        return Check("forge", title, CheckStatus.OK, f"{label} answers.")
    reset = f", resets at {_clock(report.reset_at)}" if report.reset_at else ""
    return Check(
        "forge",
        title,
        CheckStatus.OK,
        f"{label} answers; {report.rate_remaining:,} of {report.rate_limit:,} requests left "
        f"this hour{reset}.",
    )


def _token(report: ForgeReport, label: str) -> Check:
    title = f"Signed in to {label}"
    source = report.token_source
    if source is None:
        github = label == "GitHub"
        fix = (
            "Log in with the GitHub CLI: gh auth login (onboard finds its token), or create a "
            f"token at {NEW_TOKEN_URL} and set GH_TOKEN to it."
            if github
            else f"Create a token on {label} and set GH_TOKEN to it."
        )
        return Check(
            "token",
            title,
            CheckStatus.WARN,
            "no token found (onboard looks in GH_TOKEN, GITHUB_TOKEN and `gh auth token`): you can "
            "look around, but "
            "forking, claiming an issue and opening a pull request need you to sign in.",
            fix,
        )
    if report.problem_kind == "auth":
        again = "gh auth login" if source == "gh auth token" else f"unset {source}"
        return Check(
            "token",
            title,
            CheckStatus.FAIL,
            f"{label} did not accept the token from {source}.",
            f"It may be expired or mistyped: create a new one ({NEW_TOKEN_URL}) and put it in "
            f"{source if source != 'gh auth token' else 'GH_TOKEN'}, or run: {again}.",
        )
    if report.problem_kind is not None or report.login is None:
        why = report.problem or f"{label} did not say who the token belongs to."
        return Check(
            "token",
            title,
            CheckStatus.SKIP,
            f"a token from {source} was found but could not be checked: {why}",
        )
    return Check(
        "token", title, CheckStatus.OK, f"signed in as {report.login} (token from {source})."
    )


def _scopes(report: ForgeReport) -> Check:
    title = "Token may fork and push"
    if report.token_source is None or report.login is None or report.problem_kind is not None:
        return Check("token-scopes", title, CheckStatus.SKIP, "needs a working token first.")
    if report.scopes is None:
        return Check(
            "token-scopes",
            title,
            CheckStatus.SKIP,
            "fine-grained token: scopes not listed, so onboard cannot check them here. It "
            "needs read and write access to contents and pull requests of your fork.",
        )
    listed = ", ".join(report.scopes) if report.scopes else "no scopes"
    if any(scope in PUSH_SCOPES for scope in report.scopes):
        return Check("token-scopes", title, CheckStatus.OK, f"scopes: {listed}.")
    return Check(
        "token-scopes",
        title,
        CheckStatus.WARN,
        f"this classic token has {listed}, but forking and pushing need 'public_repo' (or 'repo').",
        f"Create a token with the public_repo scope at {NEW_TOKEN_URL} and set GH_TOKEN to it, "
        "or if it came from the GitHub CLI: gh auth refresh --scopes public_repo",
    )


def _clock(moment: datetime | None) -> str:
    return f"{moment.astimezone():%H:%M}" if moment else "later"


# -- the project --------------------------------------------------------------------------


def _detected(target: DoctorTarget) -> Detected | None:
    if target.path is None or not target.path.is_dir():
        return None
    return detect(target.path)


def _project(target: DoctorTarget, detected: Detected | None) -> Check:
    name = target.name or (target.path.name if target.path else "")
    if target.path is None:
        if target.pack_steps:
            return Check(
                "project",
                "Project",
                CheckStatus.SKIP,
                f"{name} is not cloned yet; only the guide pack's setup programs are checked.",
            )
        return Check(
            "project",
            "Project",
            CheckStatus.SKIP,
            "no project chosen yet. To check what a project needs, give its folder: "
            "onboard doctor PATH",
        )
    where = display_path(target.path)
    if detected is None:
        return Check(
            "project",
            "Project",
            CheckStatus.FAIL,
            f"{where} is not a folder.",
            "Give the folder of your clone, for example: onboard doctor "
            "~/onboard-projects/OWNER/NAME",
        )
    if not detected.toolchains:
        return Check(
            "project",
            "Project",
            CheckStatus.SKIP,
            f"{where}: onboard recognises none of its files (pyproject.toml, package.json, "
            "Cargo.toml, go.mod, Makefile…). Its README or CONTRIBUTING guide says what it needs.",
        )
    needs = ", ".join(tool.name for tool in detected.toolchains)
    tests = f"; tests: {shlex.join(detected.test.argv)}" if detected.test else ""
    return Check("project", "Project", CheckStatus.OK, f"{where} needs {needs}{tests}.")


def _toolchain(probes: Probes, tool: Toolchain, os_name: str) -> Check:
    check_id = f"tool-{tool.executable}"
    title = tool.name if tool.name == tool.executable else f"{tool.name} ({tool.executable})"
    wanted = tool.version_wanted
    why = (
        f"{tool.evidence} asks for {wanted}" if wanted else f"the project uses it ({tool.evidence})"
    )
    path = probes.which(tool.executable)
    if path is None:
        return Check(
            check_id,
            title,
            CheckStatus.FAIL,
            f"{tool.executable} is not installed (or not on your PATH); {why}.",
            install_hint(tool.executable, os_name),
        )
    version = probes.version_of(tool.executable)
    where = display_path(path)
    if version is None:
        status = CheckStatus.WARN if wanted else CheckStatus.OK
        return Check(
            check_id,
            title,
            status,
            f"found {where}, but could not read its version{'; ' + why if wanted else ''}.",
        )
    if not wanted:
        return Check(check_id, title, CheckStatus.OK, f"{version} ({where})")
    fits = satisfies(version, wanted)
    if fits is None:
        return Check(
            check_id,
            title,
            CheckStatus.OK,
            f"{version} ({where}); {tool.evidence} asks for '{wanted}', which onboard cannot "
            "compare.",
        )
    if fits:
        return Check(check_id, title, CheckStatus.OK, f"{version} fits {wanted} ({tool.evidence}).")
    consequence = (
        "the project's tools refuse other versions"
        if tool.enforced
        else "things may still work, but the project is tested with that version"
    )
    return Check(
        check_id,
        title,
        CheckStatus.FAIL if tool.enforced else CheckStatus.WARN,
        f"{tool.executable} {version} does not fit {wanted} ({tool.evidence}): {consequence}.",
        upgrade_hint(tool.name, tool.executable, wanted, os_name),
    )


VENV_TITLE = "Python virtual environments (venv)"


def _python_choice(probes: Probes, tool: Toolchain, venv: VenvState, os_name: str) -> PythonChoice:
    """The Python setup would make .venv with: the same choice, from the same rules."""
    if probes.pythons is not None:
        found = tuple(probes.pythons())
    else:
        path = probes.which(tool.executable)
        version = probes.version_of(tool.executable) if path else None
        found = (Interpreter((tool.executable,), version, path),) if version else ()
    wish = python_wish(Detected((tool,), (), None))
    prefer = (release(venv.version) or ())[:2] if venv.version else ()
    return choose_python(found, wish, os_name=os_name, prefer=prefer)


def _python(choice: PythonChoice, tool: Toolchain, os_name: str) -> Check:
    """Is there a Python, under the names setup uses, that fits the project?"""
    check_id = f"tool-{tool.executable}"
    title = tool.name if tool.name == tool.executable else f"{tool.name} ({tool.executable})"
    chosen = choice.interpreter
    if chosen is None and not choice.found:
        return Check(
            check_id,
            title,
            CheckStatus.FAIL,
            "no Python 3 is installed (onboard looked for python3 and python3.X on your PATH); "
            f"the project's setup makes its .venv with one ({tool.evidence}).",
            install_hint(tool.executable, os_name),
        )
    wanted = tool.version_wanted
    if chosen is None:
        newest = max(choice.found, key=lambda item: release(item.version) or ())
        return Check(
            check_id,
            title,
            CheckStatus.FAIL,
            f"{newest.label} {newest.version} does not fit {wanted} ({tool.evidence}): the "
            "project's tools refuse other versions. "
            f"Found: {_found(choice.found)}.",
            upgrade_hint(tool.name, tool.executable, wanted or "", os_name),
        )
    where = f"{chosen.label}, {display_path(chosen.path)}" if chosen.path else chosen.label
    makes = "setup makes the project's .venv with it"
    if choice.warning:
        return Check(
            check_id,
            title,
            CheckStatus.WARN,
            f"{chosen.label} {chosen.version} does not fit {wanted} ({tool.evidence}): things "
            "may still work, but the project is tested with that version.",
            upgrade_hint(tool.name, tool.executable, wanted or "", os_name),
        )
    if not wanted:
        return Check(check_id, title, CheckStatus.OK, f"{chosen.version} ({where}); {makes}.")
    if choice.fits is None:
        return Check(
            check_id,
            title,
            CheckStatus.OK,
            f"{chosen.version} ({where}); {tool.evidence} asks for '{wanted}', which onboard "
            f"cannot compare; {makes}.",
        )
    return Check(
        check_id,
        title,
        CheckStatus.OK,
        f"{chosen.version} ({where}) fits {wanted} ({tool.evidence}); {makes}.",
    )


def _found(found: Iterable[Interpreter]) -> str:
    return ", ".join(f"{item.label} {item.version}" for item in found)


def _venv(probes: Probes, choice: PythonChoice, os_name: str) -> Check:
    """Can that Python make a venv? Debian's needs python3-venv for ensurepip."""
    chosen = choice.interpreter
    if chosen is None or probes.venv_check is None:
        return Check("python-venv", VENV_TITLE, CheckStatus.SKIP, "needs a fitting Python first.")
    command = f"{chosen.label} -m venv"
    report = probes.venv_check(chosen.command)
    if report.ok:
        return Check(
            "python-venv",
            VENV_TITLE,
            CheckStatus.OK,
            f"{command} works: setup can make the project's own .venv.",
        )
    return Check(
        "python-venv",
        VENV_TITLE,
        CheckStatus.FAIL,
        f"{command} fails, so setup cannot make the project's .venv: {_last_line(report.output)}",
        _venv_fix(chosen, report.output, os_name),
    )


def _last_line(output: str) -> str:
    """The sentence that says why (ensurepip's complaint), not the whole message.

    Debian wraps its message over several lines (breaking "ensurepip is not available" in two), so
    the text is read with its line breaks undone.
    """
    flat = " ".join(output.split())
    if "ensurepip is not available" in flat:
        return "ensurepip is not available (Debian and Ubuntu ship it in a separate package)."
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    return lines[-1] if lines else "it gave no reason."


def _venv_fix(chosen: Interpreter, output: str, os_name: str) -> str:
    """Debian splits venv's pip bootstrap into a package; its error message names it."""
    if os_name == "linux":
        named = _APT_PACKAGE.search(" ".join(output.split()))
        if named:
            package = named.group(1)
        elif chosen.versioned:
            package = f"python{'.'.join(map(str, chosen.minor))}-venv"
        else:
            package = "python3-venv"
        return (
            f"sudo apt install {package} (Debian, Ubuntu: venv needs it to put pip into a new "
            "environment), then run the doctor again."
        )
    if os_name == "macos":
        return "Reinstall Python: brew install python, or the installer from python.org."
    return "Reinstall Python from https://www.python.org/downloads/ (its installer brings venv)."


def _pack_setup(
    probes: Probes, steps: tuple[SetupStep, ...], checked: set[str], os_name: str
) -> Check:
    title = "Programs the guide pack's setup runs"
    # python and pip mean the clone's .venv (the Python check covers it); .venv/bin/… and what
    # an earlier pip step installs into .venv are made by the steps, not something to install.
    needed = [program for program in programs_to_check(steps, os_name) if program not in checked]
    if not needed:
        return Check("pack-setup", title, CheckStatus.OK, "nothing beyond the checks above.")
    missing = [program for program in needed if probes.which(program) is None]
    if not missing:
        return Check("pack-setup", title, CheckStatus.OK, f"found {', '.join(needed)}.")
    return Check(
        "pack-setup",
        title,
        CheckStatus.FAIL,
        f"{', '.join(missing)} {'is' if len(missing) == 1 else 'are'} not installed; the "
        "guide pack's setup steps run "
        f"{'it' if len(missing) == 1 else 'them'}.",
        "\n".join(install_hint(program, os_name) for program in missing),
    )
