"""A room on disk: joining makes a private profile with its own practice account, a secret
finds it again, and a learner's live report is rewritten only when it changes."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from onboard.core.journey import Journey
from onboard.core.sessions.progress import SessionEvent
from onboard.core.sessions.room import RoomInputError
from onboard.core.sessions.session import load_session
from onboard.core.storage.state import StateStore
from onboard.flows import room as room_flow
from onboard.flows.room import LiveReport, Room
from onboard.forge.connect import PracticeSession
from onboard.practice import PracticeForge
from onboard.workspace.identity import git_identity

SESSION = Path(__file__).resolve().parents[2] / "guides" / "sessions" / "workshop-example.toml"


def test_joining_makes_a_private_profile_with_an_account_of_its_own(
    practice_forge: PracticeForge, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    session = PracticeSession(practice_forge.data_dir)
    session._forge = practice_forge  # the forge ``onboard serve`` runs in its own process
    room = Room(tmp_path / "room", code="4321", make_account=session.make_account)
    with pytest.raises(RoomInputError, match="room code"):
        room.join({"name": "Ada", "code": "nope"})
    secret, ada = room.join({"name": "Ada", "code": "4321"})
    _, grace = room.join({"name": "Grace", "code": "4321"})
    assert ada.profile.folder != grace.profile.folder and ada.login != grace.login
    assert stat.S_IMODE(ada.profile.folder.stat().st_mode) == 0o700
    assert stat.S_IMODE(ada.profile.practice_token.stat().st_mode) == 0o600
    assert secret not in ada.profile.record.read_text()
    token = ada.profile.practice_token.read_text().strip()
    assert practice_forge.store.user_for_token(token) == ada.login  # her own account

    assert room.find(secret) == ada
    assert room.find("x" * 43) is None and room.find("../..") is None

    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(ada.profile.gitconfig))
    assert git_identity().name == "Ada"  # her name on her commits and in her report


def test_the_live_report_is_written_when_what_the_mentor_sees_changes(
    state_store: StateStore, tmp_path: Path
) -> None:
    assert LiveReport.from_env({}) is None
    report = LiveReport.from_env({"ONBOARD_ROOM_REPORT": str(tmp_path / "l" / "ada.json")})
    assert report is not None
    session = load_session(SESSION)
    state_store.save_journey("practice", Journey())
    state_store.join_session(session.id, session.title)
    assert report.update(state_store, session, ("a",))
    assert not report.update(state_store, session, ("a",))  # nothing changed: not rewritten
    state_store.record_session_event(session.id, SessionEvent.stuck("fork", None, "help"))
    assert report.update(state_store, session, ("b",))
    written = json.loads(report.path.read_text())
    assert [s["text"] for s in written["stuck"]] == ["help"]
    assert not [p for p in report.path.parent.iterdir() if p.name.startswith(".")]


def test_a_full_room_says_so_and_a_learner_from_before_the_forge_gets_an_account(
    practice_forge: PracticeForge, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    secret, ada = Room(tmp_path / "room").join({"name": "Ada"})  # a room with no forge
    assert ada.login is None and not ada.profile.practice_token.exists()
    monkeypatch.setattr(room_flow, "MAX_LEARNERS", 1)
    with pytest.raises(RoomInputError, match="full"):
        Room(tmp_path / "room").join({"name": "Grace"})

    session = PracticeSession(practice_forge.data_dir)
    session._forge = practice_forge
    room = Room(tmp_path / "room", make_account=session.make_account)
    found = room.find(secret)
    assert found is not None
    ada = room.ensure_account(found)
    assert ada.login is not None and ada.login.startswith("ada-")
    token = ada.profile.practice_token.read_text().strip()
    assert practice_forge.store.user_for_token(token) == ada.login
    assert room.find(secret) == ada  # remembered
    assert room.ensure_account(ada) == ada  # once only
