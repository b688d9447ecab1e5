"""Repositories, their fork networks and labels, and who belongs to a repository.

A repository record is metadata only: its bare git repository is the caller's business (the
seed, or the forge's fork route). Fork networks are what forks and cross-repository pull requests
resolve against; :meth:`RepoState.association` is GitHub's ``author_association`` rule.
"""

from __future__ import annotations

from collections.abc import Iterable

from onboard.practice.store.accounts import UserState
from onboard.practice.store.base import Record, StoreError, iso


class RepoState(UserState):
    """Repositories (with forks and networks), labels and membership."""

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

    def add_redirect(self, old_full_name: str, new_full_name: str) -> None:
        """``old_full_name`` was renamed to ``new_full_name``: GitHub keeps answering the old
        name with ``301 Moved Permanently`` to the repository's id."""
        with self._lock:
            self._require_repo(new_full_name)
            self.data.setdefault("redirects", {})[old_full_name.lower()] = new_full_name
            self._commit()

    def redirect_of(self, full_name: str) -> Record | None:
        """The repository ``full_name`` was renamed to, if it was."""
        with self._lock:
            target = self.data.get("redirects", {}).get(full_name.lower())
            return self.data["repos"].get(target) if target else None

    def add_release(
        self,
        full_name: str,
        tag_name: str,
        *,
        name: str | None = None,
        body: str | None = None,
        author: str | None = None,
        published_days_ago: float | None = None,
    ) -> Record:
        """Publish a release of ``full_name`` (no assets; the tag's git side is not made)."""
        with self._lock:
            repo = self._require_repo(full_name)
            release: Record = {
                "id": self._next_id("release"),
                "tag_name": tag_name,
                "name": name or tag_name,
                "body": body,
                "author": author or repo["owner"],
                "published_at": self._ago(published_days_ago),
            }
            self.data.setdefault("releases", {}).setdefault(full_name, []).append(release)
            self._commit()
            return release

    def releases(self, full_name: str) -> list[Record]:
        with self._lock:
            return list(self.data.get("releases", {}).get(full_name, []))

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

    # ------------------------------------------------------------------ membership

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
