"""The record of one contribution the learner made, as kept in the state file.

A claim comment or a pull request, across projects and forges: enough to find it again
(``repo``, ``number``, ``url``) and to tell what is new since the learner last looked
(``last_seen_at``). Records read from disk are checked field by field, and a malformed one is
dropped rather than crashing the list, because a hand-edited state file must not stop the app.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any


class ContributionKind(StrEnum):
    CLAIM = "claim"
    PULL = "pull"


def stamp(moment: datetime) -> str:
    """GitHub's timestamp format, which the state file uses too."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_stamp(text: object) -> datetime | None:
    if not isinstance(text, str) or not text:
        return None
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@dataclass(frozen=True)
class ContributionRecord:
    """A claim (``number`` is the issue) or a pull request (``number`` is the pull)."""

    kind: ContributionKind
    repo: str
    number: int
    url: str
    title: str
    created_at: datetime
    #: When the learner last looked at it in onboard; None: never since it was made.
    last_seen_at: datetime | None = None
    #: The issue a pull request is for (``Fixes #N``), when onboard knows it.
    issue: int | None = None
    #: What onboard last observed on the forge ("open", "merged", "closed"), and when it first
    #: saw the merge: the ``first PR merged`` checkpoint is judged from this, never on trust.
    observed_state: str | None = None
    merged_at: datetime | None = None

    @property
    def key(self) -> tuple[str, str, int]:
        """One record per kind, repository and number: recording again updates it."""
        return (self.kind.value, self.repo.lower(), self.number)

    def seen(self, at: datetime) -> ContributionRecord:
        return replace(self, last_seen_at=at)

    def observed(self, state: str, at: datetime) -> ContributionRecord:
        """The record after the forge said ``state``; a merge keeps the first time it was seen."""
        merged_at = self.merged_at or (at if state == "merged" else None)
        return replace(self, observed_state=state, merged_at=merged_at)

    def to_dict(self) -> dict[str, Any]:
        raw: dict[str, Any] = {
            "kind": self.kind.value,
            "repo": self.repo,
            "number": self.number,
            "url": self.url,
            "title": self.title,
            "created_at": stamp(self.created_at),
            "last_seen_at": stamp(self.last_seen_at) if self.last_seen_at else None,
        }
        if self.issue is not None:
            raw["issue"] = self.issue
        if self.observed_state is not None:
            raw["observed_state"] = self.observed_state
        if self.merged_at is not None:
            raw["merged_at"] = stamp(self.merged_at)
        return raw

    @classmethod
    def from_dict(cls, raw: object) -> ContributionRecord | None:
        """The record in ``raw``, or None when it is not a usable one."""
        if not isinstance(raw, dict):
            return None
        kind, repo, number = raw.get("kind"), raw.get("repo"), raw.get("number")
        created = parse_stamp(raw.get("created_at"))
        if kind not in {k.value for k in ContributionKind} or not isinstance(repo, str):
            return None
        if not isinstance(number, int) or isinstance(number, bool) or number < 1:
            return None
        if "/" not in repo or created is None:
            return None
        issue = raw.get("issue")
        observed = raw.get("observed_state")
        return cls(
            kind=ContributionKind(kind),
            repo=repo,
            number=number,
            url=raw["url"] if isinstance(raw.get("url"), str) else "",
            title=raw["title"] if isinstance(raw.get("title"), str) else "",
            created_at=created,
            last_seen_at=parse_stamp(raw.get("last_seen_at")),
            issue=issue if isinstance(issue, int) and not isinstance(issue, bool) else None,
            observed_state=observed if observed in ("open", "merged", "closed") else None,
            merged_at=parse_stamp(raw.get("merged_at")),
        )


def merged_into(
    records: list[ContributionRecord], new: ContributionRecord
) -> list[ContributionRecord]:
    """``records`` with ``new`` added, or replacing the record with the same key (keeping when
    it was first made and last seen, so recording twice never loses history)."""
    out: list[ContributionRecord] = []
    found = False
    for old in records:
        if old.key == new.key:
            found = True
            out.append(
                replace(
                    new,
                    created_at=min(old.created_at, new.created_at),
                    last_seen_at=old.last_seen_at or new.last_seen_at,
                    issue=new.issue if new.issue is not None else old.issue,
                    observed_state=new.observed_state or old.observed_state,
                    merged_at=old.merged_at or new.merged_at,
                )
            )
        else:
            out.append(old)
    if not found:
        out.append(new)
    return out
