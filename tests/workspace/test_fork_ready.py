"""Waiting for a fork's git repository: the probe against a real git daemon, and the loop's
backoff, time limit, reports and cancel with a simulated clock (five minutes in microseconds)."""

from __future__ import annotations

import itertools
import socket
import threading
import time
from collections.abc import Iterator

import pytest
import requests

from onboard.practice import PRACTICE_USER, PracticeForge
from onboard.workspace.gitenv import WorkspaceError
from onboard.workspace.remote_ready import (
    FORK_READY_TIMEOUT_SECONDS,
    Probe,
    RemoteNotReady,
    WaitCancelled,
    probe,
    wait_until_ready,
)

URL = "https://example.invalid/learner/tiny-calc.git"


class Clock:
    """A clock that only moves when the loop sleeps."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


class Answers:
    """A probe that answers from a script and records when it was asked."""

    def __init__(self, clock: Clock, answers: list[Probe], then: Probe) -> None:
        self.clock = clock
        self.answers = list(answers)
        self.then = then
        self.asked_at: list[float] = []

    def __call__(self, url: str, cancel: threading.Event | None) -> Probe:
        assert url == URL
        self.asked_at.append(self.clock())
        return self.answers.pop(0) if self.answers else self.then


MISSING = Probe(False, missing=True, reason="fatal: remote error: no such repository")
OFFLINE = Probe(False, reason="fatal: unable to access: Could not resolve host: example.invalid")
READY = Probe(True)


def test_a_ready_repository_is_not_waited_for() -> None:
    clock = Clock()
    answers = Answers(clock, [], READY)
    reports: list[float] = []
    waited = wait_until_ready(
        URL, check=answers, clock=clock, sleep=clock.sleep, on_wait=reports.append
    )
    assert waited == 0 and answers.asked_at == [0] and reports == [] and clock.sleeps == []


def test_backoff_doubles_from_half_a_second_to_ten_and_reports_every_second() -> None:
    clock = Clock()
    answers = Answers(clock, [MISSING] * 7, READY)
    reports: list[float] = []
    waited = wait_until_ready(
        URL, check=answers, clock=clock, sleep=clock.sleep, on_wait=reports.append
    )
    # Pauses of 0.5, 1, 2, 4, 8, 10, 10 seconds between the probes.
    assert answers.asked_at == [0, 0.5, 1.5, 3.5, 7.5, 15.5, 25.5, 35.5]
    assert waited == 35.5
    assert max(clock.sleeps) <= 1.0  # never deaf to the screen for long
    assert reports == sorted(reports) and reports[0] == 0
    gaps = [b - a for a, b in itertools.pairwise(reports)]
    assert max(gaps) <= 1.0


def test_the_wait_gives_up_at_five_minutes_after_a_last_probe() -> None:
    clock = Clock()
    answers = Answers(clock, [], MISSING)
    with pytest.raises(RemoteNotReady) as stopped:
        wait_until_ready(URL, check=answers, clock=clock, sleep=clock.sleep)
    assert FORK_READY_TIMEOUT_SECONDS == 300
    assert answers.asked_at[-1] == 300 and stopped.value.waited == 300
    assert len(answers.asked_at) == 35  # 0.5 s doubling to 10 s, then every 10 s
    assert "no such repository" in stopped.value.reason


def test_failures_other_than_a_missing_repository_stop_the_wait_with_gits_reason() -> None:
    """No network is not a fork being created: say so after a few tries, not five minutes."""
    clock = Clock()
    answers = Answers(clock, [MISSING, OFFLINE, MISSING, OFFLINE, OFFLINE], OFFLINE)
    with pytest.raises(WorkspaceError) as stopped:
        wait_until_ready(URL, check=answers, clock=clock, sleep=clock.sleep)
    assert not isinstance(stopped.value, RemoteNotReady)
    assert len(answers.asked_at) == 6  # a "missing" answer in between starts the count again
    assert "Could not resolve host" in str(stopped.value)


def test_a_cancel_during_the_pause_stops_at_the_next_tick() -> None:
    clock = Clock()
    cancel = threading.Event()
    answers = Answers(clock, [], MISSING)

    def sleep(seconds: float) -> None:
        clock.sleep(seconds)
        if clock.now >= 20:
            cancel.set()

    with pytest.raises(WaitCancelled):
        wait_until_ready(URL, check=answers, clock=clock, sleep=sleep, cancel=cancel)
    assert clock.now <= 21


# ---------------------------------------------------------------------------- the real probe


def fork_url(forge: PracticeForge, name: str) -> str:
    return f"{forge.git_url.rstrip('/')}/{PRACTICE_USER}/{name}.git"


def test_the_probe_tells_a_ready_repository_from_a_missing_one(
    practice_forge: PracticeForge,
) -> None:
    assert probe(f"{practice_forge.git_url.rstrip('/')}/practice/tiny-calc.git") == READY
    missing = probe(fork_url(practice_forge, "no-such-project"))
    assert not missing.ok and missing.missing
    assert "no such repository" in missing.reason


def test_the_probe_refuses_urls_that_are_not_repositories() -> None:
    with pytest.raises(WorkspaceError):
        probe("--upload-pack=touch /tmp/x")
    with pytest.raises(WorkspaceError):
        probe("ext::sh -c touch% /tmp/x")


@pytest.fixture
def silent_server() -> Iterator[str]:
    """A git:// address that accepts connections and never answers."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as server:
        server.bind(("127.0.0.1", 0))
        server.listen(8)
        yield f"git://127.0.0.1:{server.getsockname()[1]}/learner/tiny-calc.git"


