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

    def merge_pull(self, full_name: str, number: int, *, by: str | None = None) -> Record:
        """Mark a pull request merged (and closed); the git side is the caller's business."""
        with self._lock:
            issue = self._require_issue(full_name, number)
            if issue["pull"] is None:
                raise StoreError(f"#{number} is not a pull request")
            stamp = iso(self.now())
            merger = by or self.data["repos"][full_name]["owner"]
            issue["pull"]["merged_at"] = stamp
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
