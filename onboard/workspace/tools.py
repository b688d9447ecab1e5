"""Asking this machine about its tools: is ``node`` installed, which version, who is git's user.

These are the doctor's real probes (:class:`onboard.core.setup.doctor.Probes`). They run programs,
so they follow the same rules as everything else onboard runs: an argv list (never a shell), no
stdin, a 5-second timeout, git without prompts. Only executables resolved to an absolute path
are run: with ``.`` on the PATH, ``shutil.which("node")`` could otherwise pick a ``node`` file
that a cloned project ships, and asking for its version would run a stranger's program.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Mapping
from pathlib import Path

from onboard.core.setup.python_env import Interpreter, VenvReport
from onboard.core.setup.versions import release, version_in_text
from onboard.workspace.commands import own_environments, same_dir, scripts_dir
from onboard.workspace.gitenv import GIT_ENV

PROBE_TIMEOUT_SECONDS = 5.0
#: The few tools that do not answer ``--version``.
VERSION_ARGS: dict[str, tuple[str, ...]] = {"go": ("version",)}
MAX_OUTPUT_BYTES = 4096
#: Making a throw-away venv installs pip into it (ensurepip): seconds, not milliseconds.
VENV_TIMEOUT_SECONDS = 120.0
_PYTHON_NAME = re.compile(r"^python3(?:\.(\d+))?$")
#: ``py --list`` lines: `` -V:3.12 *  Python 3.12 (64-bit)`` (new) or `` -3.12-64 *`` (old).
_LAUNCHER_LINE = re.compile(r"^\s*-(?:V:)?(3\.\d+)(?:-(?:32|64|arm64))?\b")


def which(executable: str, environ: Mapping[str, str] | None = None) -> str | None:
    """The absolute path ``executable`` resolves to on the PATH, or ``None``.

    A relative answer (from ``.`` or an empty entry on the PATH) counts as "not installed":
    it depends on the current folder, which may be a stranger's clone.
    """
    env = os.environ if environ is None else environ
    found = shutil.which(executable, path=env.get("PATH", os.defpath))
    if found is None or not Path(found).is_absolute():
        return None
    return found


def run_probe(
    argv: list[str],
    *,
    timeout: float = PROBE_TIMEOUT_SECONDS,
    environ: Mapping[str, str] | None = None,
) -> tuple[int, str, str] | None:
    """Run ``argv`` briefly; ``(exit code, stdout, stderr)`` or ``None`` if it could not run.

    It runs in the temporary folder, away from any clone, with stdin closed so a program that
    wants input gets end-of-file instead of waiting forever.
    """
    env = dict(os.environ if environ is None else environ)
    env.update(GIT_ENV)
    try:
        result = subprocess.run(
            argv,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=timeout,
            cwd=tempfile.gettempdir(),
            env=env,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):  # missing, not executable, timed out
        return None
    return (
        result.returncode,
        result.stdout[:MAX_OUTPUT_BYTES].decode("utf-8", errors="replace"),
        result.stderr[:MAX_OUTPUT_BYTES].decode("utf-8", errors="replace"),
    )


def executable_version(
    executable: str,
    *,
    timeout: float = PROBE_TIMEOUT_SECONDS,
    environ: Mapping[str, str] | None = None,
) -> str | None:
    """The version ``executable --version`` reports (``"3.11.7"``), or ``None`` if unknown.

    Some tools print their version on stderr (``nox``, old ``python``); both are read. A tool that
    exits with an error or prints no number gives ``None``.
    """
    path = which(executable, environ)
    if path is None:
        return None
    name = Path(executable).name.removesuffix(".exe")
    answer = run_probe(
        [path, *VERSION_ARGS.get(name, ("--version",))], timeout=timeout, environ=environ
    )
    if answer is None or answer[0] != 0:
        return None
    return version_in_text(answer[1]) or version_in_text(answer[2])


def git_config(key: str, environ: Mapping[str, str] | None = None) -> str | None:
    """A git setting as git resolves it outside any repository (global and system config)."""
    git = which("git", environ)
    if git is None:
        return None
    answer = run_probe([git, "config", "--get", "--", key], environ=environ)
    if answer is None or answer[0] != 0:
        return None
    value = answer[1].strip()
    return value or None


def python_interpreters(
    environ: Mapping[str, str] | None = None, *, os_name: str | None = None
) -> tuple[Interpreter, ...]:
    """The Pythons setup could make a clone's ``.venv`` with, each asked for its version.

    On Linux and macOS: ``python3`` and every ``python3.X`` on the PATH (the first of each name,
    as a shell finds it); on Windows the ``py`` launcher's list (``py -3.12``). A name that does
    not answer ``--version`` (a pyenv shim for a version not selected) is left out, and so are
    onboard's own virtual environment and an activated one: they are not "this computer's
    Python", and setup takes them off the PATH anyway. Never a bare ``python``: Debian has none.
    """
    env = os.environ if environ is None else environ
    if (os_name or ("windows" if sys.platform == "win32" else "linux")) == "windows":
        return _launcher_pythons(env)
    hidden = [scripts_dir(folder) for folder in own_environments(env)]
    paths: dict[str, str] = {}
    for folder in env.get("PATH", os.defpath).split(os.pathsep):
        if not folder or not Path(folder).is_absolute():
            continue
        if any(same_dir(folder, other) for other in hidden):
            continue
        try:
            names = sorted(entry.name for entry in os.scandir(folder))
        except OSError:
            continue
        for name in names:
            if _PYTHON_NAME.match(name) and name not in paths:
                path = Path(folder) / name
                if os.access(path, os.X_OK) and not path.is_dir():
                    paths[name] = str(path)
    found: list[Interpreter] = []
    versions: dict[str, str | None] = {}
    for name in sorted(paths, key=_name_order):
        real = os.path.realpath(paths[name])
        if real not in versions:
            versions[real] = _reported_version([paths[name], "--version"], env)
        version = versions[real]
        if version is not None and (release(version) or (0,))[0] == 3:
            found.append(Interpreter((name,), version, paths[name]))
    return tuple(found)


def _reported_version(argv: list[str], env: Mapping[str, str]) -> str | None:
    """The version ``argv`` prints (``Python 3.11.2``), or None when it fails or says nothing."""
    answer = run_probe(argv, environ=env)
    if answer is None or answer[0] != 0:
        return None
    return version_in_text(answer[1]) or version_in_text(answer[2])


def _name_order(name: str) -> tuple[int, int]:
    """``python3`` first, then ``python3.X`` newest first."""
    match = _PYTHON_NAME.match(name)
    minor = match.group(1) if match else None
    return (0, 0) if minor is None else (1, -int(minor))


def _launcher_pythons(env: Mapping[str, str]) -> tuple[Interpreter, ...]:
    launcher = which("py", env)
    if launcher is None:
        return ()
    answer = run_probe([launcher, "--list"], environ=env)
    if answer is None or answer[0] != 0:
        return ()
    found: list[Interpreter] = []
    for line in (answer[1] + "\n" + answer[2]).splitlines():
        match = _LAUNCHER_LINE.match(line)
        if match is None or any(item.command[1] == f"-{match.group(1)}" for item in found):
            continue
        flag = f"-{match.group(1)}"
        number = _reported_version([launcher, flag, "--version"], env)
        if number:
            found.append(Interpreter(("py", flag), number, launcher))
    return tuple(found)


def venv_check(
    command: tuple[str, ...],
    environ: Mapping[str, str] | None = None,
    *,
    timeout: float = VENV_TIMEOUT_SECONDS,
) -> VenvReport:
    """Whether ``<command> -m venv`` really makes an environment with pip in it.

    It makes one in a temporary folder and deletes it: Debian's ``python3`` without the
    ``python3-venv`` package imports ``venv`` fine and fails only when ensurepip runs ("ensurepip
    is not available"), so nothing short of trying tells the truth.
    """
    path = which(command[0], environ)
    if path is None:
        return VenvReport(False, f"{command[0]} is not on your PATH")
    with tempfile.TemporaryDirectory(prefix="onboard-venv-check-") as folder:
        target = Path(folder) / "venv"
        answer = run_probe(
            [path, *command[1:], "-m", "venv", str(target)], timeout=timeout, environ=environ
        )
        if answer is None:
            return VenvReport(False, f"{' '.join(command)} -m venv did not finish")
        python = target / ("Scripts/python.exe" if sys.platform == "win32" else "bin/python")
        pip = target / ("Scripts/pip.exe" if sys.platform == "win32" else "bin/pip")
        output = (answer[1] + answer[2]).strip()
        if answer[0] == 0 and python.exists() and pip.exists():
            return VenvReport(True, output)
        return VenvReport(False, output or f"exit status {answer[0]}")


#: Interpreters whose ``venv`` worked in this process, by what would change if they were
#: reinstalled: making a throwaway environment with pip takes seconds each time.
_venv_worked: set[tuple[str, int, int]] = set()
_venv_lock = threading.Lock()


def venv_check_remembered(
    command: tuple[str, ...], environ: Mapping[str, str] | None = None
) -> VenvReport:
    """:func:`venv_check`, tried once per interpreter and process while it keeps working.

    The doctor asks again at every F2 and every ``onboard doctor`` in one run: only a success
    is remembered (for the same interpreter file, size and time), so a Python that could not
    make an environment is tried afresh after the learner installs ``python3-venv``.
    """
    path = which(command[0], environ)
    if path is None:
        return venv_check(command, environ)
    try:
        real = Path(path).resolve()
        stat = real.stat()
    except OSError:
        return venv_check(command, environ)
    key = (f"{real}\0{' '.join(command[1:])}", stat.st_size, stat.st_mtime_ns)
    with _venv_lock:
        if key in _venv_worked:
            return VenvReport(True, "made an environment with pip earlier in this run")
    report = venv_check(command, environ)
    if report.ok:
        with _venv_lock:
            _venv_worked.add(key)
    return report
