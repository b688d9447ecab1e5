"""In-memory data model of the practice forge, persisted as one JSON document.

Everything the forge knows (users, repositories, labels, issues, pull requests, comments, tokens)
lives in a single plain-JSON ``dict`` guarded by one re-entrant lock. Plain data keeps the payload
builders pure and lets the whole state round-trip through ``forge.json``; a practice forge holds a
few hundred records at most, so rewriting the whole file (atomically) after every write is cheap
and means a crash can never leave a half-updated forge behind.

Rate-limit counters are deliberately *not* persisted: like GitHub's windows they are short-lived,
and writing a file on every read request would make the forge slow for no benefit.
"""

from __future__ import annotations

import contextlib
import copy
import hashlib
import json
import secrets
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from onboard.core.storage.fsutil import atomic_write_text

SCHEMA_VERSION = 1

#: First ids handed out per record kind; distinct ranges make ids plausible and never collide.
_ID_BASES: dict[str, int] = {
    "user": 1_000_000,
    "repo": 2_000_000,
    "label": 3_000_000,
    "issue": 4_000_000,
    "pull": 5_000_000,
    "comment": 6_000_000,
    "event": 7_000_000,
    "review": 8_000_000,
}

#: Review states a submitted review can have (``PENDING`` ones are drafts, seen by their author).
REVIEW_STATES = ("APPROVED", "CHANGES_REQUESTED", "COMMENTED", "DISMISSED", "PENDING")

Record = dict[str, Any]


