"""Simulated latency and fault modes, as real clients (PyGithub, requests) see them."""

from __future__ import annotations

import json
import os
import subprocess
import threading
import time
from collections.abc import Callable

import github
import pytest
import requests

from onboard.practice import PracticeForge
from onboard.practice.faults import KINDS, Faults

from .conftest import make_client

DELAY = 0.15


def _timed_get(url: str, headers: dict[str, str], **kwargs: object) -> tuple[float, int]:
    with requests.Session() as session:
        started = time.perf_counter()
        response = session.get(url, headers=headers, timeout=10, **kwargs)  # type: ignore[arg-type]
        return time.perf_counter() - started, response.status_code


# ---------------------------------------------------------------------------- latency


def test_latency_delays_each_response_and_parallel_requests_overlap(
    forge_factory: Callable[..., PracticeForge],
) -> None:
    forge = forge_factory(latency=DELAY)
    assert forge.latency == DELAY
    auth = {"Authorization": f"token {forge.token}"}
    url = f"{forge.api_url}/repos/practice/hello-docs/issues"
    elapsed, status = _timed_get(url, auth)
    assert status == 200
    assert elapsed >= DELAY

    results: list[tuple[float, int]] = []
    lock = threading.Lock()

    def worker() -> None:
        outcome = _timed_get(url, auth)
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    wall = time.perf_counter() - started
    assert [status for _, status in results] == [200] * 4
    assert all(took >= DELAY for took, _ in results)
    # Served concurrently: four requests take about one delay, far from the serial 0.6 s.
    assert wall < 3 * DELAY, f"4 parallel requests took {wall:.3f}s"


def test_latency_is_settable_while_running_and_validated(
    forge_factory: Callable[..., PracticeForge],
) -> None:
    forge = forge_factory()
    auth = {"Authorization": f"token {forge.token}"}
    url = f"{forge.api_url}/rate_limit"
    assert forge.latency == 0.0
    fast, _ = _timed_get(url, auth)
    forge.latency = 0.3
    slow, status = _timed_get(url, auth)
    assert status == 200 and slow >= 0.3 > fast
    forge.latency = 0
    again, _ = _timed_get(url, auth)
    assert again < 0.3
    for bad in (-1, float("nan"), float("inf")):
        with pytest.raises(ValueError):
            forge.latency = bad
    with pytest.raises(TypeError):
        forge.latency = "fast"  # type: ignore[assignment]
    with pytest.raises(ValueError):
        PracticeForge(forge.data_dir, latency=-0.5)


def test_latency_does_not_slow_the_git_daemon(
    forge_factory: Callable[..., PracticeForge],
) -> None:
    forge = forge_factory(latency=3.0)
    started = time.perf_counter()
    listed = subprocess.run(
        ["git", "ls-remote", f"{forge.git_url}practice/hello-docs.git"],
        capture_output=True,
        timeout=30,
        check=True,
        env={**os.environ, "GIT_TERMINAL_PROMPT": "0"},
    )
    assert b"refs/heads/main" in listed.stdout
    assert time.perf_counter() - started < 2.0


def test_stop_does_not_wait_for_delayed_responses(
    forge_factory: Callable[..., PracticeForge],
) -> None:
    forge = forge_factory(latency=30.0)
    failures: list[BaseException] = []

    def call() -> None:
        try:
            requests.get(f"{forge.api_url}/rate_limit", timeout=20)
        except requests.RequestException as exc:
            failures.append(exc)

    thread = threading.Thread(target=call)
    thread.start()
    time.sleep(0.2)
    started = time.perf_counter()
    forge.stop()
    assert time.perf_counter() - started < 2.0
    thread.join(timeout=5)
    assert not thread.is_alive()
    assert failures, "the held request was dropped, not answered 30 s later"


# ---------------------------------------------------------------------------- faults


def test_error_fault_answers_githubs_json_for_matching_paths_n_times(
    forge: PracticeForge, http: requests.Session, auth: dict[str, str]
) -> None:
    fault = forge.faults.add("error", path=r"^/search/", status=503, times=2)
    assert len(forge.faults) == 1
    search = f"{forge.api_url}/search/issues?q=is:issue"
    first = http.get(search, headers=auth)
    assert first.status_code == 503
    assert first.json() == {
        "message": "Service Unavailable",
        "documentation_url": "https://docs.github.com/rest",
        "status": "503",
    }
    assert first.headers["Content-Type"] == "application/json; charset=utf-8"
    assert "X-GitHub-Request-Id" in first.headers
    # Other paths are untouched and do not use up the fault.
    assert http.get(f"{forge.api_url}/repos/practice/hello-docs", headers=auth).ok
    assert http.get(search, headers=auth).status_code == 503
    assert fault.hits == 2 and len(forge.faults) == 0  # used up, so removed
    assert http.get(search, headers=auth).status_code == 200

    log = [(r.path, r.status, r.fault) for r in forge.requests]
    assert log == [
        ("/search/issues", 503, "error"),
        ("/repos/practice/hello-docs", 200, None),
        ("/search/issues", 503, "error"),
        ("/search/issues", 200, None),
    ]


