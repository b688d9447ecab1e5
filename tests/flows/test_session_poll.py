"""Guided mode's checkpoint poll, run directly: what the session panel will draw."""

from __future__ import annotations

from pathlib import Path

from onboard.core.journey import Journey
from onboard.core.sessions.progress import SessionEvent
from onboard.core.sessions.session import load_session
from onboard.core.storage.state import StateStore
from onboard.flows.session_poll import SessionPoll

EXAMPLE = load_session(Path(__file__).parents[2] / "guides" / "sessions" / "workshop-example.toml")


def test_a_poll_judges_the_session_from_saved_state(state_store: StateStore) -> None:
    state_store.join_session(EXAMPLE.id, EXAMPLE.title)
    journey = Journey()
    journey.choose("practice/hello-docs")
    state_store.save_journey("practice", journey)
    state_store.record_event(SessionEvent.stuck("choose", "finding-a-task", "which one?"))

    snapshot = SessionPoll().poll(state_store, EXAMPLE, "practice/hello-docs")

    assert snapshot is not None
    assert snapshot.view.session is EXAMPLE
    done = {status.id for status in snapshot.view.statuses if status.done}
    assert done == {"chosen"}  # the only checkpoint saved state can prove
    assert snapshot.open_stuck is not None and snapshot.open_stuck.text == "which one?"
    assert [pick.number for pick in snapshot.picks] == [1, 2]  # hello-docs' pre-picked issues


def test_a_poll_of_unreadable_state_keeps_the_last_snapshot(tmp_path: Path) -> None:
    folder = tmp_path / "not-a-folder"
    folder.write_text("a file where the data folder should be")
    store = StateStore(folder / "state.json")
    assert SessionPoll().poll(store, EXAMPLE, None) is None


def test_the_fork_is_asked_at_most_once_per_interval(state_store: StateStore) -> None:
    now = [1000.0]
    poll = SessionPoll(remote_every=60.0, clock=lambda: now[0])
    state_store.join_session(EXAMPLE.id, EXAMPLE.title)
    asked = []
    real = poll.poll

    def remote_asked() -> bool:
        before = poll._last_remote
        real(state_store, EXAMPLE, None)
        return poll._last_remote != before

    asked.append(remote_asked())  # first poll: asks
    now[0] += 5
    asked.append(remote_asked())  # 5 s later: local state only
    now[0] += 60
    asked.append(remote_asked())  # a minute later: asks again
    assert asked == [True, False, True]
