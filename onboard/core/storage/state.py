"""Progress that survives quitting, crashing, and two copies of onboard running at once.

Writes are atomic (temp file + fsync + rename) and serialised by a lock file, and every update
re-reads the file under the lock, so concurrent processes never lose each other's changes. A file
that cannot be read is moved aside and reported rather than silently overwritten.
"""

from __future__ import annotations

import json
import tempfile
import threading
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from onboard.core.contributions.live import DEFAULT_QUIET_DAYS
from onboard.core.contributions.record import ContributionRecord, merged_into
from onboard.core.journey import Journey
from onboard.core.models import Lane, Preferences
from onboard.core.sessions import progress as sessions
from onboard.core.sessions.progress import Reached, SessionEvent, SessionProgress
from onboard.core.storage.fsutil import atomic_write_text

if TYPE_CHECKING:
    from filelock import FileLock

STATE_VERSION = 1
LOCK_TIMEOUT_SECONDS = 10.0

StateData = dict[str, Any]


class StateError(Exception):
    """The progress file cannot be used; the message says why and what to do."""


def _empty() -> StateData:
    return {"version": STATE_VERSION, "journeys": {}}


_MAKING_LOCKS = threading.Lock()


class StateStore:
    """Read and update ``state.json``; one instance per file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock: FileLock | None = None  # made on the first write: filelock is slow to import
        #: Set when a damaged file was moved aside, so the UI can say so once.
        self.recovered_backup: Path | None = None
        #: When set, a save that fails is reported here (from the saving thread) instead of
        #: raising, so callers that do not expect StateError (flows in workers) keep working.
        self.on_save_failed: Callable[[StateError], None] | None = None

    def read(self) -> StateData:
        """The saved state; a sound file is read without the lock.

        Writes replace the file atomically (rename), so a reader sees the old or the new file
        whole, never half; only a file that needs repair (damaged, unreadable, from a newer
        onboard) takes the lock, because setting it aside changes the folder. The app's first
        frame waits for this read, so it should not wait for a lock file too.
        """
        try:
            data = json.loads(self.path.read_bytes().decode("utf-8"))
            _check_shape(data)
            if data["version"] <= STATE_VERSION:
                data.setdefault("journeys", {})
                return data
        except FileNotFoundError:
            return _empty()
        except (OSError, UnicodeDecodeError, ValueError, RecursionError):
            pass
        with self._locked():
            return self._read_unlocked()

    def check_writable(self) -> None:
        """Raise :class:`StateError` when progress could not be saved in the state's folder.

        A file made and removed at once (well under a millisecond), so the app can say so when
        it starts rather than at the first step that tries to save.
        """
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with tempfile.TemporaryFile(dir=self.path.parent, prefix=".write-check-"):
                pass
        except OSError as error:
            raise StateError(_cannot_save(self.path.parent, error)) from error

    def update(self, mutate: Callable[[StateData], None]) -> StateData:
        """Apply ``mutate`` to the freshest state and write it back atomically.

        With :attr:`on_save_failed` set, a StateError goes there and ``{}`` is returned.
        """
        try:
            with self._locked():
                data = self._read_unlocked()
                mutate(data)
                data["version"] = STATE_VERSION
                text = json.dumps(data, indent=2, sort_keys=True) + "\n"
                try:
                    atomic_write_text(self.path, text)
                except OSError as error:
                    raise StateError(_cannot_save(self.path.parent, error)) from error
                return data
        except StateError as error:
            if self.on_save_failed is None:
                raise
            self.on_save_failed(error)
            return {}

    def journey(self, forge_key: str) -> Journey:
        raw = self.read()["journeys"].get(forge_key) or {}
        return Journey.from_dict(raw)

    def save_journey(self, forge_key: str, journey: Journey) -> None:
        journey.updated_at = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")

        def mutate(data: StateData) -> None:
            data["journeys"][forge_key] = journey.to_dict()

        self.update(mutate)

    def preferences(self) -> Preferences:
        """Languages the newcomer knows and kinds of contribution they like (for ranking)."""
        raw = self.read().get("preferences", {})
        languages = [v for v in raw.get("languages", []) if isinstance(v, str)]
        lanes = [Lane(v) for v in raw.get("lanes", []) if v in {lane.value for lane in Lane}]
        return Preferences(tuple(languages), tuple(lanes))

    def save_preferences(self, preferences: Preferences) -> None:
        def mutate(data: StateData) -> None:
            data.setdefault("preferences", {}).update(
                languages=list(preferences.languages),
                lanes=[lane.value for lane in preferences.lanes],
            )

        self.update(mutate)

    def quiet_days(self) -> int:
        """After how many days without an answer a contribution counts as quiet (default 7)."""
        value = self.read().get("preferences", {}).get("quiet_days")
        ok = isinstance(value, int) and not isinstance(value, bool) and value >= 1
        return value if ok else DEFAULT_QUIET_DAYS

    def save_quiet_days(self, days: int) -> None:
        if days < 1:
            raise ValueError(f"quiet days must be 1 or more, got {days}")
        self.update(lambda data: data.setdefault("preferences", {}).update(quiet_days=days))

    def contributions(self) -> list[tuple[str, ContributionRecord]]:
        """Every claim and pull request recorded, with the forge it is on, oldest first.

        A malformed record (a hand-edited file) is left out rather than breaking the list.
        """
        section = self.read().get("contributions")
        if not isinstance(section, dict):
            return []
        out: list[tuple[str, ContributionRecord]] = []
        for forge_key, raws in section.items():
            if not isinstance(raws, list):
                continue
            for raw in raws:
                record = ContributionRecord.from_dict(raw)
                if record is not None:
                    out.append((forge_key, record))
        out.sort(key=lambda pair: pair[1].created_at)
        return out

    def record_contribution(self, forge_key: str, record: ContributionRecord) -> None:
        """Add (or update, same kind, repository and number) a contribution on ``forge_key``."""

        def mutate(data: StateData) -> None:
            records = _records(data, forge_key)
            merged = merged_into(records, record)
            data["contributions"][forge_key] = [r.to_dict() for r in merged]

        self.update(mutate)

    def mark_contribution_seen(
        self, forge_key: str, key: tuple[str, str, int], at: datetime
    ) -> None:
        """The learner looked at the contribution ``key`` (:attr:`ContributionRecord.key`)."""

        def mutate(data: StateData) -> None:
            records = [r.seen(at) if r.key == key else r for r in _records(data, forge_key)]
            data["contributions"][forge_key] = [r.to_dict() for r in records]

        self.update(mutate)

    def observe_contributions(
        self, forge_key: str, observed: dict[tuple[str, str, int], str], at: datetime
    ) -> None:
        """Remember what the forge said of each contribution ``key`` ("open", "merged",
        "closed"): a merge is recorded once, with when onboard first saw it."""

        def mutate(data: StateData) -> None:
            records = [
                r.observed(observed[r.key], at) if r.key in observed else r
                for r in _records(data, forge_key)
            ]
            data["contributions"][forge_key] = [r.to_dict() for r in records]

        self.update(mutate)

    def theme(self) -> str | None:
        """The colour theme chosen last (a Textual theme name), or None when never chosen."""
        section = self.read().get("display")
        name = section.get("theme") if isinstance(section, dict) else None
        return name if isinstance(name, str) and name else None

    def save_theme(self, name: str) -> None:
        def mutate(data: StateData) -> None:
            if not isinstance(data.get("display"), dict):
                data["display"] = {}
            data["display"]["theme"] = name

        self.update(mutate)

    def guide_progress(self) -> dict[str, float]:
        """How far each guide has been read (0..1), keyed ``PACK/GUIDE-ID``."""
        progress = self.read().get("guides", {})
        return {k: float(v) for k, v in progress.items() if isinstance(v, int | float)}

    def record_guide_progress(self, key: str, fraction: float) -> None:
        """Remember the furthest point read; scrolling back up never loses progress."""

        def mutate(data: StateData) -> None:
            progress = data.setdefault("guides", {})
            previous = progress.get(key, 0.0)
            progress[key] = round(max(float(previous), min(max(fraction, 0.0), 1.0)), 3)

        self.update(mutate)

    def consents(self) -> dict[str, dict[str, Any]]:
        """Agreements to run setup steps, keyed by :func:`onboard.core.setup.consent.consent_key`.

        An absent or malformed section reads as "never agreed": the safe direction.
        """
        section = self.read().get("consents")
        if not isinstance(section, dict):
            return {}
        return {k: v for k, v in section.items() if isinstance(v, dict)}

    def save_consent(self, key: str, record: dict[str, Any]) -> None:
        def mutate(data: StateData) -> None:
            if not isinstance(data.get("consents"), dict):
                data["consents"] = {}
            data["consents"][key] = record

        self.update(mutate)

    def session_progress(self, session_id: str) -> SessionProgress:
        """The learner's progress in a mentor session (empty when never joined)."""
        raw = self.read().get("sessions")
        return SessionProgress.from_dict(
            session_id, raw.get(session_id) if isinstance(raw, dict) else None
        )

    def active_session(self) -> str | None:
        """The session joined last, which :meth:`record_event` records into."""
        return sessions.active_session(self.read())

    def join_session(self, session_id: str, title: str = "") -> None:
        """Start (or resume) a session: sets ``joined_at`` once and makes it the active one."""
        self.update(lambda data: sessions.join(data, session_id, title))

    def leave_session(self) -> None:
        """Stop recording into the active session; its progress is kept for reports."""
        self.update(sessions.leave)

    def record_session_event(self, session_id: str, event: SessionEvent) -> None:
        self.update(lambda data: sessions.add_event(data, session_id, event))

    def record_event(self, event: SessionEvent) -> bool:
        """Record ``event`` in the active session; False (nothing written) when there is none.

        For screens that do not know about sessions, such as the test run of project setup.
        """
        recorded = False

        def mutate(data: StateData) -> None:
            nonlocal recorded
            session_id = sessions.active_session(data)
            if session_id is not None:
                sessions.add_event(data, session_id, event)
                recorded = True

        self.update(mutate)
        return recorded

    def mark_checkpoints(self, session_id: str, statuses: Iterable[Reached]) -> None:
        """Remember when each done checkpoint was first seen; earlier records win."""
        self.update(lambda data: sessions.mark_reached(data, session_id, list(statuses)))

    def resolve_stuck(self, session_id: str) -> None:
        """The learner is unstuck: every open "I'm stuck" of the session is resolved now."""
        self.update(lambda data: sessions.resolve_stuck(data, session_id, sessions.now_utc()))

    def _locked(self) -> _ReportingLock:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise StateError(_cannot_save(self.path.parent, error)) from error
        with _MAKING_LOCKS:
            if self._lock is None:
                from filelock import FileLock

                self._lock = FileLock(str(self.path) + ".lock", timeout=LOCK_TIMEOUT_SECONDS)
        return _ReportingLock(self._lock, self.path)

    def _read_unlocked(self) -> StateData:
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return _empty()
        except OSError as error:
            raise StateError(f"Cannot read {self.path}: {error.strerror}.") from error
        try:
            data = json.loads(raw.decode("utf-8"))
            _check_shape(data)
        except (UnicodeDecodeError, ValueError, RecursionError):
            self.recovered_backup = self._move_aside()
            return _empty()
        if data["version"] > STATE_VERSION:
            raise StateError(
                f"{self.path} was written by a newer onboard (state version {data['version']}, "
                f"this one understands {STATE_VERSION}). Upgrade onboard; the file was left as is."
            )
        data.setdefault("journeys", {})
        return data

    def _move_aside(self) -> Path:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
        backup = self.path.with_name(f"{self.path.name}.damaged-{stamp}")
        try:
            self.path.replace(backup)
        except OSError as error:
            raise StateError(
                f"{self.path} is damaged and cannot be set aside ({_reason(error)}); it was left "
                "as is. Move it away yourself to start fresh."
            ) from error
        return backup


