"""Refresh *My contributions* from the forge: every recorded claim and pull request, each on
its own, into a plain list of rows.

One ``pull_facts`` per open pull request; a claim reads the issue and its timeline (did a pull
request of the learner's appear, were they assigned, was it closed). A merged or closed pull
request is not asked again: the cached answer is final. A row whose refresh fails keeps the
last answer, with its age and the reason, so going offline never empties the list. The rows are
cached in one JSON file beside the forge's response cache; what the forge said of each record
(open, merged, closed) goes into the state file, where the ``first PR merged`` checkpoint reads
it. Everything here blocks: call it from a worker thread.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from onboard.core.contributions.record import ContributionKind, ContributionRecord
from onboard.core.contributions.rows import (
    ContributionRow,
    claim_row,
    failed_row,
    pull_row,
    row_from_json,
)
from onboard.core.models import RepoRef
from onboard.core.public_actions import text_problem
from onboard.core.storage import paths
from onboard.core.storage.fsutil import atomic_write_text
from onboard.core.storage.state import StateStore
from onboard.forge.base import Forge, ForgeError, ForgeUnreachable

#: Final states: a pull request in one of them is not asked about again.
FINAL = frozenset({"merged", "closed"})


def cache_path() -> Path:
    return paths.cache_dir() / "contributions.json"


@dataclass(frozen=True)
class ContributionsView:
    """The rows, newest first, and what this refresh found new."""

    rows: list[ContributionRow]
    #: Pull requests seen merged for the first time in this refresh: celebrate these.
    newly_merged: list[ContributionRow] = field(default_factory=list)
    #: Rows shown from the last answer because the forge could not be reached.
    offline: bool = False
    #: Contributions recorded on other forges (practice or real), by forge: not listed here.
    elsewhere: dict[str, int] = field(default_factory=dict)

    def stale_note(self) -> str | None:
        """One sentence on rows shown from an earlier answer, or None when all are fresh."""
        stale = [row for row in self.rows if row.error]
        if not stale:
            return None
        if self.offline:
            return (
                f"{len(stale)} of {len(self.rows)} shown from the last answer: the forge "
                "cannot be reached."
            )
        return f"{len(stale)} of {len(self.rows)} could not be refreshed: see each row."

    def elsewhere_note(self) -> str | None:
        """Where the other contributions are (``onboard practice`` shows the practice ones)."""
        if not self.elsewhere:
            return None
        parts = [
            f"{n} on {'the practice forge' if key == 'practice' else key}"
            for key, n in sorted(self.elsewhere.items())
        ]
        return f"Not listed here: {', '.join(parts)}."


def _cache_key(forge: str, record: ContributionRecord) -> str:
    kind, repo, number = record.key
    return f"{forge}:{kind}:{repo}#{number}"


def load_cache(path: Path) -> dict[str, Any]:
    """The last rows as JSON by key; a missing or damaged file is an empty cache."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return raw if isinstance(raw, dict) else {}


def save_cache(path: Path, rows: Iterable[ContributionRow]) -> None:
    """Best effort: a cache that cannot be written only costs the next offline view."""
    data = {_cache_key(row.forge, row.record): row.to_json() for row in rows if not row.error}
    try:
        old = load_cache(path)
        old.update(data)
        atomic_write_text(path, json.dumps(old, ensure_ascii=False), sync=False)
    except OSError:
        pass


def cached_rows(
    store: StateStore, forge_key: str, *, cache: Path | None = None
) -> list[ContributionRow]:
    """The rows of ``forge_key`` as last seen, without asking it (the screen's first frame)."""
    saved = load_cache(cache or cache_path())
    rows = []
    for key, record in store.contributions():
        if key != forge_key:
            continue
        row = row_from_json(saved.get(_cache_key(forge_key, record)), record, forge_key)
        rows.append(row or failed_row(forge_key, record, "Not checked yet.", None))
    return _newest_first(rows)


