"""Issues and pull requests as records, their comments, and the timeline events they record.

A pull request is an issue with a ``pull`` sub-record, numbered from the same counter, as on
GitHub; this layer creates both and changes their shared state (open, closed, labels, assignees,
locks). Every change records the timeline event GitHub would show, and new or migrated issues get
the events that explain their current state, as if they had lived on GitHub.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from onboard.practice.store.base import Record, StoreError, iso
from onboard.practice.store.repos import RepoState


class IssueState(RepoState):
    """Issues and pulls, comments and timeline events."""

    def _migrate(self) -> None:
        super()._migrate()
        data = self.data
        for full_name, issues in data["issues"].items():
            events = data["events"].setdefault(full_name, {})
            data["reviews"].setdefault(full_name, {})
            for number, issue in issues.items():
                if number not in events:
                    events[number] = []
                    self._initial_events(full_name, issue, triager=None)

    # ------------------------------------------------------------------ issues & pulls

    def add_issue(
        self,
        full_name: str,
        title: str,
        body: str | None = None,
        labels: Iterable[str] = (),
        assignees: Iterable[str] = (),
        user: str = "maintainer-mia",
        *,
        created_days_ago: float | None = 3,
        updated_days_ago: float | None = None,
        state: str = "open",
        closed_days_ago: float | None = None,
        closed_by: str | None = None,
        locked: bool = False,
        is_pull: bool = False,
        head: str | None = None,
        base: str | None = None,
        head_sha: str = "0" * 40,
        base_sha: str = "0" * 40,
        draft: bool = False,
        author_association: str | None = None,
        reactions: dict[str, int] | None = None,
        pull_stats: dict[str, int] | None = None,
        lock_reason: str | None = None,
        locked_days_ago: float | None = None,
        assigned_days_ago: float | None = None,
        triaged_by: str | None = None,
        merged_days_ago: float | None = None,
    ) -> Record:
        """Add an issue (or, with ``is_pull``, a pull request) and return its record.

        ``head`` is ``"owner:branch"`` or ``"branch"`` for pulls. Unknown labels are created
        with GitHub's neutral colour so scenario code never has to pre-declare them.

        The issue's history is recorded as timeline events: ``labeled`` when it was opened,
        ``assigned`` ``assigned_days_ago`` (default: when opened), ``locked`` (with
        ``lock_reason``) ``locked_days_ago`` (default: last update), ``closed`` when closed (and
        ``merged`` for a pull with ``merged_days_ago``). Labels and assignments are attributed
        to ``triaged_by``, by default the author when a maintainer, else a maintainer.
        """
        with self._lock:
            repo = self._require_repo(full_name)
            for login in (user, *assignees):
                if login not in self.data["users"]:
                    self.add_user(login)
            label_names: list[str] = []
            for name in labels:
                label_names.append(self.add_label(full_name, name)["name"])
            created = self._ago(created_days_ago)
            updated = self._ago(updated_days_ago) if updated_days_ago is not None else created
            closed_at = None
            merged_at = None
            if is_pull and merged_days_ago is not None:
                merged_at = self._ago(merged_days_ago)
                state = "closed"
                closed_days_ago = merged_days_ago
            if state == "closed":
                closed_at = self._ago(closed_days_ago) if closed_days_ago is not None else updated
                closed_by = closed_by or user
            number = repo["next_number"]
            repo["next_number"] = number + 1
            issue: Record = {
                "id": self._next_id("issue"),
                "number": number,
                "title": title,
                "body": body,
                "user": user,
                "labels": label_names,
                "assignees": list(assignees),
                "state": state,
                "state_reason": "completed" if state == "closed" and not is_pull else None,
                "locked": locked,
                "active_lock_reason": lock_reason if locked else None,
                "created_at": created,
                "updated_at": max(updated, closed_at or updated),
                "closed_at": closed_at,
                "closed_by": closed_by if state == "closed" else None,
                "author_association": author_association
                or self.association(full_name, user, opening_pull=is_pull),
                "reactions": dict(reactions or {}),
                "pull": None,
            }
            if is_pull:
                head_owner, _, head_ref = (head or "").rpartition(":")
                head_owner = head_owner or repo["owner"]
                head_repo = self.network_repo(head_owner, full_name)
                stats = {"commits": 1, "additions": 1, "deletions": 1, "changed_files": 1}
                stats.update(pull_stats or {})
                issue["pull"] = {
                    "id": self._next_id("pull"),
                    "head_owner": head_owner,
                    "head_repo": head_repo["full_name"] if head_repo else None,
                    "head_ref": head_ref or "patch-1",
                    "head_sha": head_sha,
                    "base_ref": base or repo["default_branch"],
                    "base_sha": base_sha,
                    "draft": draft,
                    "maintainer_can_modify": False,
                    "merged_at": merged_at,
                    **stats,
                }
            self.data["issues"][full_name][str(number)] = issue
            self.data["comments"][full_name][str(number)] = []
            self.data["events"][full_name][str(number)] = []
            self.data["reviews"][full_name][str(number)] = []
            self._initial_events(
                full_name,
                issue,
                triager=triaged_by,
                assigned_at=self._ago(assigned_days_ago) if assigned_days_ago is not None else None,
                locked_at=self._ago(locked_days_ago) if locked_days_ago is not None else None,
            )
            self._commit()
            return issue

    # ------------------------------------------------------------------ timeline events

    def _triager(self, full_name: str, author: str) -> str:
        """Who applies labels and assignees: the author if a maintainer, else a maintainer."""
        if self.association(full_name, author) in ("OWNER", "MEMBER"):
            return author
        repo = self._require_repo(full_name)
        members = self.data["users"].get(repo["owner"], {}).get("members", [])
        return members[0] if members else repo["owner"]

    def _initial_events(
        self,
        full_name: str,
        issue: Record,
        *,
        triager: str | None,
        assigned_at: str | None = None,
        locked_at: str | None = None,
    ) -> None:
        """The events that explain an issue's current state, as if it had lived on GitHub."""
        actor = triager or self._triager(full_name, issue["user"])
        number = issue["number"]
        created = issue["created_at"]
        for name in issue["labels"]:
            self._event(full_name, number, "labeled", actor, created, label=name)
        for login in issue["assignees"]:
            self._event(
                full_name, number, "assigned", actor, assigned_at or created, assignee=login
            )
        if issue["locked"]:
            stamp = locked_at or issue["updated_at"]
            reason = issue["active_lock_reason"]
            self._event(full_name, number, "locked", actor, stamp, lock_reason=reason)
        if issue["state"] == "closed" and issue["closed_at"]:
            closer = issue["closed_by"] or issue["user"]
            pull = issue["pull"]
            if pull is not None and pull["merged_at"]:
                self._event(full_name, number, "merged", closer, pull["merged_at"])
            self._event(
                full_name,
                number,
                "closed",
                closer,
                issue["closed_at"],
                state_reason=issue["state_reason"],
            )

    def _event(
        self, full_name: str, number: int, kind: str, actor: str, stamp: str, **extra: Any
    ) -> Record:
        event: Record = {
            "id": self._next_id("event"),
            "event": kind,
            "actor": actor,
            "created_at": stamp,
            **extra,
        }
        self.data["events"][full_name].setdefault(str(number), []).append(event)
        return event

    def events(self, full_name: str, number: int) -> list[Record]:
        """Recorded events (labeled, assigned, closed, ...) of an issue, oldest first."""
        with self._lock:
            return list(self.data["events"].get(full_name, {}).get(str(number), []))

    def get_issue(self, full_name: str, number: int) -> Record | None:
        with self._lock:
            return self.data["issues"].get(full_name, {}).get(str(number))

    def _require_issue(self, full_name: str, number: int) -> Record:
        issue = self.get_issue(full_name, number)
        if issue is None:
            raise StoreError(f"no issue #{number} in {full_name}")
        return issue

    def issues(self, full_name: str) -> list[Record]:
        """Issues and pulls of a repository, newest number first."""
        with self._lock:
            values = self.data["issues"].get(full_name, {}).values()
            return sorted(values, key=lambda i: i["number"], reverse=True)

    def all_issues(self) -> list[tuple[str, Record]]:
        with self._lock:
            return [
                (full_name, issue)
                for full_name, issues in self.data["issues"].items()
                for issue in issues.values()
            ]

    def close_issue(self, full_name: str, number: int, *, by: str | None = None) -> Record:
        with self._lock:
            issue = self._require_issue(full_name, number)
            stamp = iso(self.now())
            issue.update(
                state="closed",
                closed_at=stamp,
                updated_at=stamp,
                closed_by=by or issue["user"],
                state_reason=None if issue["pull"] else "completed",
            )
            self._event(
                full_name,
                number,
                "closed",
                issue["closed_by"],
                stamp,
                state_reason=issue["state_reason"],
            )
            self._commit()
            return issue

    def reopen_issue(self, full_name: str, number: int, *, by: str | None = None) -> Record:
        with self._lock:
            issue = self._require_issue(full_name, number)
            stamp = iso(self.now())
            issue.update(
                state="open",
                closed_at=None,
                closed_by=None,
                updated_at=stamp,
                state_reason="reopened" if issue["pull"] is None else None,
            )
            self._event(full_name, number, "reopened", by or issue["user"], stamp)
            self._commit()
            return issue

    def set_assignees(
        self, full_name: str, number: int, assignees: Iterable[str], *, by: str | None = None
    ) -> Record:
        with self._lock:
            issue = self._require_issue(full_name, number)
            wanted = list(assignees)
            for login in wanted:
                if login not in self.data["users"]:
                    self.add_user(login)
            stamp = iso(self.now())
            actor = by or self._triager(full_name, issue["user"])
            for login in issue["assignees"]:
                if login not in wanted:
                    self._event(full_name, number, "unassigned", actor, stamp, assignee=login)
            for login in wanted:
                if login not in issue["assignees"]:
                    self._event(full_name, number, "assigned", actor, stamp, assignee=login)
            issue["assignees"] = wanted
            issue["updated_at"] = stamp
            self._commit()
            return issue

    def set_labels(
        self, full_name: str, number: int, labels: Iterable[str], *, by: str | None = None
    ) -> Record:
        with self._lock:
            issue = self._require_issue(full_name, number)
            wanted = [self.add_label(full_name, name)["name"] for name in labels]
            stamp = iso(self.now())
            actor = by or self._triager(full_name, issue["user"])
            for name in issue["labels"]:
                if name not in wanted:
                    self._event(full_name, number, "unlabeled", actor, stamp, label=name)
            for name in wanted:
                if name not in issue["labels"]:
                    self._event(full_name, number, "labeled", actor, stamp, label=name)
            issue["labels"] = wanted
            issue["updated_at"] = stamp
            self._commit()
            return issue

    def set_locked(
        self,
        full_name: str,
        number: int,
        locked: bool,
        *,
        reason: str | None = None,
        by: str | None = None,
    ) -> Record:
        with self._lock:
            issue = self._require_issue(full_name, number)
            if bool(issue["locked"]) != locked:
                stamp = iso(self.now())
                actor = by or self._triager(full_name, issue["user"])
                extra = {"lock_reason": reason} if locked else {}
                self._event(
                    full_name, number, "locked" if locked else "unlocked", actor, stamp, **extra
                )
                issue["updated_at"] = stamp
            issue["locked"] = locked
            issue["active_lock_reason"] = reason if locked else None
            self._commit()
            return issue

    # ------------------------------------------------------------------ comments

    def add_comment(
        self,
        full_name: str,
        number: int,
        body: str,
        user: str = "maintainer-mia",
        *,
        created_days_ago: float | None = None,
        author_association: str | None = None,
    ) -> Record:
        """Comment on an issue or PR; bumps the issue's ``updated_at`` like GitHub does."""
        with self._lock:
            issue = self._require_issue(full_name, number)
            if user not in self.data["users"]:
                self.add_user(user)
            stamp = self._ago(created_days_ago)
            comment: Record = {
                "id": self._next_id("comment"),
                "issue_number": number,
                "user": user,
                "body": body,
                "created_at": stamp,
                "updated_at": stamp,
                "author_association": author_association or self.association(full_name, user),
                "reactions": {},
            }
            self.data["comments"][full_name][str(number)].append(comment)
            if stamp > issue["updated_at"]:
                issue["updated_at"] = stamp
            self._commit()
            return comment

    def comments(self, full_name: str, number: int) -> list[Record]:
        with self._lock:
            return list(self.data["comments"].get(full_name, {}).get(str(number), []))

    def comment_count(self, full_name: str, number: int) -> int:
        with self._lock:
            return len(self.data["comments"].get(full_name, {}).get(str(number), []))
