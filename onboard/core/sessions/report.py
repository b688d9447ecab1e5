"""A learner's progress report: what they did in a session, safe to hand to a mentor.

:func:`build_report` is pure: it takes the session, the learner's progress and the facts, and
returns plain data in the ``onboard-report/1`` shape (``schemas/report-v1.schema.json``), which
:mod:`onboard.core.sessions.report_render` prints as JSON, TOML or Markdown. The measures are the
ones an OSPO uses: checkpoints with times, every kind of contribution (issues, pull requests,
reviews, non-code work), where the learner got stuck and why, and time per step.

A report leaves the learner's computer, so it is built to be safe to share:

- no token ever: known secret values and anything shaped like a GitHub or practice token are
  replaced by ``[token removed]``; URLs lose any ``user:password@`` part and query string;
- no path outside the workspace: clone paths become relative to the workspace folder, and a
  clone anywhere else is reported without its path; the home folder in free text becomes ``~``;
- no email unless asked for (``include_email``);
- free text is sanitised (:func:`onboard.core.text.sanitize.clean`) and, in Markdown, escaped
  (:mod:`onboard.core.text.markdown`).
"""

from __future__ import annotations

import os
import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path, PurePath
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from onboard.core.barriers import BARRIERS
from onboard.core.contributions.counted import counts_of, learner_items, review_ref
from onboard.core.models import RepoRef
from onboard.core.sessions.checkpoints import CheckpointStatus, Facts, evaluate
from onboard.core.sessions.progress import SessionEvent, SessionProgress, utc_stamp
from onboard.core.sessions.session import Session
from onboard.core.text.sanitize import clean

REPORT_FORMAT = "onboard-report/1"
ANONYMOUS = "anonymous"
REDACTED = "[token removed]"
#: GitHub tokens (classic, fine-grained, OAuth, app) and the practice forge's own.
_TOKEN_SHAPES = re.compile(
    r"\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}|opf_[0-9a-f]{20,})\b"
)
MAX_TEXT = 2_000


@dataclass(frozen=True)
class Learner:
    name: str | None
    email: str | None = None


class _Scrubber:
    """Makes one string safe to export: controls, secrets, home folder."""

    def __init__(self, secrets: Sequence[str], home: str | None) -> None:
        self._secrets = sorted({s for s in secrets if len(s) >= 8}, key=len, reverse=True)
        self._home = home.rstrip("/\\") if home and len(home) > 1 else None

    def text(self, value: object, *, one_line: bool = True, max_length: int = MAX_TEXT) -> str:
        text = clean(value, one_line=one_line, max_length=max_length)
        for secret in self._secrets:
            text = text.replace(secret, REDACTED)
        text = _TOKEN_SHAPES.sub(REDACTED, text)
        if self._home:
            text = text.replace(self._home, "~")
        return text

    def url(self, value: object) -> str | None:
        """An http(s) URL without credentials or query; anything else is dropped."""
        if not isinstance(value, str) or len(value) > 2_000:
            return None
        try:
            parts = urlsplit(value.strip())
            port = parts.port
        except ValueError:
            return None
        if parts.scheme not in ("http", "https") or not parts.hostname:
            return None
        host = parts.hostname + (f":{port}" if port else "")
        cleaned = urlunsplit((parts.scheme, host, parts.path, "", parts.fragment))
        return self.text(cleaned, max_length=2_000) or None


def relative_clone(clone_path: str | None, workspace_root: Path) -> str | None:
    """``clone_path`` relative to the workspace (``practice/hello-docs``), else None.

    Purely lexical (no file system access): ``..`` is normalised first, so a path that climbs
    out of the workspace is never mistaken for one inside it.
    """
    if not clone_path:
        return None
    clone = PurePath(os.path.normpath(clone_path))
    root = PurePath(os.path.normpath(str(workspace_root)))
    if not clone.is_absolute() or not clone.is_relative_to(root) or clone == root:
        return None
    return clone.relative_to(root).as_posix()


def _minutes(start: datetime | None, end: datetime | None) -> float | None:
    if start is None or end is None:
        return None
    return round(max(0.0, (end - start).total_seconds() / 60), 1)


def _stamp(moment: datetime | None) -> str | None:
    return utc_stamp(moment) if moment is not None else None


def build_report(
    session: Session,
    progress: SessionProgress,
    facts: Facts,
    *,
    learner: Learner,
    workspace_root: Path,
    generated_at: datetime,
    generator: str = "onboard",
    include_email: bool = False,
    secrets: Sequence[str] = (),
    home: str | None = None,
    pack_projects: Collection[RepoRef] = (),
) -> dict[str, Any]:
    """The report as plain data (JSON types; ``None`` for "not known")."""
    scrub = _Scrubber(secrets, home)
    statuses = evaluate(session, facts)
    joined = progress.joined_at
    person: dict[str, Any] = {"name": scrub.text(learner.name, max_length=200) or ANONYMOUS}
    if progress.learner_id:
        person["id"] = progress.learner_id
    if include_email and learner.email:
        person["email"] = scrub.text(learner.email, max_length=200)
    report: dict[str, Any] = {
        "format": REPORT_FORMAT,
        "generated_at": utc_stamp(generated_at),
        "generator": scrub.text(generator, max_length=100),
        "learner": person,
        "session": {
            "id": session.id,
            "title": scrub.text(session.title, max_length=200),
            "starts_at": _stamp(session.starts_at),
            "joined_at": _stamp(joined),
        },
        "checkpoints": [
            {
                "id": status.id,
                "title": scrub.text(status.title, max_length=200),
                "kind": status.kind.value,
                "done": status.done,
                "skipped": status.skipped,
                "done_at": _stamp(status.done_at),
                "minutes_from_join": _minutes(joined, status.done_at),
                "planned_minutes_from_start": session.planned_by(status.id),
                "evidence": scrub.text(status.evidence, max_length=500),
            }
            for status in statuses
        ],
    }
    report.update(_work(facts, scrub, workspace_root, session, pack_projects))
    report.update(_events(progress.events, statuses, scrub))
    report.update(_counted(facts, progress.events, scrub))
    report["time_per_step"] = _time_per_step(session, statuses, joined, scrub)
    return report


