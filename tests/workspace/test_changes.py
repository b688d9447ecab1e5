"""Status, diff, convention reading and guided commits on real git repositories."""

from __future__ import annotations

from pathlib import Path

import pytest

from onboard.core.change.message import final_message
from onboard.workspace.changes import branch_facts, clone_diff, clone_status, read_snapshot
from onboard.workspace.committing import (
    commit_files,
    commit_identity,
    identity_problem,
    set_local_identity,
)
from onboard.workspace.gitenv import WorkspaceError
from tests.workspace.conftest import git

ME = ("Test Author", "author@example.invalid")


@pytest.fixture
def clone(tmp_path: Path) -> Path:
    path = tmp_path / "clone"
    git("init", "-q", "-b", "main", str(path))
    (path / "README.md").write_text("# Project\n\nHello wrold\n")
    (path / "CONTRIBUTING.md").write_text("Please sign off your commits (DCO).\n")
    (path / "changelog.d").mkdir()
    (path / "changelog.d" / "3.bugfix.md").write_text("Fixed.\n")
    (path / "old.txt").write_text("old\n")
    git("add", "-A", cwd=path)
    git("commit", "-q", "-m", "fix: first", cwd=path)
    git("commit", "-q", "--allow-empty", "-m", "docs: second", cwd=path)
    git("commit", "-q", "--allow-empty", "-m", "feat(x): third", cwd=path)
    git("branch", "base", cwd=path)
    git("switch", "-q", "-c", "issue-7", cwd=path)
    return path


def test_status_and_diff_show_changed_deleted_and_new_files(clone: Path) -> None:
    (clone / "README.md").write_text("# Project\n\nHello world\n")
    (clone / "old.txt").unlink()
    (clone / "docs").mkdir()
    (clone / "docs" / "new page.md").write_text("A new page\n")
    git("add", "README.md", cwd=clone)  # staged and unstaged changes both count
    entries = {entry.path: entry for entry in clone_status(clone)}
    assert set(entries) == {"README.md", "old.txt", "docs/new page.md"}
    assert entries["docs/new page.md"].untracked and entries["old.txt"].deleted
    diff = clone_diff(clone)
    assert "-Hello wrold\n+Hello world" in diff
    assert "deleted file mode" in diff
    assert "+A new page" in diff and "new file mode" in diff


def test_conventions_are_read_from_the_clone(clone: Path) -> None:
    snapshot = read_snapshot(clone)
    assert "CONTRIBUTING.md" in snapshot.texts and "changelog.d/3.bugfix.md" in snapshot.paths
    assert "README.md" in snapshot.texts  # read for a CLA mention
    assert list(snapshot.subjects) == ["feat(x): third", "docs: second", "fix: first"]


def test_a_signed_off_commit_of_the_chosen_files_matches_the_preview(clone: Path) -> None:
    (clone / "README.md").write_text("# Project\n\nHello world\n")
    (clone / "changelog.d" / "7.bugfix.md").write_text("Typo.\n")
    (clone / "scratch.txt").write_text("not for the commit\n")
    (clone / "old.txt").unlink()
    message = "docs: fix a typo\n\n#7 is the issue   \n\n\nFixes #7\n"
    files = ["README.md", "changelog.d/7.bugfix.md", "old.txt"]
    commit_files(clone, files, message, sign_off=True)
    stored = git("log", "-1", "--format=%B", cwd=clone) + "\n"
    assert stored == final_message(message, sign_off=ME)
    assert stored.endswith("Fixes #7\n\nSigned-off-by: Test Author <author@example.invalid>\n")
    assert [e.path for e in clone_status(clone)] == ["scratch.txt"]  # left out, as chosen
    facts = branch_facts(clone, "base", identity=True)
    assert len(facts.messages) == 1 and facts.messages[0] == stored
    assert set(facts.changed) == set(files) and facts.uncommitted == ("scratch.txt",)


@pytest.mark.parametrize(
    "message",
    ["Subject only", "S\n\nAcked-by: A <a@b.org>", "S\n\nBody\nAcked-by: A <a@b.org>"],
)
def test_the_sign_off_rule_is_gits_own(clone: Path, message: str) -> None:
    (clone / "README.md").write_text(message)
    commit_files(clone, ["README.md"], message, sign_off=True)
    assert git("log", "-1", "--format=%B", cwd=clone) + "\n" == final_message(message, sign_off=ME)


def test_no_identity_is_asked_for_then_set_in_the_clone_only(
    clone: Path, monkeypatch: pytest.MonkeyPatch, git_env: Path
) -> None:
    for name in ("AUTHOR", "COMMITTER"):
        monkeypatch.delenv(f"GIT_{name}_NAME")
        monkeypatch.delenv(f"GIT_{name}_EMAIL")
    assert commit_identity(clone) is None
    (clone / "README.md").write_text("changed\n")
    with pytest.raises(WorkspaceError, match="could not make the commit"):
        commit_files(clone, ["README.md"], "Change", sign_off=False)
    assert identity_problem("Kim", "not an email")
    with pytest.raises(WorkspaceError):
        set_local_identity(clone, "Kim <x>", "kim@example.org")
    set_local_identity(clone, "Kim Doe", "kim@example.org")
    assert commit_identity(clone) is not None
    assert git("config", "--local", "user.email", cwd=clone) == "kim@example.org"
    assert (git_env / "empty-gitconfig").read_text() == ""  # the global config is untouched
    commit_files(clone, ["README.md"], "Change", sign_off=False)
    assert git("log", "-1", "--format=%an <%ae>", cwd=clone) == "Kim Doe <kim@example.org>"


def test_odd_file_names_are_committed_as_they_are(clone: Path) -> None:
    (clone / ":(glob)*").write_text("a file with a pathspec-looking name\n")
    (clone / "README.md").write_text("changed, and not chosen\n")
    commit_files(clone, [":(glob)*"], "Add an odd file", sign_off=False)
    assert git("show", "--name-only", "--format=", "HEAD", cwd=clone) == ":(glob)*"
    assert [e.path for e in clone_status(clone)] == ["README.md"]


def test_nothing_chosen_or_no_message_is_refused(clone: Path) -> None:
    with pytest.raises(WorkspaceError, match="at least one"):
        commit_files(clone, [], "x", sign_off=False)
    with pytest.raises(WorkspaceError, match="empty"):
        commit_files(clone, ["README.md"], "  \n", sign_off=False)
