"""Assemble a learner's progress report from real state: for ``onboard report`` and the app.

The facts are gathered (:mod:`onboard.flows.session_facts`), the checkpoints' first-seen times
are logged in state so the next report gives the same times, and the pure
:func:`onboard.core.sessions.report.build_report` does the rest: no token, no path outside the
workspace. It runs git, so call it from a worker thread in the app.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from onboard import __version__
from onboard.core.models import RepoRef
from onboard.core.packs.loading import load_all_packs
from onboard.core.sessions.checkpoints import evaluate
from onboard.core.sessions.progress import now_utc
from onboard.core.sessions.report import Learner, build_report
from onboard.core.sessions.report_render import render
from onboard.core.sessions.room import PRACTICE_TOKEN_ENV
from onboard.core.sessions.session import Session
from onboard.core.storage import paths
from onboard.core.storage.fsutil import atomic_write_text
from onboard.core.storage.state import StateError, StateStore
from onboard.flows.session_facts import gather_facts
from onboard.workspace.identity import git_identity


def make_report(
    store: StateStore,
    session: Session,
    *,
    check_remote: bool = True,
    include_email: bool = False,
    on_save_problem: Callable[[StateError], None] = lambda _error: None,
) -> dict[str, object]:
    """The report of ``session`` as plain data; saving the checkpoint log is best effort."""
    packs, _errors = load_all_packs()
    facts = gather_facts(store, session.id, check_remote=check_remote, packs=packs)
    # Log what is seen now, then read the log back: times stay the same in every later report.
    try:
        store.mark_checkpoints(session.id, evaluate(session, facts))
    except StateError as error:  # progress that cannot be saved must not stop the report
        on_save_problem(error)
    progress = store.session_progress(session.id)
    facts = replace(facts, first_seen={**facts.first_seen, **progress.checkpoints})
    identity = git_identity()
    pack_projects: set[RepoRef] = {
        project.repo for pack in packs if pack.name in session.packs for project in pack.projects
    }
    return build_report(
        session,
        progress,
        facts,
        learner=Learner(identity.name, identity.email),
        workspace_root=paths.workspace_dir(),
        generated_at=now_utc(),
        generator=f"onboard {__version__}",
        include_email=include_email,
        secrets=known_secrets(),
        home=str(Path.home()),
        pack_projects=pack_projects,
    )


def export_report_files(store: StateStore, session: Session, folder: Path) -> list[Path]:
    """Write the report as JSON (for the mentor's dashboard) and Markdown (to read), atomically.

    Raises what writing or gathering raises (``OSError``, ``StateError``, ``WorkspaceError``);
    returns the two paths, JSON first.
    """
    report = make_report(store, session)
    written = []
    for fmt in ("json", "md"):
        path = report_file(folder, session.id, fmt)
        atomic_write_text(path, render(report, fmt))
        written.append(path)
    return written


def known_secrets() -> list[str]:
    """Token values this process can see, removed from the report even if shaped unusually."""
    secrets = [os.environ.get(name, "") for name in ("GH_TOKEN", "GITHUB_TOKEN")]
    with contextlib.suppress(OSError, UnicodeDecodeError):
        secrets.append((paths.practice_dir() / "token").read_text(encoding="utf-8").strip())
    if own := os.environ.get(PRACTICE_TOKEN_ENV, "").strip():  # a room's learner
        with contextlib.suppress(OSError, UnicodeDecodeError):
            secrets.append(Path(own).read_text(encoding="utf-8").strip())
    return [secret for secret in secrets if secret]


def report_file(folder: Path, session_id: str, fmt: str) -> Path:
    """Where the app writes a report: one file per session and format, replaced each time."""
    return folder / f"onboard-report-{session_id}.{fmt}"