def _records(data: StateData, forge_key: str) -> list[ContributionRecord]:
    """The usable records of ``forge_key`` (making the section when it is missing)."""
    if not isinstance(data.get("contributions"), dict):
        data["contributions"] = {}
    raws = data["contributions"].get(forge_key)
    records = [ContributionRecord.from_dict(raw) for raw in raws or [] if isinstance(raws, list)]
    return [r for r in records if r is not None]


def _reason(error: OSError) -> str:
    if isinstance(error, FileExistsError | NotADirectoryError):
        return "a file is in the way where that folder should be"
    return (error.strerror or type(error).__name__).lower()


def _cannot_save(folder: Path, error: OSError) -> str:
    """One wording for every write failure: where, why in plain words, and two ways out."""
    return (
        f"Cannot save your progress in {folder}: {_reason(error)}. Make that folder writable, "
        "or set XDG_DATA_HOME to another folder."
    )


def _check_shape(data: object) -> None:
    """Raise ValueError unless ``data`` looks like a state file this code can work with."""
    if not isinstance(data, dict):
        raise ValueError("top level is not an object")
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise ValueError("no usable 'version'")
    journeys = data.setdefault("journeys", {})
    if not isinstance(journeys, dict) or not all(isinstance(j, dict) for j in journeys.values()):
        raise ValueError("'journeys' is not a table of tables")
    for table in ("guides", "preferences"):
        if not isinstance(data.setdefault(table, {}), dict):
            raise ValueError(f"'{table}' is not a table")


class _ReportingLock:
    """A lock context that turns a timeout into a message a person can act on."""

    def __init__(self, lock: FileLock, path: Path) -> None:
        self._lock = lock
        self._path = path

    def __enter__(self) -> None:
        from filelock import Timeout

        try:
            self._lock.acquire()
        except Timeout as error:
            raise StateError(
                f"Another onboard is still saving {self._path}; waited "
                f"{LOCK_TIMEOUT_SECONDS:.0f} s. Close other copies of onboard and try again."
            ) from error
        except OSError as error:
            raise StateError(_cannot_save(self._path.parent, error)) from error

    def __exit__(self, *exc: object) -> None:
        self._lock.release()
