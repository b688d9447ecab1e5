"""The command line against the practice forge over HTTP: in-process through ``main``, and as a
real process where the process is the point (``python -m onboard`` itself, Ctrl+C)."""

from __future__ import annotations

import json
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

from onboard import __version__
from onboard.practice import PracticeForge
from tests.cli_runner import run_onboard as run


def process(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """``python -m onboard ARGS`` as a real process."""
    return subprocess.run(
        [sys.executable, "-m", "onboard", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def forge_env(forge: PracticeForge) -> dict[str, str]:
    return {"GITHUB_API_URL": forge.api_url, "GH_TOKEN": forge.token}


def test_version_and_help() -> None:
    """The one real ``python -m onboard``: the module runs, prints and exits like the script."""
    version = process("--version")
    assert version.returncode == 0
    assert version.stdout.strip() == f"onboard {__version__}"
    helped = process("--help")
    assert helped.returncode == 0
    for word in ("practice", "find", "GH_TOKEN"):
        assert word in helped.stdout


def test_find_json_lists_open_unassigned_beginner_issues(practice_forge: PracticeForge) -> None:
    result = run(
        "find",
        "practice/hello-docs",
        "practice/tiny-calc",
        "practice/kind-words",
        "--json",
        env=forge_env(practice_forge),
    )
    assert result.returncode == 0, result.stderr
    issues = json.loads(result.stdout)
    keys = {"repo", "number", "title", "url", "labels", "assignees", "comments", "updated_at"}
    assert all(keys <= issue.keys() for issue in issues)
    found = {(issue["repo"], issue["number"]) for issue in issues}
    assert found == {
        ("practice/hello-docs", 1),
        ("practice/hello-docs", 2),
        ("practice/hello-docs", 3),
        ("practice/tiny-calc", 1),
        ("practice/kind-words", 1),
    }
    assert all(issue["assignees"] == [] for issue in issues)
    assert all("/pull/" not in issue["url"] for issue in issues)


def test_find_plain_output_strips_terminal_escapes(practice_forge: PracticeForge) -> None:
    practice_forge.store.add_issue(
        "practice/kind-words", "Hello \x1b]0;pwned\x07world", labels=["good first issue"]
    )
    result = run("find", "practice/kind-words", env=forge_env(practice_forge))
    assert result.returncode == 0, result.stderr
    assert "Hello world" in result.stdout
    assert "\x1b" not in result.stdout


def test_find_forge_error_is_one_line_and_exit_1() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    result = run("find", "pallets/flask", env={"GITHUB_API_URL": f"http://127.0.0.1:{port}"})
    assert result.returncode == 1
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Cannot reach" in result.stderr
    assert "onboard practice" in result.stderr
    assert "Traceback" not in result.stderr


def test_find_bad_token_exit_1(practice_forge: PracticeForge) -> None:
    result = run(
        "find",
        "practice/hello-docs",
        env={"GITHUB_API_URL": practice_forge.api_url, "GH_TOKEN": "nope"},
    )
    assert result.returncode == 1
    assert "GH_TOKEN" in result.stderr
    assert "nope" not in result.stderr


def test_usage_error_exit_2() -> None:
    result = run("find", "not-a-repo")
    assert result.returncode == 2
    assert "OWNER/REPO" in result.stderr


def test_practice_serve_prints_urls_and_stops_on_ctrl_c(tmp_path: Path) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "onboard", "practice", "serve", "--data", str(tmp_path / "forge")],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        lines = [process.stdout.readline() for _ in range(5)]
        text = "".join(lines)
        api = re.search(r"API URL:\s+(\S+)", text)
        assert api, text
        assert re.search(r"git URL:\s+git://127\.0\.0\.1:\d+/", text)
        assert re.search(r"practice token:\s+\S+", text)
        assert (
            requests.get(f"{api.group(1)}/repos/practice/hello-docs", timeout=5).status_code == 200
        )
    finally:
        process.send_signal(signal.SIGINT)
        started = time.monotonic()
        code = process.wait(timeout=20)
    assert code == 0
    assert time.monotonic() - started < 10
    assert "Traceback" not in (process.stderr.read() if process.stderr else "")


def test_find_ranks_and_explains_with_status_and_reasons(practice_forge: PracticeForge) -> None:
    result = run("find", "--pack", "practice", "--json", env=forge_env(practice_forge))
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    by_key = {(item["repo"], item["number"]): item for item in found}
    claimed = by_key[("practice/kind-words", 1)]
    assert claimed["status"] == "likely taken"
    assert any("river-new" in line for line in claimed["evidence"])
    free = by_key[("practice/hello-docs", 1)]
    assert free["status"] == "free"
    assert free["lane"] == "doc"
    assert "unassigned" in free["reasons"]
    # Ranked: every free issue comes before the likely-taken one.
    statuses = [item["status"] for item in found]
    assert statuses.index("likely taken") > max(i for i, s in enumerate(statuses) if s == "free")


def test_find_filters(practice_forge: PracticeForge) -> None:
    env = forge_env(practice_forge)
    free = json.loads(
        run("find", "--pack", "practice", "--status", "free", "--json", env=env).stdout
    )
    assert free and all(item["status"] == "free" for item in free)
    assert ("practice/kind-words", 1) not in {(i["repo"], i["number"]) for i in free}
    code = json.loads(run("find", "--pack", "practice", "--lane", "code", "--json", env=env).stdout)
    assert {(i["repo"], i["number"]) for i in code} == {("practice/tiny-calc", 1)}
    non_code = json.loads(
        run("find", "--pack", "practice", "--lane", "non-code", "--json", env=env).stdout
    )
    assert all(item["lane"] != "code" for item in non_code) and len(non_code) == 4
    limited = json.loads(
        run("find", "--pack", "practice", "--limit", "2", "--json", env=env).stdout
    )
    assert len(limited) == 2


def test_find_usage_errors() -> None:
    assert run("find").returncode == 2
    unknown = run("find", "--pack", "no-such-pack")
    assert unknown.returncode == 2
    assert "no guide pack is named" in unknown.stderr
    assert run("find", "a/b", "--lane", "cooking").returncode == 2


def test_find_interests_rank_matching_work_first(practice_forge: PracticeForge) -> None:
    env = forge_env(practice_forge)
    ranked = json.loads(
        run("find", "--pack", "practice", "--interest", "translation", "--json", env=env).stdout
    )
    assert (ranked[0]["repo"], ranked[0]["number"]) == ("practice/hello-docs", 2)
    assert "fits your interest: translation" in ranked[0]["reasons"]
    python = json.loads(
        run("find", "--pack", "practice", "--language", "python", "--json", env=env).stdout
    )
    assert (python[0]["repo"], python[0]["number"]) == ("practice/tiny-calc", 1)