def _work(
    facts: Facts,
    scrub: _Scrubber,
    workspace_root: Path,
    session: Session,
    pack_projects: Collection[RepoRef],
) -> dict[str, list[dict[str, Any]]]:
    projects, issues, pulls = [], [], []
    for work in facts.work:
        journey = work.journey
        try:
            repo = RepoRef.parse(journey.project or "")
        except ValueError:
            continue  # a hand-edited state file: nothing trustworthy to report
        try:
            fork = RepoRef.parse(journey.fork).full_name if journey.fork else None
        except ValueError:
            fork = None
        projects.append(
            {
                "repo": repo.full_name,
                "forge": scrub.text(work.forge, max_length=200),
                "fork": fork,
                "clone": scrub.text(relative_clone(journey.clone_path, workspace_root)) or None,
                "in_session": session.allows_project(repo, pack_projects),
            }
        )
        if isinstance(journey.issue, int) and not isinstance(journey.issue, bool):
            issues.append(
                {
                    "repo": repo.full_name,
                    "number": journey.issue,
                    "claimed": bool(journey.claim_url),
                    "claim_url": scrub.url(journey.claim_url),
                    "branch": scrub.text(journey.work_branch, max_length=200) or None,
                }
            )
        if isinstance(journey.pull_request, int) and not isinstance(journey.pull_request, bool):
            pulls.append(
                {
                    "repo": repo.full_name,
                    "number": journey.pull_request,
                    "url": scrub.url(journey.pull_url),
                    "issue": journey.issue if isinstance(journey.issue, int) else None,
                }
            )
    return {"projects": projects, "issues": issues, "pull_requests": pulls}


def _counted(facts: Facts, events: Sequence[SessionEvent], scrub: _Scrubber) -> dict[str, Any]:
    """What the learner did, as the OSPO view counts it (one counting for both)."""
    reviewed = [
        ref
        for event in events
        if event.kind == "review_given"
        and (ref := review_ref(event.text, event.extra.get("url"))) is not None
    ]
    items = learner_items(facts.contributions, reviewed)
    for item in items:  # names from a hand-editable state file: inert, bounded
        item["repo"] = scrub.text(item["repo"], max_length=200)
    return {"contributions": items, "counts": counts_of("learner", items)}


def _events(
    events: Sequence[SessionEvent], statuses: Sequence[CheckpointStatus], scrub: _Scrubber
) -> dict[str, list[dict[str, Any]]]:
    reached = sorted(s.done_at for s in statuses if s.done and s.done_at is not None)
    tests, reviews, noncode, stuck, notes = [], [], [], [], []
    for event in sorted(events, key=lambda e: e.at):
        at = utc_stamp(event.at)
        text = scrub.text(event.text)
        step = scrub.text(event.step, max_length=80) or None
        if event.kind == "tests_ran":
            code = event.extra.get("exit_code")
            code = code if isinstance(code, int) and not isinstance(code, bool) else None
            tests.append({"at": at, "exit_code": code, "passed": code == 0})
        elif event.kind == "review_given":
            reviews.append({"at": at, "url": scrub.url(event.extra.get("url")), "text": text})
        elif event.kind == "noncode_done":
            lane = event.extra.get("lane")
            noncode.append(
                {
                    "at": at,
                    "lane": scrub.text(lane, max_length=40) or None,
                    "url": scrub.url(event.extra.get("url")),
                    "text": text,
                }
            )
        elif event.kind == "note":
            notes.append({"at": at, "step": step, "text": text})
        elif event.kind == "stuck":
            resolved_at, resolved_by = event.resolved_at, "learner" if event.resolved_at else None
            if resolved_at is None:
                later = next((moment for moment in reached if moment > event.at), None)
                resolved_at, resolved_by = later, "progress" if later else None
            stuck.append(
                {
                    "at": at,
                    "step": step,
                    "barrier": event.barrier,
                    "barrier_title": BARRIERS.get(event.barrier or "", None),
                    "text": text,
                    "resolved_at": _stamp(resolved_at),
                    "resolved_by": resolved_by,
                }
            )
    return {
        "tests": tests,
        "reviews": reviews,
        "noncode": noncode,
        "stuck": stuck,
        "notes": notes,
    }


def _time_per_step(
    session: Session,
    statuses: Sequence[CheckpointStatus],
    joined: datetime | None,
    scrub: _Scrubber,
) -> list[dict[str, Any]]:
    """Minutes between consecutive checkpoints (the first one counted from joining)."""
    done = sorted(
        (s for s in statuses if s.done and s.done_at is not None),
        key=lambda s: s.done_at,  # type: ignore[arg-type, return-value]
    )
    steps = []
    previous, after = joined, "joined"
    for status in done:
        steps.append(
            {
                "checkpoint": status.id,
                "title": scrub.text(status.title, max_length=200),
                "after": after,
                "minutes": _minutes(previous, status.done_at),
                "planned_minutes": session.planned_minutes(status.id),
            }
        )
        previous, after = status.done_at, status.id
    return steps