def test_error_fault_default_is_500_and_pygithub_raises(forge: PracticeForge) -> None:
    forge.faults.add("error")
    gh = make_client(forge)
    try:
        with pytest.raises(github.GithubException) as info:
            gh.get_repo("practice/tiny-calc")
        assert info.value.status == 500
        assert info.value.data["message"] == "Server Error"
        forge.faults.clear()
        assert gh.get_repo("practice/tiny-calc").name == "tiny-calc"
    finally:
        gh.close()


def test_refused_requests_have_no_side_effects(
    forge: PracticeForge, http: requests.Session, auth: dict[str, str]
) -> None:
    forge.faults.add("error", method="POST", status=502)
    url = f"{forge.api_url}/repos/practice/hello-docs/issues/1/comments"
    before = forge.store.comment_count("practice/hello-docs", 1)
    posted = http.post(url, json={"body": "Can I take this?"}, headers=auth)
    assert posted.status_code == 502
    assert posted.json()["message"] == "Bad Gateway"
    assert forge.store.comment_count("practice/hello-docs", 1) == before
    assert http.get(url, headers=auth).ok  # GET is not matched by a POST-only fault
    used = http.get(f"{forge.api_url}/rate_limit", headers=auth).json()["resources"]["core"]
    assert used["used"] == 1  # only the GET was charged


def test_unauthorized_fault_is_bad_credentials(forge: PracticeForge) -> None:
    forge.faults.add("unauthorized", path="^/user$")
    gh = make_client(forge)
    try:
        with pytest.raises(github.BadCredentialsException) as info:
            gh.get_user().login  # noqa: B018 - the attribute access makes the request
        assert info.value.status == 401
        assert info.value.data == {
            "message": "Bad credentials",
            "documentation_url": "https://docs.github.com/rest",
            "status": "401",
        }
        assert gh.get_repo("practice/hello-docs").name == "hello-docs"
    finally:
        gh.close()
    assert [r.fault for r in forge.requests] == ["unauthorized", None]
    assert forge.requests[0].authenticated is True


def test_rate_limit_fault_matches_githubs_403(
    forge: PracticeForge, http: requests.Session, auth: dict[str, str]
) -> None:
    forge.faults.add("rate_limit", reset_in=120)
    response = http.get(f"{forge.api_url}/repos/practice/hello-docs", headers=auth)
    assert response.status_code == 403
    assert response.headers["X-RateLimit-Remaining"] == "0"
    assert response.headers["X-RateLimit-Limit"] == "5000"
    assert response.headers["X-RateLimit-Resource"] == "core"
    reset = int(response.headers["X-RateLimit-Reset"])
    assert abs(reset - (time.time() + 120)) < 5
    body = response.json()
    assert body["message"].startswith("API rate limit exceeded for user ID ")
    assert body["documentation_url"].endswith("#rate-limiting")
    search = http.get(f"{forge.api_url}/search/issues?q=is:issue", headers=auth)
    assert search.headers["X-RateLimit-Resource"] == "search"
    gh = make_client(forge)
    try:
        with pytest.raises(github.RateLimitExceededException):
            gh.get_repo("practice/hello-docs")
    finally:
        gh.close()


def test_secondary_rate_limit_fault_sends_retry_after(
    forge: PracticeForge, http: requests.Session, auth: dict[str, str]
) -> None:
    forge.faults.add("secondary_rate_limit", retry_after=7)
    response = http.get(f"{forge.api_url}/search/issues?q=is:issue", headers=auth)
    assert response.status_code == 429
    assert response.headers["Retry-After"] == "7"
    message = response.json()["message"]
    assert message.startswith("You have exceeded a secondary rate limit.")
    forge.faults.clear()
    forge.faults.add("secondary_rate_limit", status=403)
    gh = make_client(forge)
    try:
        with pytest.raises(github.RateLimitExceededException):
            gh.get_repo("practice/hello-docs")
    finally:
        gh.close()