def test_a_probe_that_gets_no_answer_is_cancelled_promptly(silent_server: str) -> None:
    cancel = threading.Event()
    threading.Timer(0.3, cancel.set).start()
    started = time.monotonic()
    result = probe(silent_server, cancel)
    assert time.monotonic() - started < 2
    assert not result.ok and result.reason == "cancelled"


def test_a_probe_that_gets_no_answer_gives_up_after_its_timeout(silent_server: str) -> None:
    started = time.monotonic()
    result = probe(silent_server, timeout=0.5)
    assert 0.5 <= time.monotonic() - started < 3
    assert not result.ok and not result.missing and "no answer" in result.reason


def test_waiting_for_a_slow_fork_on_the_practice_forge(practice_forge: PracticeForge) -> None:
    practice_forge.fork_delay = 2.0  # generous: a loaded machine must still see "not yet"
    created = requests.post(
        f"{practice_forge.api_url}/repos/practice/tiny-calc/forks",
        headers={"Authorization": f"token {practice_forge.token}"},
        timeout=10,
    ).json()
    assert not probe(created["clone_url"]).ok  # not yet
    reports: list[float] = []
    waited = wait_until_ready(created["clone_url"], on_wait=reports.append)
    assert 0.5 <= waited < 10 and reports
    assert probe(created["clone_url"]).ok


def test_a_real_wait_is_cancelled_promptly(practice_forge: PracticeForge) -> None:
    practice_forge.fork_delay = 60.0
    created = requests.post(
        f"{practice_forge.api_url}/repos/practice/tiny-calc/forks",
        headers={"Authorization": f"token {practice_forge.token}"},
        timeout=10,
    ).json()
    cancel = threading.Event()
    cancelled_at: list[float] = []

    def press_cancel() -> None:
        cancelled_at.append(time.monotonic())
        cancel.set()

    timer = threading.Timer(0.8, press_cancel)  # during the pause before the third probe
    timer.start()
    with pytest.raises(WaitCancelled):
        wait_until_ready(created["clone_url"], cancel=cancel)
    timer.join()
    assert time.monotonic() - cancelled_at[0] < 0.5
