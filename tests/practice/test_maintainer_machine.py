"""The simulated maintainer's state machine, step by step with a clock: no forge, no sleeps."""

from __future__ import annotations

import pytest

from onboard.forge.base import ForgeError
from onboard.forge.connect import maintainer_delay
from onboard.practice.maintainer import (
    APPROVED,
    CHANGES_REQUESTED,
    DELAY_ENV,
    MERGED,
    PRACTICE_DELAY,
    Action,
    Ci,
    Memory,
    PullView,
    decide,
    delay_from_env,
    remember,
)

DELAY = 5.0


class Run:
    """A pull and the maintainer's memory of it, advanced as the driver does."""

    def __init__(
        self,
        *,
        draft: bool = False,
        slips: dict[str, tuple[str, int]] | None = None,
        delay: float = DELAY,
        unsigned: tuple[str, ...] | None = None,
    ) -> None:
        self.delay = delay
        self.unsigned = unsigned
        self.memory = Memory("maintainer-mia", opened_at=0.0)
        self.pull = PullView(open=True, draft=draft, head_sha="a" * 40)
        self.slips = slips or {}

    def at(self, now: float) -> list[str]:
        """Everything due at ``now``, done in order: the kinds of the actions."""
        done = []
        while (action := decide(self.memory, self.pull, now, self.delay)) is not None:
            found = Ci(action.sha, now, self.slips.get(action.sha), unsigned=self.unsigned)
            self.memory = remember(self.memory, action, now, found)
            done.append(action.kind)
        return done

    def push(self, sha: str) -> None:
        self.pull = PullView(open=self.pull.open, draft=self.pull.draft, head_sha=sha)


def test_the_whole_answer_in_time_order() -> None:
    run = Run()
    assert run.at(0) == ["start ci", "ready"]  # CI shows in_progress at once
    assert run.at(4.9) == []
    assert run.at(5) == ["finish ci", "welcome"]
    assert run.at(9.9) == []
    assert run.at(10) == ["request changes"]
    assert run.memory.phase == CHANGES_REQUESTED
    assert run.at(100) == []  # nothing more until the learner pushes
    run.push("b" * 40)
    assert run.at(101) == ["start ci"]
    assert run.at(106) == ["finish ci"]
    assert run.at(111) == ["approve"]
    assert run.memory.phase == APPROVED
    assert run.at(115.9) == []
    assert run.at(116) == ["merge"]
    assert run.memory.phase == MERGED
    assert run.at(1000) == []


def test_with_no_delay_everything_due_happens_at_once() -> None:
    run = Run(delay=0)
    assert run.at(0) == ["start ci", "finish ci", "ready", "welcome", "request changes"]
    run.push("b" * 40)
    assert run.at(0) == ["start ci", "finish ci", "approve", "merge"]


def test_a_draft_gets_a_welcome_and_waits_for_ready_for_review() -> None:
    run = Run(draft=True)
    assert run.at(0) == ["start ci"]
    assert run.at(5) == ["finish ci", "welcome"]
    assert run.at(500) == []
    run.pull = PullView(open=True, draft=False, head_sha=run.pull.head_sha)
    assert run.at(600) == ["ready"]
    assert run.at(605) == ["request changes"]  # a maintainer's delay after it became ready


def test_a_fix_with_a_slip_is_not_approved_until_a_clean_push() -> None:
    run = Run(slips={"b" * 40: ("README.md", 3)})
    run.at(0)
    run.at(5)
    run.at(10)
    run.push("b" * 40)
    assert run.at(20) == ["start ci"]
    assert run.memory.ci["b" * 40].slip == ("README.md", 3)
    assert run.at(25) == ["finish ci"]
    assert run.at(100) == []
    run.push("c" * 40)
    assert run.at(101) == ["start ci"]
    assert run.at(106) == ["finish ci"]
    assert run.at(111) == ["approve"]


def test_a_closed_pull_gets_no_answer() -> None:
    run = Run()
    run.pull = PullView(open=False, draft=False, head_sha="a" * 40)
    assert run.at(0) == []
    assert decide(run.memory, run.pull, 50, DELAY) is None


def test_memory_survives_forge_json() -> None:
    run = Run(slips={"a" * 40: ("docs/a.md", 7)})
    run.at(0)
    run.at(5)
    again = Memory.from_json(run.memory.to_json())
    assert again == run.memory
    assert decide(again, run.pull, 10, DELAY) == Action("request changes", "a" * 40)


def test_the_delay_comes_from_the_environment_with_a_clear_refusal() -> None:
    assert delay_from_env({}) == PRACTICE_DELAY
    assert delay_from_env({DELAY_ENV: "0"}) == 0.0
    assert delay_from_env({DELAY_ENV: " 1.5 "}) == 1.5
    assert delay_from_env({DELAY_ENV: "OFF"}) is None
    for bad in ("soon", "-1", "nan", "1e9"):
        with pytest.raises(ValueError, match=f"{DELAY_ENV} should be a number of seconds"):
            delay_from_env({DELAY_ENV: bad})
    with pytest.raises(ForgeError, match=DELAY_ENV):
        maintainer_delay({DELAY_ENV: "soon"})


def test_an_unsigned_commit_fails_the_dco_check_until_signed() -> None:
    run = Run(unsigned=("a" * 40,))
    run.at(0)
    run.at(5)
    assert run.at(10) == ["request changes"]
    assert not run.memory.ci["a" * 40].passing
    run.push("b" * 40)  # a fix on top, still over the unsigned commit
    run.at(20)
    assert run.at(25) == ["finish ci"]
    assert run.at(100) == []
    run.unsigned = ()
    run.push("c" * 40)  # amended with -s and force-pushed
    run.at(101)
    run.at(106)
    assert run.at(111) == ["approve"]


def test_an_approved_pull_that_conflicts_is_asked_to_update_once_then_merged() -> None:
    run = Run(delay=0)
    run.at(0)
    run.push("b" * 40)
    run.pull = PullView(open=True, draft=False, head_sha="b" * 40, mergeable=False)
    assert run.at(1) == ["start ci", "finish ci", "approve", "ask to update"]
    assert run.at(2) == []  # asked once for this head
    run.pull = PullView(open=True, draft=False, head_sha="c" * 40, mergeable=True)
    assert run.at(3) == ["start ci", "finish ci", "merge"]