def test_malformed_fault_sends_truncated_json(
    forge: PracticeForge, http: requests.Session, auth: dict[str, str]
) -> None:
    forge.faults.add("malformed", path="/issues$", times=1)
    url = f"{forge.api_url}/repos/practice/hello-docs/issues"
    response = http.get(url, headers=auth)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json; charset=utf-8"
    assert response.content.startswith(b"[{")
    with pytest.raises(ValueError):
        response.json()
    with pytest.raises(ValueError):
        json.loads(response.content)
    assert isinstance(http.get(url, headers=auth).json(), list)
    assert forge.requests[0].fault == "malformed" and forge.requests[0].status == 200


def test_latency_fault_slows_only_matching_requests(
    forge: PracticeForge, auth: dict[str, str]
) -> None:
    forge.faults.add("latency", path="/search/", seconds=0.4)
    slow, status = _timed_get(f"{forge.api_url}/search/issues?q=is:issue", auth)
    assert status == 200 and slow >= 0.4
    fast, _ = _timed_get(f"{forge.api_url}/rate_limit", auth)
    assert fast < 0.4


def test_timeout_fault_trips_client_timeouts_and_stop_lets_go(
    forge_factory: Callable[..., PracticeForge],
) -> None:
    forge = forge_factory()
    forge.faults.add("timeout", path="^/user$", seconds=60)
    auth = {"Authorization": f"token {forge.token}"}
    with pytest.raises(requests.exceptions.ReadTimeout):
        requests.get(f"{forge.api_url}/user", headers=auth, timeout=0.3)
    gh = make_client(forge, timeout=1)  # PyGithub takes whole seconds
    try:
        with pytest.raises(requests.exceptions.ReadTimeout):
            gh.get_user().login  # noqa: B018
    finally:
        gh.close()
    assert requests.get(f"{forge.api_url}/rate_limit", headers=auth, timeout=5).ok
    started = time.perf_counter()
    forge.stop()  # two connections are still held by the fault
    assert time.perf_counter() - started < 2.0


def test_reset_fault_drops_the_connection(
    forge: PracticeForge, http: requests.Session, auth: dict[str, str]
) -> None:
    forge.faults.add("reset", times=1)
    with pytest.raises(requests.exceptions.ConnectionError):
        requests.get(f"{forge.api_url}/repos/practice/hello-docs", headers=auth, timeout=5)
    assert http.get(f"{forge.api_url}/repos/practice/hello-docs", headers=auth).ok
    record = forge.requests[0]
    assert (record.fault, record.status) == ("reset", 0)
    gh = make_client(forge)
    forge.faults.add("reset", times=1)
    try:
        with pytest.raises(requests.exceptions.ConnectionError):
            gh.get_repo("practice/tiny-calc")
    finally:
        gh.close()


def test_first_matching_fault_wins_and_clear_restores(
    forge: PracticeForge, http: requests.Session, auth: dict[str, str]
) -> None:
    forge.faults.add("unauthorized", path="/issues")
    forge.faults.add("error", status=500)
    assert [f.kind for f in forge.faults] == ["unauthorized", "error"]
    issues = f"{forge.api_url}/repos/practice/hello-docs/issues"
    assert http.get(issues, headers=auth).status_code == 401
    assert http.get(f"{forge.api_url}/user", headers=auth).status_code == 500
    forge.faults.clear()
    assert len(forge.faults) == 0
    assert http.get(issues, headers=auth).status_code == 200
    assert "unauthorized" not in repr(forge.faults)


def test_fault_api_validation() -> None:
    faults = Faults()
    assert set(KINDS) == {
        "latency",
        "timeout",
        "error",
        "malformed",
        "unauthorized",
        "rate_limit",
        "secondary_rate_limit",
        "reset",
        "html",
        "redirect",
    }
    with pytest.raises(ValueError, match="unknown fault kind"):
        faults.add("explode")
    with pytest.raises(TypeError, match="unknown option"):
        faults.add("error", seconds=3)
    with pytest.raises(ValueError, match="5xx"):
        faults.add("error", status=404)
    with pytest.raises(ValueError):
        faults.add("latency", seconds=-1)
    with pytest.raises(ValueError):
        faults.add("secondary_rate_limit", status=500)
    with pytest.raises(ValueError, match="times"):
        faults.add("reset", times=0)
    with pytest.raises(ValueError, match="invalid path"):
        faults.add("reset", path="(")
    fault = faults.add("latency", path="/x", seconds=2)
    assert fault["seconds"] == 2.0 and fault.remaining is None
    assert faults.take("GET", "/y") is None
    assert faults.take("GET", "/x") is fault and fault.hits == 1
    faults.remove(fault)
    assert len(faults) == 0
