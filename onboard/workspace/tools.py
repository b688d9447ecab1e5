"""Asking this machine about its tools: is ``node`` installed, which version, who is git's user.

These are the doctor's real probes (:class:`onboard.core.setup.doctor.Probes`). They run programs,
so they follow the same rules as everything else onboard runs: an argv list (never a shell), no
stdin, a 5-second timeout, git without prompts. Only executables resolved to an absolute path
are run: with ``.`` on the PATH, ``shutil.which("node")`` could otherwise pick a ``node`` file
that a cloned project ships, and asking for its version would run a stranger's program.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Mapping
from pathlib import Path

from onboard.core.setup.versions import version_in_text
from onboard.workspace.gitenv import GIT_ENV

PROBE_TIMEOUT_SECONDS = 5.0
#: The few tools that do not answer ``--version``.
VERSION_ARGS: dict[str, tuple[str, ...]] = {"go": ("version",)}
MAX_OUTPUT_BYTES = 4096


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
