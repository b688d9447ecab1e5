"""Git faults while cloning and afterwards: cancel, a silent server, a crash's leftovers, a remote
that disappeared. Real git processes and real servers, no mocks."""

from __future__ import annotations

import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from onboard.workspace.clone import (
    CloneCancelled,
    CloneProgress,
    FolderInUse,
    clone,
    staging_path,
)
from onboard.workspace.gitenv import WorkspaceError
from onboard.workspace.setup import push_branch, start_issue_branch

from .conftest import Upstream, git, make_upstream


def git_processes_mentioning(text: str) -> list[str]:
    listing = subprocess.run(["ps", "-eo", "pid,args"], capture_output=True, text=True).stdout
    return [line for line in listing.splitlines() if text in line and "ps -eo" not in line]


def test_cancel_stops_git_and_leaves_nothing_behind(upstream: Upstream, tmp_path: Path) -> None:
    dest = tmp_path / "clones" / "project"
    cancel = threading.Event()
    seen: list[CloneProgress] = []

    def on_progress(event: CloneProgress) -> None:
        seen.append(event)
        if not cancel.is_set():
            cancel.set()  # the learner presses Cancel as soon as the bar moves
            time.sleep(0.5)  # git keeps working meanwhile; the watchdog must stop it

    started = time.monotonic()
    with pytest.raises(CloneCancelled, match="Nothing was left behind"):
        clone(upstream.url, dest, progress=on_progress, partial=False, cancel=cancel)

    assert time.monotonic() - started < 10
    assert seen, "git reported progress before it was cancelled"
    assert not dest.exists()
    assert not staging_path(dest).exists()
    assert git_processes_mentioning(str(staging_path(dest))) == []


def test_cancel_before_git_answers(tmp_path: Path, silent_server: str) -> None:
    dest = tmp_path / "dest"
    cancel = threading.Event()
    threading.Timer(0.5, cancel.set).start()
    started = time.monotonic()
    with pytest.raises(CloneCancelled):
        clone(silent_server, dest, cancel=cancel)
    assert time.monotonic() - started < 5
    assert not dest.exists()
    assert git_processes_mentioning(str(staging_path(dest))) == []


@pytest.fixture
def silent_server() -> Iterator[str]:
    """A git:// server that accepts connections and never says a word: a dead network."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    held: list[socket.socket] = []

    def accept() -> None:
        while True:
            try:
                connection, _ = listener.accept()
            except OSError:
                return
            held.append(connection)

    threading.Thread(target=accept, daemon=True).start()
    yield f"git://127.0.0.1:{listener.getsockname()[1]}/project.git"
    listener.close()
    for connection in held:
        connection.close()


def test_a_silent_server_hits_the_stall_timeout(tmp_path: Path, silent_server: str) -> None:
    dest = tmp_path / "dest"
    started = time.monotonic()
    with pytest.raises(WorkspaceError, match=r"received nothing .* for 1 seconds") as caught:
        clone(silent_server, dest, stall_timeout=1.0)
    assert not isinstance(caught.value, CloneCancelled)
    assert time.monotonic() - started < 8
    assert "internet connection" in str(caught.value)
    assert not dest.exists()
    assert git_processes_mentioning(str(staging_path(dest))) == []


def test_leftovers_of_a_crashed_clone_are_cleaned_up(upstream: Upstream, tmp_path: Path) -> None:
    dest = tmp_path / "clones" / "project"
    leftover = staging_path(dest)
    (leftover / ".git" / "objects").mkdir(parents=True)
    (leftover / "half-written.txt").write_text("from a clone killed half way")

    clone(upstream.url, dest, partial=False)

    assert git("rev-parse", "HEAD", cwd=dest) == upstream.head
    assert not leftover.exists()
    assert not (dest / "half-written.txt").exists()


def test_a_failed_clone_keeps_an_empty_destination_and_no_staging(tmp_path: Path) -> None:
    dest = tmp_path / "chosen-folder"
    dest.mkdir()
    with pytest.raises(WorkspaceError):
        clone((tmp_path / "nothing-here.git").as_uri(), dest)
    assert dest.is_dir() and not any(dest.iterdir())
    assert not staging_path(dest).exists()


def test_folder_in_use_reports_the_remotes(upstream: Upstream, tmp_path: Path) -> None:
    dest = tmp_path / "existing"
    clone(upstream.url, dest, partial=False)
    git("remote", "add", "upstream", "https://example.invalid/owner/project.git", cwd=dest)
    other = make_upstream(tmp_path / "elsewhere", "fork-of-project")
    with pytest.raises(FolderInUse) as caught:
        clone(other.url, dest)
    assert caught.value.path == dest
    assert caught.value.remotes == {
        "origin": upstream.url,
        "upstream": "https://example.invalid/owner/project.git",
    }


def test_remote_gone_after_cloning_is_explained(upstream: Upstream, tmp_path: Path) -> None:
    dest = tmp_path / "clone"
    clone(upstream.url, dest, partial=False)
    git("remote", "add", "upstream", upstream.url, cwd=dest)
    shutil.rmtree(upstream.bare)

    with pytest.raises(WorkspaceError) as fetching:
        start_issue_branch(dest, "fix-1", base="main")
    assert "does not appear to be a git repository" in str(fetching.value)
    assert "fix-1" in str(fetching.value)

    with pytest.raises(WorkspaceError) as pushing:
        push_branch(dest, "main")
    assert "could not push 'main' to origin" in str(pushing.value)
    assert "\n" not in str(pushing.value)


@pytest.mark.parametrize("where", ["sys", "under-a-file"])
def test_a_folder_that_cannot_be_written_is_named(
    upstream: Upstream, tmp_path: Path, where: str
) -> None:
    if where == "sys":
        parent = Path("/sys/onboard-projects")  # refused even to root
    else:
        (tmp_path / "a-file").write_text("")
        parent = tmp_path / "a-file" / "projects"
    with pytest.raises(WorkspaceError, match=r"onboard cannot write in .*Choose another folder"):
        clone(upstream.url, parent / "project", partial=False)
