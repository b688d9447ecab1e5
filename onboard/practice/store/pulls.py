"""What only pull requests have: their git-side fields, merging, and reviews.

The pull request record itself is created with its issue (see :mod:`.issues`); this layer
adjusts the fields only a pull has and records reviews, whose ``PENDING`` drafts only their
author sees.
"""

from __future__ import annotations

from typing import Any

from onboard.practice.store.base import Record, StoreError, iso
from onboard.practice.store.issues import IssueState

#: Review states a submitted review can have (``PENDING`` ones are drafts, seen by their author).
REVIEW_STATES = ("APPROVED", "CHANGES_REQUESTED", "COMMENTED", "DISMISSED", "PENDING")


class PullState(IssueState):
    """Pull-request fields, merges and reviews."""

    def update_pull(self, full_name: str, number: int, **fields: Any) -> Record:
        """Adjust pull-request-only fields (stats, ``maintainer_can_modify``, ...)."""
        with self._lock:
            issue = self._require_issue(full_name, number)
            if issue["pull"] is None:
                raise StoreError(f"#{number} is not a pull request")
            unknown = set(fields) - set(issue["pull"])
            if unknown:
                raise StoreError(f"unknown pull fields {sorted(unknown)}")
            issue["pull"].update(fields)
            self._commit()
            return issue

    def merge_pull(
        self,
        full_name: str,
        number: int,
        *,
        by: str | None = None,
        merge_commit_sha: str | None = None,
    ) -> Record:
        """Mark a pull request merged (and closed); the git side is the caller's business."""
        with self._lock:
            issue = self._require_issue(full_name, number)
            if issue["pull"] is None:
                raise StoreError(f"#{number} is not a pull request")
            stamp = iso(self.now())
            merger = by or self.data["repos"][full_name]["owner"]
            issue["pull"]["merged_at"] = stamp
            issue["pull"]["merged_by"] = merger
            issue["pull"]["merge_commit_sha"] = merge_commit_sha
            issue.update(state="closed", closed_at=stamp, updated_at=stamp, closed_by=merger)
            self._event(full_name, number, "merged", merger, stamp)
            self._event(full_name, number, "closed", merger, stamp, state_reason=None)
            self._commit()
            return issue

    # ------------------------------------------------------------------ reviews

    def add_review(
        self,
        full_name: str,
        number: int,
        user: str,
        state: str,
        body: str = "",
        *,
        submitted_days_ago: float | None = None,
        commit_id: str | None = None,
    ) -> Record:
        """Review a pull request; ``state`` is one of :data:`REVIEW_STATES`."""
        if state not in REVIEW_STATES:
            raise StoreError(f"unknown review state {state!r}")
        with self._lock:
            issue = self._require_issue(full_name, number)
            if issue["pull"] is None:
                raise StoreError(f"#{number} is not a pull request")
            if user not in self.data["users"]:
                self.add_user(user)
            stamp = None if state == "PENDING" else self._ago(submitted_days_ago)
            review: Record = {
                "id": self._next_id("review"),
                "pull_number": number,
                "user": user,
                "state": state,
                "body": body,
                "submitted_at": stamp,
                "commit_id": commit_id or issue["pull"]["head_sha"],
                "author_association": self.association(full_name, user),
            }
            self.data["reviews"][full_name].setdefault(str(number), []).append(review)
            if stamp is not None and stamp > issue["updated_at"]:
                issue["updated_at"] = stamp
            self._commit()
            return review

    def reviews(self, full_name: str, number: int) -> list[Record]:
        with self._lock:
            return list(self.data["reviews"].get(full_name, {}).get(str(number), []))

    # ------------------------------------------------------------------ review comments

    def add_review_comment(
        self,
        full_name: str,
        number: int,
        user: str,
        *,
        path: str,
        line: int,
        body: str,
        commit_id: str,
        review_id: int | None = None,
        side: str = "RIGHT",
    ) -> Record:
        """A comment on ``line`` of ``path`` as it is in ``commit_id`` (GitHub's ``line`` and
        ``original_line``; whether it is outdated is decided when it is read)."""
        with self._lock:
            issue = self._require_issue(full_name, number)
            if issue["pull"] is None:
                raise StoreError(f"#{number} is not a pull request")
            if user not in self.data["users"]:
                self.add_user(user)
            stamp = iso(self.now())
            comment: Record = {
                "id": self._next_id("review_comment"),
                "pull_number": number,
                "review_id": review_id,
                "user": user,
                "path": path,
                "line": line,
                "side": side,
                "body": body,
                "commit_id": commit_id,
                "created_at": stamp,
                "author_association": self.association(full_name, user),
            }
            pulls = self.data["review_comments"].setdefault(full_name, {})
            pulls.setdefault(str(number), []).append(comment)
            issue["updated_at"] = max(issue["updated_at"], stamp)
            self._commit()
            return comment

    def review_comments(self, full_name: str, number: int) -> list[Record]:
        with self._lock:
            return list(self.data["review_comments"].get(full_name, {}).get(str(number), []))

    # ------------------------------------------------------------------ draft and head

    def mark_ready(self, full_name: str, number: int, *, by: str) -> Record:
        """A draft becomes ready for review (GitHub records a ``ready_for_review`` event)."""
        with self._lock:
            issue = self._require_issue(full_name, number)
            if issue["pull"] is None:
                raise StoreError(f"#{number} is not a pull request")
            if issue["pull"]["draft"]:
                stamp = iso(self.now())
                issue["pull"]["draft"] = False
                issue["updated_at"] = stamp
                self._event(full_name, number, "ready_for_review", by, stamp)
                self._commit()
            return issue

    def move_head(self, full_name: str, number: int, head_sha: str, **stats: int) -> Record:
        """The pull's branch got new commits (a push): its ``head.sha`` and diff stats follow."""
        with self._lock:
            issue = self._require_issue(full_name, number)
            if issue["pull"] is None:
                raise StoreError(f"#{number} is not a pull request")
            issue["pull"].update(head_sha=head_sha, **stats)
            issue["updated_at"] = iso(self.now())
            self._commit()
            return issue

    # ------------------------------------------------------------------ followed pulls

    def follow_pull(self, full_name: str, number: int, state: Record) -> None:
        """Remember a pull opened through the API: its head is watched for pushes, and
        :mod:`onboard.practice.maintainer` keeps its answering state here (``state``)."""
        with self._lock:
            self.data["maintainer"].setdefault(full_name, {})[str(number)] = dict(state)
            self._commit()

    def followed_pulls(self) -> list[tuple[str, int, Record]]:
        """Every followed pull as ``(repository, number, state)`` (copies of the state)."""
        with self._lock:
            return [
                (full, int(number), dict(state))
                for full, pulls in self.data["maintainer"].items()
                for number, state in pulls.items()
            ]

    def update_followed(self, full_name: str, number: int, **changes: Any) -> None:
        with self._lock:
            self.data["maintainer"][full_name][str(number)].update(changes)
            self._commit()
