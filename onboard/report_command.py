"""``onboard report``: export what the learner did, for their mentor. Thin CLI glue.

The facts are gathered (:mod:`onboard.flows.session_facts`), the checkpoints' first-seen times
are logged in state so the next report gives the same times, and the pure
:func:`onboard.core.report.build_report` does the rest.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from onboard import __version__
from onboard.cli_output import write_output
from onboard.core import paths
from onboard.core.checkpoints import evaluate
from onboard.core.models import RepoRef
from onboard.core.packs import load_all_packs
from onboard.core.report import Learner, build_report
from onboard.core.report_render import render
from onboard.core.sanitize import clean
from onboard.core.session import (
    SELF_GUIDED_ID,
    Session,
    SessionError,
    load_session,
    self_guided_session,
)
from onboard.core.session_progress import now_utc
from onboard.core.state import StateError, StateStore
from onboard.flows.session_facts import gather_facts
from onboard.workspace.identity import git_identity

_SUFFIX_FORMATS = {".md": "md", ".markdown": "md", ".json": "json", ".toml": "toml"}


def run_report_command(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    fmt = args.format or _SUFFIX_FORMATS.get(
        args.output.suffix.lower() if args.output else "", "md"
    )
    store = StateStore(paths.state_path())
    try:
        session = _session(store, args.session)
    except SessionError as error:
        for problem in error.problems:
            print(clean(str(problem), one_line=True, max_length=1000), file=sys.stderr)
        print(f"onboard: {args.session} is not a usable session file", file=sys.stderr)
        return 1
    try:
        report = _build(store, session, args)
    except StateError as error:
        print(f"onboard: {clean(error, one_line=True)}", file=sys.stderr)
        return 1
    if not write_output(args.output, render(report, fmt)):
        return 1
    if args.output is not None:
        print(f"Wrote your report to {args.output}. Check it, then send it to your mentor.")
    return 0


def _session(store: StateStore, file: Path | None) -> Session:
    if file is not None:
        session = load_session(file)
        _best_effort(lambda: store.join_session(session.id, session.title))
        return session
    active = store.active_session()
    title = store.session_progress(active).title if active else ""
    return self_guided_session(active or SELF_GUIDED_ID, title)


def _build(store: StateStore, session: Session, args: argparse.Namespace) -> dict[str, object]:
    facts = gather_facts(store, session.id, check_remote=not args.offline)
    # Log what is seen now, then read the log back: times stay the same in every later report.
    _best_effort(lambda: store.mark_checkpoints(session.id, evaluate(session, facts)))
    progress = store.session_progress(session.id)
    facts = replace(facts, first_seen={**facts.first_seen, **progress.checkpoints})
    identity = git_identity()
    packs, _errors = load_all_packs()
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
        include_email=args.include_email,
        secrets=_known_secrets(),
        home=str(Path.home()),
        pack_projects=pack_projects,
    )


def _best_effort(write: Callable[[], None]) -> None:
    """Progress that cannot be saved must not stop the report: say so and go on."""
    try:
        write()
    except StateError as error:
        print(f"onboard: {clean(error, one_line=True)}", file=sys.stderr)


def _known_secrets() -> list[str]:
    """Token values this process can see, removed from the report even if shaped unusually."""
    secrets = [os.environ.get(name, "") for name in ("GH_TOKEN", "GITHUB_TOKEN")]
    with contextlib.suppress(OSError, UnicodeDecodeError):
        secrets.append((paths.practice_dir() / "token").read_text(encoding="utf-8").strip())
    return [secret for secret in secrets if secret]
