"""Users, organizations and the API tokens that authenticate as them.

Only a hash of each token is kept, so ``forge.json`` can be shared or attached to a bug report
without handing out credentials.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable

from onboard.practice.store.base import Record, StoreBase, StoreError


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class UserState(StoreBase):
    """Accounts: users and organizations (with their members), and tokens."""

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
