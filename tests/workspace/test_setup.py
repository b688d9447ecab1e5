"""Clone, remotes and branches against real bare repositories (no network, no mocks)."""

from __future__ import annotations

import http.server
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from onboard.core.models import RepoRef
from onboard.workspace.clone import CloneProgress, clone
from onboard.workspace.gitenv import GIT_ENV, GitMissing, WorkspaceError, load_git
from onboard.workspace.setup import clone_path_for, create_branch, inspect, set_remote

from .conftest import Upstream, git, make_upstream


@pytest.fixture
def cloned(upstream: Upstream, tmp_path: Path) -> Path:
    dest = tmp_path / "clones" / "project"
    clone(upstream.url, dest, partial=False)
    return dest


def config(path: Path, key: str) -> str | None:
    try:
        return git("config", "--get", key, cwd=path)
    except Exception:
        return None


def test_clone_path_for_uses_the_upstream_name(tmp_path: Path) -> None:
    assert clone_path_for(tmp_path, RepoRef("pallets", "flask")) == tmp_path / "pallets" / "flask"


def test_load_git_explains_a_missing_git(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    assert load_git().Repo is not None
    monkeypatch.setenv("PATH", str(tmp_path / "no-git-here"))
    with pytest.raises(GitMissing, match=r"git-scm\.com"):
        load_git()


def test_clone_reports_forward_only_progress(upstream: Upstream, tmp_path: Path) -> None:
    events: list[CloneProgress] = []
    dest = tmp_path / "clones" / "owner" / "project"
    clone(upstream.url, dest, progress=events.append, partial=False)

    assert git("rev-parse", "HEAD", cwd=dest) == upstream.head
    assert (dest / "file5.txt").read_text().startswith("line 5")
    fractions = [event.fraction for event in events]
    assert all(fraction is not None and 0.0 <= fraction <= 1.0 for fraction in fractions)
    assert fractions == sorted(fractions)  # never moves backwards
    assert "Receiving objects" in {event.phase for event in events}  # real progress from git
    assert len(events) > 3
    assert events[-1] == CloneProgress("Done", 1.0)


def test_partial_clone_progress_is_also_forward_only(upstream: Upstream, tmp_path: Path) -> None:
    events: list[CloneProgress] = []
    dest = tmp_path / "partial"
    clone(upstream.url, dest, progress=events.append, partial=True)
    fractions = [event.fraction for event in events]
    assert fractions == sorted(fractions)
    assert events[-1].fraction == 1.0
    assert (dest / "README.md").read_text() == "# project\n\nrevision 5\n"


def missing_objects(path: Path) -> int:
    """Objects the clone knows of but has not downloaded (lazily fetched in a partial clone)."""
    listing = git("rev-list", "--objects", "--all", "--missing=print", cwd=path)
    return sum(1 for line in listing.splitlines() if line.startswith("?"))


def test_partial_clone_makes_origin_a_promisor(upstream: Upstream, tmp_path: Path) -> None:
    dest = tmp_path / "partial"
    clone(upstream.url, dest, partial=True)
    assert config(dest, "remote.origin.promisor") == "true"
    assert config(dest, "remote.origin.partialclonefilter") == "blob:none"
    # git writes the promisor setting even when a server ignores the filter, so also check that
    # old blobs (earlier README.md revisions) really were left on the server.
    assert missing_objects(dest) >= 5


def test_full_clone_is_not_a_promisor(upstream: Upstream, tmp_path: Path) -> None:
    dest = tmp_path / "full"
    clone(upstream.url, dest, partial=False)
    assert config(dest, "remote.origin.promisor") is None
    assert missing_objects(dest) == 0


def test_partial_clone_from_a_server_without_filters_still_works(tmp_path: Path) -> None:
    plain = make_upstream(tmp_path / "served", "plain", allow_filter=False)
    dest = tmp_path / "clone"
    clone(plain.url, dest, partial=True)
    assert git("rev-parse", "HEAD", cwd=dest) == plain.head
    assert missing_objects(dest) == 0  # the server ignored the filter: a full clone


def test_clone_into_an_existing_empty_folder(upstream: Upstream, tmp_path: Path) -> None:
    dest = tmp_path / "empty"
    dest.mkdir()
    clone(upstream.url, dest, partial=False)
    assert inspect(dest).remotes == {"origin": upstream.url}


def test_cloning_again_is_a_no_op(upstream: Upstream, cloned: Path) -> None:
    (cloned / "my-notes.txt").write_text("keep me")
    git("checkout", "-q", "-b", "wip", cwd=cloned)
    events: list[CloneProgress] = []

    clone(upstream.url, cloned, progress=events.append)
    clone(upstream.url + "/", cloned)
    clone(upstream.url.removesuffix(".git"), cloned)

    assert events == []  # git was not run again
    assert (cloned / "my-notes.txt").read_text() == "keep me"
    assert inspect(cloned).branch == "wip"


def test_cloning_another_url_into_a_clone_names_both(
    upstream: Upstream, cloned: Path, tmp_path: Path
) -> None:
    other = make_upstream(tmp_path / "elsewhere", "other")
    with pytest.raises(WorkspaceError) as caught:
        clone(other.url, cloned)
    message = str(caught.value)
    assert upstream.url in message
    assert other.url in message
    assert str(cloned) in message
    assert inspect(cloned).remotes == {"origin": upstream.url}


def test_non_empty_folder_that_is_not_a_clone(upstream: Upstream, tmp_path: Path) -> None:
    dest = tmp_path / "taken"
    dest.mkdir()
    (dest / "homework.txt").write_text("precious")
    with pytest.raises(WorkspaceError, match="not a git clone") as caught:
        clone(upstream.url, dest)
    assert str(dest) in str(caught.value)
    assert sorted(p.name for p in dest.iterdir()) == ["homework.txt"]


def test_destination_that_is_a_file(upstream: Upstream, tmp_path: Path) -> None:
    dest = tmp_path / "a-file"
    dest.write_text("precious")
    with pytest.raises(WorkspaceError) as caught:
        clone(upstream.url, dest)
    assert str(dest) in str(caught.value)
    assert dest.read_text() == "precious"


def test_ext_urls_are_refused_and_never_run(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    url = f"ext::sh -c touch% {marker}"
    with pytest.raises(WorkspaceError, match="Refusing to clone"):
        clone(url, tmp_path / "dest")
    assert not marker.exists()
    assert not (tmp_path / "dest").exists()


def test_option_urls_are_refused_and_never_run(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    url = f"--upload-pack=touch {marker}"
    with pytest.raises(WorkspaceError) as caught:
        clone(url, tmp_path / "dest", partial=False)
    assert not marker.exists()
    assert not (tmp_path / "dest").exists()
    # git's own reason is passed on, not an empty string.
    assert "does not exist" in str(caught.value)


@pytest.mark.parametrize("with_progress", [False, True], ids=["quiet", "with-progress"])
def test_missing_remote_reports_gits_reason(tmp_path: Path, with_progress: bool) -> None:
    missing = (tmp_path / "no-such-repo.git").as_uri()
    events: list[CloneProgress] = []
    with pytest.raises(WorkspaceError) as caught:
        clone(missing, tmp_path / "dest", progress=events.append if with_progress else None)
    message = str(caught.value)
    assert missing in message
    assert "does not appear to be a git repository" in message
    assert "\n" not in message
    assert not (tmp_path / "dest").exists()


def test_closed_port_fails_fast(tmp_path: Path) -> None:
    url = "http://127.0.0.1:1/x.git"
    started = time.monotonic()
    with pytest.raises(WorkspaceError) as caught:
        clone(url, tmp_path / "dest", partial=False)
    assert time.monotonic() - started < 10
    assert url in str(caught.value)
    assert "unable to access" in str(caught.value)


class _AuthRequired(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(401)
        self.send_header("WWW-Authenticate", 'Basic realm="private"')
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def auth_server() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _AuthRequired)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/private/repo.git"
    finally:
        server.shutdown()
        server.server_close()


def test_a_password_prompt_is_never_shown(auth_server: str, tmp_path: Path) -> None:
    assert GIT_ENV["GIT_TERMINAL_PROMPT"] == "0"
    started = time.monotonic()
    with pytest.raises(WorkspaceError) as caught:
        clone(auth_server, tmp_path / "dest", partial=False)
    assert time.monotonic() - started < 10
    assert "terminal prompts disabled" in str(caught.value)


def test_set_remote_adds_and_corrects(cloned: Path, upstream: Upstream, tmp_path: Path) -> None:
    other = make_upstream(tmp_path / "elsewhere", "other")
    set_remote(cloned, "upstream", other.url)
    assert inspect(cloned).remotes == {"origin": upstream.url, "upstream": other.url}

    set_remote(cloned, "upstream", upstream.url)
    assert inspect(cloned).remotes["upstream"] == upstream.url
    assert config(cloned, "remote.upstream.url") == upstream.url

    set_remote(cloned, "origin", other.url)
    assert inspect(cloned).remotes == {"origin": other.url, "upstream": upstream.url}


def test_set_remote_keeps_an_equivalent_url(cloned: Path, upstream: Upstream) -> None:
    set_remote(cloned, "origin", upstream.url.removesuffix(".git") + "/")
    assert inspect(cloned).remotes["origin"] == upstream.url
    # It really is usable afterwards.
    git("fetch", "-q", "origin", cwd=cloned)


def test_set_remote_errors(cloned: Path, tmp_path: Path) -> None:
    with pytest.raises(WorkspaceError, match="not a valid remote name"):
        set_remote(cloned, "bad name", "file:///x")
    with pytest.raises(WorkspaceError, match="not a git clone"):
        set_remote(tmp_path / "nowhere", "upstream", "file:///x")


def test_create_branch_creates_switches_and_is_idempotent(cloned: Path) -> None:
    create_branch(cloned, "first-contribution")
    status = inspect(cloned)
    assert status.branch == "first-contribution"
    assert set(status.branches) == {"main", "first-contribution"}

    (cloned / "README.md").write_text("my change\n")
    git("commit", "-q", "-am", "my change", cwd=cloned)
    work = git("rev-parse", "HEAD", cwd=cloned)

    create_branch(cloned, "first-contribution")
    assert inspect(cloned).branch == "first-contribution"
    assert git("rev-parse", "HEAD", cwd=cloned) == work  # the work is not reset

    git("checkout", "-q", "main", cwd=cloned)
    create_branch(cloned, "first-contribution")
    assert inspect(cloned).branch == "first-contribution"
    assert git("rev-parse", "HEAD", cwd=cloned) == work
    assert (cloned / "README.md").read_text() == "my change\n"


@pytest.mark.parametrize("name", ["bad..name", "has space", "-dash"])
def test_invalid_branch_names_give_a_workspace_error(cloned: Path, name: str) -> None:
    with pytest.raises(WorkspaceError):
        create_branch(cloned, name)
    assert inspect(cloned).branches == ("main",)
    assert inspect(cloned).branch == "main"


def test_switch_blocked_by_local_changes_says_why(cloned: Path) -> None:
    create_branch(cloned, "topic")
    (cloned / "README.md").write_text("topic version\n")
    git("commit", "-q", "-am", "topic", cwd=cloned)
    git("checkout", "-q", "main", cwd=cloned)
    (cloned / "README.md").write_text("unsaved local edit\n")

    with pytest.raises(WorkspaceError) as caught:
        create_branch(cloned, "topic")
    assert "would be overwritten" in str(caught.value)
    assert (cloned / "README.md").read_text() == "unsaved local edit\n"
    assert inspect(cloned).branch == "main"


def test_create_branch_outside_a_clone(tmp_path: Path) -> None:
    with pytest.raises(WorkspaceError, match="not a git clone"):
        create_branch(tmp_path, "x")


def test_inspect(cloned: Path, upstream: Upstream, tmp_path: Path) -> None:
    status = inspect(cloned)
    assert status.exists
    assert status.remotes == {"origin": upstream.url}
    assert status.branch == "main"
    assert status.branches == ("main",)

    git("checkout", "-q", "--detach", "HEAD~1", cwd=cloned)
    assert inspect(cloned).branch is None

    missing = inspect(tmp_path / "missing")
    assert (missing.exists, missing.remotes, missing.branch, missing.branches) == (
        False,
        {},
        None,
        (),
    )