def refresh(
    forge: Forge,
    store: StateStore,
    *,
    cache: Path | None = None,
    now: datetime | None = None,
) -> ContributionsView:
    """Ask the forge about every recorded contribution on it; never raises for one row."""
    now = now or datetime.now(UTC)
    cache = cache or cache_path()
    saved = load_cache(cache)
    here = forge.config.key
    quiet_after = store.quiet_days()
    rows: list[ContributionRow] = []
    observed: dict[tuple[str, str, int], str] = {}
    newly_merged: list[ContributionRow] = []
    offline: ForgeUnreachable | None = None
    elsewhere: dict[str, int] = {}
    learner = store.journey(here).login
    if not learner and store.contributions():
        try:  # whose contributions these are: the saved journey's login, else the forge's
            learner = forge.whoami()
        except ForgeUnreachable as error:
            offline = error
        except ForgeError:
            learner = None
    for forge_key, record in store.contributions():
        cached = row_from_json(saved.get(_cache_key(forge_key, record)), record, forge_key)
        if forge_key != here:  # practice and real contributions never mix, as journeys
            elsewhere[forge_key] = elsewhere.get(forge_key, 0) + 1
            continue
        if record.kind is ContributionKind.PULL and cached and cached.state in FINAL:
            rows.append(cached)
            continue
        if offline is not None:  # one timeout is enough: the next rows would wait as long
            rows.append(failed_row(forge_key, record, str(offline), cached))
            continue
        try:
            row = _refresh_one(forge, record, learner, now, quiet_after)
        except ForgeError as error:
            if isinstance(error, ForgeUnreachable):
                offline = error
            rows.append(failed_row(forge_key, record, str(error), cached))
            continue
        except ValueError as error:  # a hand-edited record naming no usable repository
            rows.append(failed_row(forge_key, record, str(error), cached))
            continue
        rows.append(row)
        if row.state != record.observed_state:
            observed[record.key] = row.state
            if row.merged and record.kind is ContributionKind.PULL:
                newly_merged.append(row)
    if observed:
        store.observe_contributions(here, observed, now)
    save_cache(cache, rows)
    return ContributionsView(_newest_first(rows), newly_merged, offline is not None, elsewhere)


def _refresh_one(
    forge: Forge,
    record: ContributionRecord,
    learner: str | None,
    now: datetime,
    quiet_after: int,
) -> ContributionRow:
    repo = RepoRef.parse(record.repo)
    if record.kind is ContributionKind.PULL:
        facts = forge.pull_facts(repo, record.number)
        return pull_row(forge.config.key, record, facts, learner, now, quiet_after=quiet_after)
    issue = forge.issue(repo, record.number)
    timeline = forge.timeline(repo, record.number)
    assignees = timeline.assignees if timeline.assignees is not None else issue.assignees
    return claim_row(
        forge.config.key,
        record,
        state=issue.state,
        assignees=assignees,
        comments=timeline.comments,
        pulls=timeline.pulls,
        updated_at=issue.updated_at,
        learner=learner,
        now=now,
        quiet_after=quiet_after,
    )


def _newest_first(rows: list[ContributionRow]) -> list[ContributionRow]:
    return sorted(rows, key=lambda row: row.record.created_at, reverse=True)


def mark_seen(store: StateStore, row: ContributionRow, at: datetime | None = None) -> None:
    """The learner opened the row: what others said until now is no longer new."""
    store.mark_contribution_seen(row.forge, row.key, at or datetime.now(UTC))


def post_ping(forge: Forge, row: ContributionRow, body: str) -> str:
    """Post the learner's edited ping on the pull request or issue; returns its URL.

    The text is checked first (an unedited template placeholder is refused); the caller shows
    the preview and asks for confirmation before calling this.
    """
    problem = text_problem(body, what="ping")
    if problem:
        raise ValueError(problem)
    return forge.comment(RepoRef.parse(row.record.repo), row.record.number, body)


def mark_ready(forge: Forge, row: ContributionRow) -> None:
    """Turn the draft pull request of ``row`` into one ready for review (after a confirm)."""
    if row.kind is not ContributionKind.PULL:
        raise ValueError(f"{row.where} is a claim, not a pull request.")
    forge.mark_ready_for_review(RepoRef.parse(row.record.repo), row.record.number)