class StoreError(Exception):
    """A store operation was asked for something that does not exist or cannot be."""


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def iso(moment: datetime) -> str:
    """GitHub's timestamp format: UTC, second precision, ``Z`` suffix."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_iso(text: str) -> datetime:
    """Inverse of :func:`iso`; also accepts offsets and bare dates (treated as UTC midnight)."""
    text = text.strip()
    if len(text) == 10:
        return datetime.strptime(text, "%Y-%m-%d").replace(tzinfo=UTC)
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


@dataclass
class RateWindow:
    """One rate-limit bucket (per caller and per resource), reset when its window has passed."""

    limit: int
    used: int
    reset: int  # epoch seconds

    @property
    def remaining(self) -> int:
        return max(0, self.limit - self.used)


class Store:
    """Thread-safe owner of the forge's state.

    Public mutators take the lock, change the data and save. Readers that build several payloads
    from one consistent view use :meth:`locked` and read :attr:`data` directly.
    """

    def __init__(
        self,
        path: Path | None,
        *,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self.path = path
        self.clock: Callable[[], datetime] = clock or (lambda: datetime.now(UTC))
        self._lock = threading.RLock()
        self._rate: dict[tuple[str, str], RateWindow] = {}
        self.data: Record = self._empty()

    # ------------------------------------------------------------------ persistence

    @staticmethod
    def _empty() -> Record:
        return {
            "schema": SCHEMA_VERSION,
            "counters": {kind: base for kind, base in _ID_BASES.items()},
            "tokens": {},
            "users": {},
            "repos": {},
            "labels": {},
            "issues": {},
            "comments": {},
            "events": {},
            "reviews": {},
        }

    def exists(self) -> bool:
        return self.path is not None and self.path.exists()

    def load(self) -> None:
        """Read ``forge.json``; a missing file leaves the store empty (the caller seeds it)."""
        if self.path is None or not self.path.exists():
            return
        loaded = json.loads(self.path.read_text(encoding="utf-8"))
        if loaded.get("schema") != SCHEMA_VERSION:
            raise StoreError(f"unsupported forge.json schema {loaded.get('schema')!r}")
        with self._lock:
            self.data = loaded
            self._migrate()

    def _migrate(self) -> None:
        """Bring a ``forge.json`` written before events and reviews existed up to date."""
        data = self.data
        for kind, base in _ID_BASES.items():
            data["counters"].setdefault(kind, base)
        data.setdefault("events", {})
        data.setdefault("reviews", {})
        for full_name, issues in data["issues"].items():
            events = data["events"].setdefault(full_name, {})
            data["reviews"].setdefault(full_name, {})
            for number, issue in issues.items():
                if number not in events:
                    events[number] = []
                    self._initial_events(full_name, issue, triager=None)

    def save(self) -> None:
        """Persist atomically; called after every write so a restart sees every change."""
        if self.path is None:
            return
        with self._lock:
            text = json.dumps(self.data, ensure_ascii=False, indent=1, sort_keys=True)
            atomic_write_text(self.path, text + "\n")

    @contextlib.contextmanager
    def locked(self) -> Iterator[Record]:
        """Hold the lock while reading several records that must agree with each other."""
        with self._lock:
            yield self.data

    @contextlib.contextmanager
    def batch(self) -> Iterator[None]:
        """Group many writes (e.g. seeding) into one save at the end."""
        with self._lock:
            previous = getattr(self, "_batching", False)
            self._batching = True
            try:
                yield
            finally:
                self._batching = previous
            if not previous:
                self.save()

    def _commit(self) -> None:
        if not getattr(self, "_batching", False):
            self.save()

    # ------------------------------------------------------------------ helpers

    def now(self) -> datetime:
        return self.clock()

    def _ago(self, days: float | None, *, default: datetime | None = None) -> str:
        if days is None:
            return iso(default or self.now())
        return iso(self.now() - timedelta(days=days))

    def _next_id(self, kind: str) -> int:
        counters = self.data["counters"]
        counters[kind] += 1
        return int(counters[kind])

    def snapshot(self) -> Record:
        """A deep copy of the whole state, for tests and admin tools."""
        with self._lock:
            return copy.deepcopy(self.data)

    # ------------------------------------------------------------------ users & tokens

    def add_user(
        self,
        login: str,
        *,
        type: str = "User",
        name: str | None = None,
        bio: str | None = None,
        company: str | None = None,
        location: str | None = None,
        blog: str = "",
        members: Iterable[str] = (),
        created_days_ago: float | None = 400,
    ) -> Record:
        """Create (or return the existing) user or organization ``login``."""
        with self._lock:
            users = self.data["users"]
            if login in users:
                return users[login]
            stamp = self._ago(created_days_ago)
            user: Record = {
                "login": login,
                "id": self._next_id("user"),
                "type": type,
                "name": name,
                "bio": bio,
                "company": company,
                "location": location,
                "blog": blog,
                "members": list(members),
                "created_at": stamp,
                "updated_at": stamp,
            }
            users[login] = user
            self._commit()
            return user

    def get_user(self, login: str) -> Record | None:
        with self._lock:
            for user in self.data["users"].values():
                if user["login"].lower() == login.lower():
                    return user
            return None

    def add_member(self, org: str, login: str) -> None:
        with self._lock:
            org_rec = self._require_user(org)
            if login not in org_rec["members"]:
                org_rec["members"].append(login)
            self._commit()

    def add_token(self, login: str, token: str | None = None) -> str:
        """Register an API token for ``login`` (a new random one unless given).

        Only a hash is stored, so ``forge.json`` can be shared or attached to a bug report
        without handing out credentials.
        """
        with self._lock:
            self._require_user(login)
            token = token or "opf_" + secrets.token_hex(20)
            self.data["tokens"][_token_hash(token)] = login
            self._commit()
            return token

    def user_for_token(self, token: str) -> str | None:
        with self._lock:
            return self.data["tokens"].get(_token_hash(token))

    def _require_user(self, login: str) -> Record:
        user = self.data["users"].get(login)
        if user is None:
            raise StoreError(f"no such user {login!r}")
        return user

    # ------------------------------------------------------------------ repositories

    def add_repo(
        self,
        owner: str,
        name: str,
        *,
        description: str | None = None,
        homepage: str | None = None,
        language: str | None = None,
        topics: Iterable[str] = (),
        license: str | None = "mit",
        default_branch: str = "main",
        created_days_ago: float | None = 365,
        pushed_days_ago: float | None = 2,
        fork_of: str | None = None,
        has_issues: bool | None = None,
        stargazers_count: int = 0,
        subscribers_count: int = 0,
        size: int = 24,
        contributors: Iterable[str] = (),
        pushed_at: str | None = None,
    ) -> Record:
        """Create a repository record (the bare git repo is the caller's business)."""
        with self._lock:
            self._require_user(owner)
            full_name = f"{owner}/{name}"
            if full_name in self.data["repos"]:
                raise StoreError(f"repository {full_name} already exists")
            parent = source = None
            if fork_of is not None:
                parent_rec = self._require_repo(fork_of)
                parent = parent_rec["full_name"]
                source = parent_rec["source"] or parent
            created = self._ago(created_days_ago)
            repo: Record = {
                "id": self._next_id("repo"),
                "owner": owner,
                "name": name,
                "full_name": full_name,
                "description": description,
                "homepage": homepage,
                "language": language,
                "topics": list(topics),
                "license": license,
                "default_branch": default_branch,
                "created_at": created,
                "updated_at": created,
                "pushed_at": pushed_at or self._ago(pushed_days_ago),
                "fork": fork_of is not None,
                "parent": parent,
                "source": source,
                # GitHub turns issues off on new forks.
                "has_issues": (fork_of is None) if has_issues is None else has_issues,
                "has_projects": True,
                "has_wiki": fork_of is None,
                "has_discussions": False,
                "archived": False,
                "disabled": False,
                "is_template": False,
                "stargazers_count": stargazers_count,
                "subscribers_count": subscribers_count,
                "size": size,
                "contributors": list(contributors),
                "next_number": 1,
            }
            self.data["repos"][full_name] = repo
            self.data["labels"][full_name] = []
            self.data["issues"][full_name] = {}
            self.data["comments"][full_name] = {}
            self.data["events"][full_name] = {}
            self.data["reviews"][full_name] = {}
            self._commit()
            return repo

    def get_repo(self, full_name: str) -> Record | None:
        """Case-insensitive lookup, as GitHub resolves ``Owner/Repo`` either way."""
        with self._lock:
            repo = self.data["repos"].get(full_name)
            if repo is not None:
                return repo
            wanted = full_name.lower()
            for key, candidate in self.data["repos"].items():
                if key.lower() == wanted:
                    return candidate
            return None

    def get_repo_by_id(self, repo_id: int) -> Record | None:
        with self._lock:
            for repo in self.data["repos"].values():
                if repo["id"] == repo_id:
                    return repo
            return None

    def _require_repo(self, full_name: str) -> Record:
        repo = self.get_repo(full_name)
        if repo is None:
            raise StoreError(f"no such repository {full_name!r}")
        return repo

    def set_repo_flags(
        self,
        full_name: str,
        *,
        archived: bool | None = None,
        has_issues: bool | None = None,
        disabled: bool | None = None,
        description: str | None = None,
        stargazers_count: int | None = None,
        pushed_days_ago: float | None = None,
    ) -> Record:
        """Flip repository switches (archived, issues on/off, ...) for tests and scenarios."""
        with self._lock:
            repo = self._require_repo(full_name)
            updates = {
                "archived": archived,
                "has_issues": has_issues,
                "disabled": disabled,
                "description": description,
                "stargazers_count": stargazers_count,
            }
            for key, value in updates.items():
                if value is not None:
                    repo[key] = value
            if pushed_days_ago is not None:
                repo["pushed_at"] = self._ago(pushed_days_ago)
            repo["updated_at"] = iso(self.now())
            self._commit()
            return repo

    def touch_pushed(self, full_name: str) -> None:
        with self._lock:
            repo = self._require_repo(full_name)
            repo["pushed_at"] = iso(self.now())
            self._commit()

    def forks_of(self, full_name: str) -> list[Record]:
        with self._lock:
            return [r for r in self.data["repos"].values() if r["parent"] == full_name]

    def find_fork(self, owner: str, parent_full_name: str) -> Record | None:
        """The fork ``owner`` already has in ``parent``'s network, if any (GitHub allows one)."""
        with self._lock:
            parent = self._require_repo(parent_full_name)
            network = parent["source"] or parent["full_name"]
            for repo in self.data["repos"].values():
                if repo["owner"] != owner or not repo["fork"]:
                    continue
                if repo["source"] == network:
                    return repo
            return None

    def network_repo(self, owner: str, base_full_name: str) -> Record | None:
        """``owner``'s repository in the same fork network as ``base_full_name``."""
        with self._lock:
            base = self._require_repo(base_full_name)
            if base["owner"].lower() == owner.lower():
                return base
            network = base["source"] or base["full_name"]
            for repo in self.data["repos"].values():
                if repo["owner"].lower() != owner.lower():
                    continue
                if (repo["source"] or repo["full_name"]) == network:
                    return repo
            return None

    # ------------------------------------------------------------------ labels

    def add_label(
        self,
        full_name: str,
        name: str,
        color: str = "ededed",
        description: str | None = None,
        *,
        default: bool = False,
    ) -> Record:
        """Create a label (or return the existing one with that name, case-insensitively)."""
        with self._lock:
            self._require_repo(full_name)
            labels = self.data["labels"][full_name]
            for label in labels:
                if label["name"].lower() == name.lower():
                    return label
            label = {
                "id": self._next_id("label"),
                "name": name,
                "color": color,
                "description": description,
                "default": default,
            }
            labels.append(label)
            self._commit()
            return label

    def labels(self, full_name: str) -> list[Record]:
        with self._lock:
            return list(self.data["labels"].get(full_name, []))

    # ------------------------------------------------------------------ issues & pulls

    def association(self, full_name: str, login: str, *, opening_pull: bool = False) -> str:
        """GitHub's ``author_association`` of ``login`` in ``full_name`` right now."""
        with self._lock:
            repo = self._require_repo(full_name)
            if repo["owner"] == login:
                return "OWNER"
            owner = self.data["users"].get(repo["owner"], {})
            if login in owner.get("members", []):
                return "MEMBER"
            if login in repo["contributors"]:
                return "CONTRIBUTOR"
            if opening_pull:
                return "FIRST_TIME_CONTRIBUTOR"
            return "NONE"

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

    # ------------------------------------------------------------------ rate limits

    def rate_window(self, key: str, resource: str, limit: int, period: int) -> RateWindow:
        """The caller's current window for ``resource`` (a fresh one once the old reset)."""
        with self._lock:
            now = int(self.now().timestamp())
            window = self._rate.get((key, resource))
            if window is None or window.reset <= now:
                window = RateWindow(limit=limit, used=0, reset=now + period)
                self._rate[(key, resource)] = window
            window.limit = limit
            return window

    def charge(self, key: str, resource: str, limit: int, period: int) -> tuple[bool, RateWindow]:
        """Spend one request from the window; ``False`` when it was already exhausted."""
        with self._lock:
            window = self.rate_window(key, resource, limit, period)
            if window.remaining <= 0:
                return False, window
            window.used += 1
            return True, window

    def refund(self, key: str, resource: str) -> None:
        """Give back a charged request (authenticated 304s are free on GitHub)."""
        with self._lock:
            window = self._rate.get((key, resource))
            if window is not None and window.used > 0:
                window.used -= 1
