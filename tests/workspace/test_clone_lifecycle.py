"""Clones under way when something else happens: a second clone of the same project, onboard
killed half way, a clean-up while another process clones. Real git against a real git daemon
that holds each request until the test lets it go (:mod:`tests.held_git`)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from onboard.practice.gitdaemon import GitDaemon
from onboard.workspace.clone import clone, remove_abandoned_clones, staging_path
from tests.held_git import Hold, hold_git_daemons, processes_mentioning, running, wait_until

from .conftest import Upstream, git, make_upstream

pytestmark = pytest.mark.skipif(not Path("/proc/self/cmdline").exists(), reason="reads /proc")


@pytest.fixture
def hold(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Hold]:
    held = hold_git_daemons(tmp_path, monkeypatch)
    yield held
    held.release_all()


@pytest.fixture
def served(hold: Hold, tmp_path: Path) -> Iterator[tuple[Upstream, str]]:
    """The upstream project and its git:// URL on a daemon that holds every request."""
    upstream = make_upstream(tmp_path / "served")
    daemon = GitDaemon(upstream.bare.parent)
    daemon.start()
    try:
        yield upstream, f"{daemon.url}{upstream.bare.name}"
    finally:
        hold.release_all()
        daemon.stop()


def clone_in_a_thread(url: str, dest: Path, failures: list[BaseException]) -> threading.Thread:
    def run() -> None:
        try:
            clone(url, dest, partial=False)
        except BaseException as error:  # reported by the test
            failures.append(error)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def test_two_clones_of_one_project_at_once_both_end_well(
    served: tuple[Upstream, str], hold: Hold, tmp_path: Path
) -> None:
    upstream, url = served
    dest = tmp_path / "ws" / "owner" / "project"
    failures: list[BaseException] = []
    first = clone_in_a_thread(url, dest, failures)
    wait_until(lambda: hold.calls() == 1, "the first clone at the server")
    second = clone_in_a_thread(url, dest, failures)
    wait_until(lambda: hold.calls() == 2, "the second clone at the server")

    hold.release(2)  # the second one finishes first...
    second.join(timeout=30)
    hold.release(1)  # ...then the first one, whose folder nobody may have touched meanwhile
    first.join(timeout=30)

    assert not first.is_alive() and not second.is_alive()
    assert failures == []
    assert git("rev-parse", "HEAD", cwd=dest) == upstream.head
    assert not staging_path(dest).exists()


def start_cloning_script(url: str, dest: Path) -> subprocess.Popen[str]:
    """onboard cloning in a process of its own, in a process group of its own (as a terminal
    runs the app): the test can kill the whole group, as the issue's tester did."""
    code = textwrap.dedent(
        f"""
        from pathlib import Path
        from onboard.workspace.clone import clone
        clone({url!r}, Path({str(dest)!r}), partial=False)
        """
    )
    return subprocess.Popen(
        [sys.executable, "-c", code],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def test_killing_onboard_mid_clone_ends_git_and_the_next_clone_works(
    served: tuple[Upstream, str], hold: Hold, tmp_path: Path
) -> None:
    upstream, url = served
    dest = tmp_path / "ws" / "owner" / "project"
    onboard = start_cloning_script(url, dest)
    try:
        wait_until(lambda: hold.calls() == 1, "the clone at the server")
        assert processes_mentioning(str(staging_path(dest)))

        os.killpg(onboard.pid, signal.SIGKILL)  # the app's process group, during a clone
        onboard.wait(timeout=10)

        wait_until(lambda: not processes_mentioning(str(staging_path(dest))), "git to end", 5)
    finally:
        if onboard.poll() is None:
            onboard.kill()
            onboard.wait()
        hold.release_all()

    clone(url, dest, partial=False)

    assert git("rev-parse", "HEAD", cwd=dest) == upstream.head
    assert not staging_path(dest).exists()


def test_cleaning_up_leaves_a_clone_another_process_is_writing(
    served: tuple[Upstream, str], hold: Hold, tmp_path: Path
) -> None:
    upstream, url = served
    workspace = tmp_path / "ws"
    dest = workspace / "owner" / "project"
    onboard = start_cloning_script(url, dest)
    try:
        wait_until(lambda: hold.calls() == 1, "the clone at the server")
        wait_until(
            lambda: any(entry.is_dir() for entry in staging_path(dest).glob("*")),
            "git to create its folder",
        )
        writing = sorted(staging_path(dest).iterdir())

        remove_abandoned_clones(workspace)  # as a second app, or a second tab, starting now

        assert sorted(staging_path(dest).iterdir()) == writing
        hold.release_all()
        _out, err = onboard.communicate(timeout=30)
        assert onboard.returncode == 0, err
    finally:
        if onboard.poll() is None:
            onboard.kill()
            onboard.wait()
        hold.release_all()
    assert git("rev-parse", "HEAD", cwd=dest) == upstream.head
    assert not staging_path(dest).exists()


def fetches_in(folder: Path) -> list[int]:
    """Running ``git fetch`` processes whose working folder is ``folder``."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            argv = (entry / "cmdline").read_bytes().split(b"\0")
            cwd = (entry / "cwd").resolve()
        except OSError:
            continue
        if argv[:2] == [b"git", b"fetch"] and cwd == folder.resolve() and running(int(entry.name)):
            found.append(int(entry.name))
    return found


def test_a_fetch_ends_when_onboard_is_killed(
    served: tuple[Upstream, str], hold: Hold, tmp_path: Path
) -> None:
    upstream, url = served
    dest = tmp_path / "ws" / "owner" / "project"
    hold.release(1)
    clone(url, dest, partial=False)
    work = upstream.bare.parent / "project-work"
    (work / "NEWS.md").write_text("something new upstream\n")
    git("add", "NEWS.md", cwd=work)
    git("commit", "-q", "-m", "news", cwd=work)
    git("push", "-q", str(upstream.bare), "main", cwd=work)
    code = (
        "from pathlib import Path; from onboard.workspace.repo import open_repo; "
        f"open_repo(Path({str(dest)!r})).git.fetch('origin')"
    )
    onboard = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.DEVNULL)
    try:
        wait_until(lambda: hold.calls() == 2, "the fetch at the server")
        assert fetches_in(dest)

        onboard.kill()  # onboard alone, not its process group: the fetch is not signalled
        onboard.wait(timeout=10)

        wait_until(lambda: not fetches_in(dest), "the fetch to end", 5)
    finally:
        if onboard.poll() is None:
            onboard.kill()
            onboard.wait()
        hold.release_all()
