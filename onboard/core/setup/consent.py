"""Consent to run a project's setup steps, bound to exactly what the newcomer was shown.

Setup steps run code from strangers on the newcomer's computer. Agreeing once must not mean
agreeing to whatever a pack says next week, so an agreement records *what* was agreed to: the
pack's content hash (``pack.toml`` and its guides, see
:attr:`onboard.core.packs.loading.Pack.content_hash`) and a hash of the steps themselves. When
either differs, the newcomer is asked again. Steps that onboard suggested itself (no pack) are
bound to the steps' hash alone.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from onboard.core.models import SetupStep
from onboard.core.storage.state import StateStore


class ConsentStatus(StrEnum):
    NEVER_ASKED = "never-asked"
    #: Agreed before, but the pack or the steps are no longer what was agreed to.
    CHANGED = "changed"
    GIVEN = "given"


@dataclass(frozen=True)
class ConsentSubject:
    """What the newcomer is asked to agree to, reduced to hashes that can be compared later."""

    key: str
    pack_hash: str | None
    steps_hash: str
    step_hashes: tuple[str, ...]

    @property
    def from_pack(self) -> bool:
        return self.pack_hash is not None


@dataclass(frozen=True)
class ConsentCheck:
    status: ConsentStatus
    agreed_at: str | None = None
    #: Hashes of the steps agreed to last time, to point out which ones are new.
    agreed_steps: frozenset[str] = frozenset()

    @property
    def needed(self) -> bool:
        return self.status is not ConsentStatus.GIVEN

    def is_new(self, step: SetupStep) -> bool:
        """True for a step that was not among those agreed to before (only after a change)."""
        return self.status is ConsentStatus.CHANGED and step_hash(step) not in self.agreed_steps


def step_hash(step: SetupStep) -> str:
    """sha256 of the argv list: what will actually run, independent of its description."""
    return _sha256(json.dumps(list(step.argv), ensure_ascii=False))


def steps_hash(steps: Sequence[SetupStep]) -> str:
    """sha256 of every step's argv, in order: running the same commands in another order differs."""
    return _sha256(json.dumps([list(step.argv) for step in steps], ensure_ascii=False))


def consent_key(pack_name: str | None, project: str) -> str:
    """One agreement per (pack, project); steps onboard suggested itself have their own key."""
    return f"pack:{pack_name}:{project}" if pack_name else f"detected:{project}"


def subject_for(
    steps: Sequence[SetupStep],
    *,
    project: str,
    pack_name: str | None = None,
    pack_hash: str | None = None,
) -> ConsentSubject:
    """The subject for ``steps`` shown for ``project``; pass the pack when the steps came from one.

    A pack without a content hash (built in memory, never loaded from disk) falls back to the
    steps' hash, so consent is still bound to what was shown.
    """
    digest = steps_hash(steps)
    return ConsentSubject(
        key=consent_key(pack_name, project),
        pack_hash=(pack_hash or f"steps:{digest}") if pack_name else None,
        steps_hash=digest,
        step_hashes=tuple(step_hash(step) for step in steps),
    )


def check(record: dict[str, Any] | None, subject: ConsentSubject) -> ConsentCheck:
    """Compare a saved agreement with ``subject`` (pure; :func:`consent_check` reads the store)."""
    if not record:
        return ConsentCheck(ConsentStatus.NEVER_ASKED)
    agreed_steps = frozenset(h for h in record.get("steps", []) if isinstance(h, str))
    agreed_at = record.get("agreed_at") if isinstance(record.get("agreed_at"), str) else None
    same = (
        record.get("pack_hash") == subject.pack_hash
        and record.get("steps_hash") == subject.steps_hash
    )
    status = ConsentStatus.GIVEN if same else ConsentStatus.CHANGED
    return ConsentCheck(status, agreed_at, agreed_steps)


def consent_check(store: StateStore, subject: ConsentSubject) -> ConsentCheck:
    return check(store.consents().get(subject.key), subject)


def needs_consent(store: StateStore, subject: ConsentSubject) -> bool:
    """True when the newcomer never agreed to these steps, or the pack or steps changed since."""
    return consent_check(store, subject).needed


def record_consent(
    store: StateStore, subject: ConsentSubject, *, now: datetime | None = None
) -> None:
    """Remember that the newcomer agreed to exactly ``subject``."""
    moment = (now or datetime.now(UTC)).strftime("%Y-%m-%dT%H:%M:%SZ")
    store.save_consent(
        subject.key,
        {
            "pack_hash": subject.pack_hash,
            "steps_hash": subject.steps_hash,
            "steps": list(subject.step_hashes),
            "agreed_at": moment,
        },
    )


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
