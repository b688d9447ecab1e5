"""A learner's session progress in state.json: joined once, events appended, first-seen times
that never move later, older or hand-edited files read without fuss, and no lost events when two
copies of onboard record at once."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from onboard.core.sessions.checkpoint_kind import CheckpointKind
from onboard.core.sessions.checkpoints import CheckpointStatus
from onboard.core.sessions.progress import MAX_EVENTS, MAX_TEXT, SessionEvent, SessionProgress
from onboard.core.storage.state import STATE_VERSION, StateStore

REPO_ROOT = Path(__file__).resolve().parents[2]
T0 = datetime(2025, 6, 12, 12, 0, tzinfo=UTC)


@pytest.fixture
def store(tmp_path: Path) -> StateStore:
    return StateStore(tmp_path / "onboard" / "state.json")


def reached(checkpoint_id: str, at: datetime | None, done: bool = True) -> CheckpointStatus:
    return CheckpointStatus(checkpoint_id, "t", CheckpointKind.FORK_CLONED, done, at, "")


def test_a_state_file_without_sessions_reads_as_empty(store: StateStore) -> None:
    store.path.parent.mkdir(parents=True)
    store.path.write_text(json.dumps({"version": STATE_VERSION, "journeys": {}}))
    assert store.session_progress("w") == SessionProgress("w")
    assert store.active_session() is None
    assert store.record_event(SessionEvent("note", text="hi")) is False
    assert "sessions" not in json.loads(store.path.read_text())


def test_join_once_then_record(store: StateStore) -> None:
    store.join_session("w", "Workshop")
    joined = store.session_progress("w").joined_at
    assert joined is not None
    store.join_session("w")  # joining again keeps the first time and the title
    assert store.session_progress("w").joined_at == joined
    assert store.session_progress("w").title == "Workshop"
    assert store.active_session() == "w"

    assert store.record_event(SessionEvent.tests_ran(0))
    store.record_session_event("w", SessionEvent.stuck("clone", "technical-hurdles", "help"))
    progress = store.session_progress("w")
    assert [e.kind for e in progress.events] == ["tests_ran", "stuck"]
    assert progress.events[0].extra == {"exit_code": 0}
    assert progress.open_stuck() == progress.events[1]

    store.resolve_stuck("w")
    assert store.session_progress("w").open_stuck() is None
    # Other sessions are kept apart.
    assert store.session_progress("other") == SessionProgress("other")


def test_first_seen_wins(store: StateStore) -> None:
    store.mark_checkpoints("w", [reached("a", T0 + timedelta(minutes=5))])
    store.mark_checkpoints(
        "w",
        [
            reached("a", T0 + timedelta(minutes=50)),  # seen again later: ignored
            reached("b", T0 + timedelta(minutes=9)),
            reached("c", None, done=False),
        ],
    )
    store.mark_checkpoints("w", [reached("b", T0 + timedelta(minutes=1))])  # earlier: wins
    assert store.session_progress("w").checkpoints == {
        "a": T0 + timedelta(minutes=5),
        "b": T0 + timedelta(minutes=1),
    }


def test_events_are_validated_and_bounded() -> None:
    with pytest.raises(ValueError, match="unknown event kind"):
        SessionEvent("celebrate")
    with pytest.raises(ValueError, match="unknown barrier 'shyness'"):
        SessionEvent.stuck("clone", "shyness")
    with pytest.raises(ValueError, match="only a 'stuck' event"):
        SessionEvent("note", barrier="documentation")
    event = SessionEvent(
        "note",
        text="x" * (MAX_TEXT + 50),
        extra={"nested": {"a": 1}, "n": 3, 5: "bad key", "s": "y" * 5000},  # type: ignore[dict-item]
    )
    assert len(event.text) == MAX_TEXT
    assert event.extra == {"n": 3, "s": "y" * 2000}


def test_the_event_list_keeps_the_latest(store: StateStore) -> None:
    def many(data: dict[str, object]) -> None:
        from onboard.core.sessions import progress as session_progress

        for index in range(MAX_EVENTS + 5):
            session_progress.add_event(
                data, "w", SessionEvent("note", at=T0 + timedelta(seconds=index), text=str(index))
            )

    store.update(many)  # type: ignore[arg-type]
    events = store.session_progress("w").events
    assert len(events) == MAX_EVENTS
    assert events[0].text == "5" and events[-1].text == str(MAX_EVENTS + 4)


def test_hand_edited_entries_are_skipped_not_fatal(store: StateStore) -> None:
    store.path.parent.mkdir(parents=True)
    store.path.write_text(
        json.dumps(
            {
                "version": 1,
                "journeys": {},
                "active_session": "w",
                "sessions": {
                    "w": {
                        "joined_at": "yesterday",
                        "checkpoints": {"a": "2025-06-12T12:00:00Z", "b": 5, "c": "soon"},
                        "events": [
                            {"kind": "note", "at": "2025-06-12T12:01:00Z", "text": "kept"},
                            {"kind": "party", "at": "2025-06-12T12:02:00Z"},
                            {"kind": "stuck", "at": "2025-06-12T12:03:00Z", "barrier": "?"},
                            {"kind": "note"},
                            "not an event",
                        ],
                    },
                    "broken": ["not", "a", "table"],
                },
            }
        )
    )
    progress = store.session_progress("w")
    assert progress.joined_at is None
    assert progress.checkpoints == {"a": T0}
    assert [e.text for e in progress.events] == ["kept"]
    assert store.session_progress("broken") == SessionProgress("broken")
    # Writing repairs only what it needs; the rest of the file is untouched.
    assert store.record_event(SessionEvent("note", text="new"))
    data = json.loads(store.path.read_text())
    assert data["sessions"]["w"]["joined_at"] != "yesterday"
    assert len(data["sessions"]["w"]["events"]) == 6
    assert data["sessions"]["broken"] == ["not", "a", "table"]


def test_a_sessions_section_of_the_wrong_shape_does_not_damage_the_file(
    store: StateStore,
) -> None:
    store.path.parent.mkdir(parents=True)
    store.path.write_text(json.dumps({"version": 1, "journeys": {}, "sessions": "oops"}))
    assert store.session_progress("w") == SessionProgress("w")
    store.join_session("w")
    assert store.recovered_backup is None
    assert store.active_session() == "w"


_RECORDER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    sys.path.insert(0, sys.argv[1])
    from onboard.core.sessions.progress import SessionEvent
    from onboard.core.storage.state import StateStore
    store = StateStore(Path(sys.argv[2]))
    for index in range(20):
        store.record_session_event("w", SessionEvent("note", text=f"{sys.argv[3]}-{index}"))
    """
)


def test_two_processes_recording_at_once_lose_nothing(store: StateStore) -> None:
    store.join_session("w")
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", _RECORDER, str(REPO_ROOT), str(store.path), name],
            stderr=subprocess.PIPE,
        )
        for name in ("a", "b")
    ]
    for writer in writers:
        assert writer.wait(timeout=60) == 0, writer.stderr.read() if writer.stderr else ""
    texts = sorted(event.text for event in store.session_progress("w").events)
    assert texts == sorted(f"{name}-{index}" for name in "ab" for index in range(20))
