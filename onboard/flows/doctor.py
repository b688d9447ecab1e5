"""Wiring the doctor to the real world: this machine's tools, the forge, the saved journey.

:mod:`onboard.core.setup.doctor` decides; this module only gathers answers for it. The CLI and the
doctor screen both call :func:`real_probes` and :func:`doctor_target`, so they always agree.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from onboard.core.models import Project, RepoRef, SetupStep
from onboard.core.packs.loading import Pack
from onboard.core.setup.doctor import DoctorTarget, ForgeReport, Probes
from onboard.forge.base import (
    Forge,
    ForgeAuthError,
    ForgeError,
    ForgeRateLimited,
    ForgeUnreachable,
)
from onboard.workspace import tools

if TYPE_CHECKING:
    from onboard.core.journey import Journey


def real_probes(forge: Forge) -> Probes:
    """Probes that run ``<tool> --version``, read git's config and ask ``forge``.

    Pythons are listed and ``venv`` is tried with the same probes project setup uses
    (:func:`onboard.workspace.tools.python_interpreters`), so the doctor vouches for exactly
    the Python that will make the project's ``.venv``.
    """
    return Probes(
        which=tools.which,
        version_of=tools.executable_version,
        git_config=tools.git_config,
        forge=lambda: forge_report(forge),
        forge_label=forge.config.label,
        pythons=tools.python_interpreters,
        venv_check=tools.venv_check_remembered,
    )


def forge_report(forge: Forge) -> ForgeReport:
    """Two requests: ``GET /rate_limit`` (free: it never counts against the limit), then, with
    a token, ``GET /user`` for the login and the token's scopes. Errors become data."""
    config = forge.config
    base = {"token_source": config.token_source, "practice": config.practice}
    try:
        limit = forge.rate_limit()
        info = forge.token_info() if config.token else None
    except ForgeError as error:
        return ForgeReport(**base, problem=str(error), problem_kind=_kind(error))
    core = forge.rate_limits.get("core")
    remaining, total = (core.remaining, core.limit) if core else (limit.remaining, limit.limit)
    return ForgeReport(
        **base,
        login=info.login if info else None,
        scopes=info.scopes if info else None,
        rate_remaining=remaining,
        rate_limit=total,
        reset_at=core.reset_at if core else limit.reset_at,
    )


def _kind(error: ForgeError) -> str:
    if isinstance(error, ForgeUnreachable):
        return "unreachable"
    if isinstance(error, ForgeAuthError):
        return "auth"
    if isinstance(error, ForgeRateLimited):
        return "rate_limited"
    return "error"


def doctor_target(
    path: Path | None,
    *,
    journey: Journey | None,
    packs: list[Pack],
    forge_kind: str,
    workspace_root: Path,
) -> DoctorTarget:
    """What to check: ``path`` if given, else the current journey's clone.

    The guide pack's setup steps join in when the folder belongs to a pack project: the journey's
    project when ``path`` is its clone, or the ``OWNER/NAME`` a path under the workspace names.
    ``forge_kind`` is ``github`` or ``practice``, so a practice project never matches GitHub's.
    """
    name: str | None = None
    if path is None and journey is not None and journey.project:
        name = journey.project
        path = Path(journey.clone_path) if journey.clone_path else None
    elif path is not None:
        path = path.expanduser().absolute()
        if journey is not None and journey.clone_path and _same(path, Path(journey.clone_path)):
            name = journey.project
        else:
            name = _name_in_workspace(path, workspace_root)
    project = _pack_project(name, packs, forge_kind)
    steps: tuple[SetupStep, ...] = ()
    if project is not None:
        steps = project.setup
        if project.test_command:
            steps += (SetupStep(project.test_command, "Run the tests."),)
    return DoctorTarget(path=path, name=name, pack_steps=steps)


def _same(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.expanduser().resolve()
    except OSError:
        return False


def _name_in_workspace(path: Path, workspace_root: Path) -> str | None:
    """``~/onboard-projects/OWNER/NAME`` → ``OWNER/NAME``, onboard's own layout for clones."""
    try:
        parts = path.resolve().relative_to(workspace_root.expanduser().resolve()).parts
    except (OSError, ValueError):
        return None
    if len(parts) != 2:
        return None
    try:
        return RepoRef.parse("/".join(parts)).full_name
    except ValueError:
        return None


def _pack_project(name: str | None, packs: list[Pack], forge_kind: str) -> Project | None:
    if not name:
        return None
    for pack in packs:
        if pack.forge != forge_kind:
            continue
        for project in pack.projects:
            if project.repo.full_name.casefold() == name.casefold():
                return project
    return None
