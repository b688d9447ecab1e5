"""Guided mode's agenda rules: which time box is now, the session clock, being behind the plan,
and which packs, projects and pre-picked issues a session offers."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from onboard.core.journey import Status
from onboard.core.models import RepoRef
from onboard.core.packs.loading import load_all_packs
from onboard.core.sessions.checkpoints import CheckpointStatus
from onboard.core.sessions.guided import (
    WORKSHOP_CLOCK_LIMIT,
    clock_start,
    clock_text,
    guided_view,
    packs_for_session,
    picks_for,
)
from onboard.core.sessions.session import Session, load_session

EXAMPLE = Path(__file__).parents[2] / "guides" / "sessions" / "workshop-example.toml"
START = datetime(2025, 6, 12, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def session() -> Session:
    return load_session(EXAMPLE)


def statuses(session: Session, done: set[str]) -> list[CheckpointStatus]:
    return [
        CheckpointStatus(c.id, c.title, c.kind, c.id in done, START if c.id in done else None, "")
        for c in session.checkpoints
    ]


def test_the_welcome_talk_is_now_until_its_time_box_ends(session: Session) -> None:
    view = guided_view(session, statuses(session, set()), joined_at=None, now=START)
    assert view.elapsed == 0  # starts_at is 12:00 UTC: the room's clock
    assert [row.status for row in view.rows[:2]] == [Status.CURRENT, Status.TODO]
    later = guided_view(
        session, statuses(session, set()), joined_at=None, now=START + timedelta(minutes=11)
    )
    assert [row.status for row in later.rows[:2]] == [Status.DONE, Status.CURRENT]
    assert later.current is not None and later.current.id == "chosen"
    assert later.current_row is not None and later.current_row.item.title == "Choose a project"


def test_a_reached_checkpoint_ends_earlier_untimed_items_at_once(session: Session) -> None:
    view = guided_view(session, statuses(session, {"chosen"}), joined_at=None, now=START)
    rows = view.rows
    assert rows[0].status is Status.DONE  # welcome: a later checkpoint is reached
    assert rows[1].status is Status.DONE
    assert rows[2].status is Status.CURRENT and rows[2].item.title == "Fork and clone"
    assert (rows[2].starts, rows[2].ends) == (20, 40)
    assert view.reached == 1 and not view.finished


def test_behind_the_plan_counts_from_the_checkpoints_due_time(session: Session) -> None:
    done = {"chosen"}
    on_time = guided_view(
        session, statuses(session, done), joined_at=None, now=START + timedelta(minutes=40)
    )
    assert on_time.behind_by is None  # "cloned" is due at 0:40
    late = guided_view(
        session, statuses(session, done), joined_at=None, now=START + timedelta(minutes=52)
    )
    assert late.behind_by == 12


def test_every_checkpoint_reached_finishes_the_session_but_the_wrap_up_keeps_time(
    session: Session,
) -> None:
    every = {c.id for c in session.checkpoints}
    view = guided_view(
        session, statuses(session, every), joined_at=None, now=START + timedelta(minutes=60)
    )
    assert view.finished and view.behind_by is None
    assert view.rows[-1].status is Status.CURRENT  # the wrap-up talk is still to come
    end = guided_view(
        session, statuses(session, every), joined_at=None, now=START + timedelta(minutes=125)
    )
    assert all(row.status is Status.DONE for row in end.rows)


def test_the_clock_is_the_rooms_for_a_workshop_else_the_learners(session: Session) -> None:
    joined = START + timedelta(days=30)
    assert clock_start(session, joined, START + timedelta(minutes=5)) == START
    assert clock_start(session, joined, START + WORKSHOP_CLOCK_LIMIT + timedelta(1)) == joined
    self_paced = replace(session, starts_at=None)
    assert clock_start(self_paced, joined, joined + timedelta(hours=3)) == joined
    early = guided_view(
        session, statuses(session, set()), joined_at=None, now=START - timedelta(minutes=7)
    )
    assert early.starts_in == 7 and early.elapsed == 0


def test_clock_text_is_hours_and_minutes() -> None:
    assert [clock_text(m) for m in (0, 9, 65, 120)] == ["0:00", "0:09", "1:05", "2:00"]


def test_a_session_offers_its_packs_and_projects_only(session: Session) -> None:
    packs, _ = load_all_packs()
    offered = packs_for_session(session, packs)
    projects = {p.repo for pack in offered for p in pack.projects}
    assert projects == set(session.projects)
    assert all(pack.name == "practice" for pack in offered if pack.projects)
    assert any(not pack.projects for pack in offered) == any(not p.projects for p in packs)
    one = replace(session, projects=(RepoRef("practice", "kind-words"),))
    assert {p.repo.name for pack in packs_for_session(one, packs) for p in pack.projects} == {
        "kind-words"
    }
    anything = replace(session, packs=(), projects=())
    assert packs_for_session(anything, packs) == packs


def test_the_mentors_picks_are_those_of_the_chosen_project(session: Session) -> None:
    assert [p.number for p in picks_for(session, "practice/hello-docs")] == [1, 2]
    assert [p.number for p in picks_for(session, "Practice/Tiny-Calc")] == [1]
    assert picks_for(session, None) == () and picks_for(session, "octo/x") == ()
