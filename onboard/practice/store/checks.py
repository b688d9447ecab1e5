"""Commit statuses and check runs: what CI says about a commit.

GitHub keeps both per commit of a repository (not per pull request): a pull request's checks
are those of its head commit. A check run goes ``queued`` → ``in_progress`` → ``completed``
with a ``conclusion``; a commit status is one ``state`` per ``context``, the newest winning.
"""

from __future__ import annotations

from typing import Any

from onboard.practice.store.base import Record, StoreError, iso
from onboard.practice.store.pulls import PullState

CHECK_STATUSES = ("queued", "in_progress", "completed")
CONCLUSIONS = (
    "success",
    "failure",
    "neutral",
    "cancelled",
    "skipped",
    "timed_out",
    "action_required",
)
STATUS_STATES = ("error", "failure", "pending", "success")


class CheckState(PullState):
    """Check runs and commit statuses, per repository and commit."""

    def add_check_run(
        self, full_name: str, head_sha: str, name: str, *, status: str = "queued"
    ) -> Record:
        if status not in CHECK_STATUSES:
            raise StoreError(f"unknown check run status {status!r}")
        with self._lock:
            self._require_repo(full_name)
            stamp = iso(self.now())
            run: Record = {
                "id": self._next_id("check_run"),
                "head_sha": head_sha,
                "name": name,
                "status": status,
                "conclusion": None,
                "started_at": stamp,
                "completed_at": None,
                "output": {"title": None, "summary": None, "text": None},
            }
            self.data["check_runs"].setdefault(full_name, []).append(run)
            self._commit()
            return run

    def update_check_run(self, full_name: str, run_id: int, **fields: Any) -> Record:
        """Change a run's ``status``, ``conclusion`` or ``output``; completing stamps it."""
        with self._lock:
            run = next(
                (r for r in self.data["check_runs"].get(full_name, []) if r["id"] == run_id), None
            )
            if run is None:
                raise StoreError(f"no check run {run_id} in {full_name}")
            if fields.get("status", run["status"]) not in CHECK_STATUSES:
                raise StoreError(f"unknown check run status {fields['status']!r}")
            if fields.get("conclusion") not in (None, *CONCLUSIONS):
                raise StoreError(f"unknown conclusion {fields['conclusion']!r}")
            if "output" in fields:
                fields["output"] = {**run["output"], **fields["output"]}
            run.update(fields)
            if run["status"] == "completed" and run["completed_at"] is None:
                run["completed_at"] = iso(self.now())
            self._commit()
            return run

    def check_runs(self, full_name: str, head_sha: str) -> list[Record]:
        with self._lock:
            runs = self.data["check_runs"].get(full_name, [])
            return [r for r in runs if r["head_sha"] == head_sha]

    def add_status(
        self,
        full_name: str,
        sha: str,
        state: str,
        context: str = "default",
        description: str | None = None,
        *,
        creator: str,
        target_url: str | None = None,
    ) -> Record:
        """``POST /statuses/{sha}``: a commit status for one ``context``."""
        if state not in STATUS_STATES:
            raise StoreError(f"unknown status state {state!r}")
        with self._lock:
            self._require_repo(full_name)
            stamp = iso(self.now())
            status: Record = {
                "id": self._next_id("status"),
                "sha": sha,
                "state": state,
                "context": context,
                "description": description,
                "target_url": target_url,
                "creator": creator,
                "created_at": stamp,
                "updated_at": stamp,
            }
            self.data["statuses"].setdefault(full_name, []).append(status)
            self._commit()
            return status

    def statuses(self, full_name: str, sha: str) -> list[Record]:
        """The newest status of each context, newest first (as the combined status lists them)."""
        with self._lock:
            newest: dict[str, Record] = {}
            for status in self.data["statuses"].get(full_name, []):
                if status["sha"] == sha:
                    newest[status["context"]] = status
            return sorted(newest.values(), key=lambda s: s["id"], reverse=True)
