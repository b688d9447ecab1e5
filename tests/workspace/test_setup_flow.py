"""The whole set-up flow against the practice forge: verification, reuse of an existing clone,
cancel and resume, and keeping the fork in sync. Real HTTP, real git over git://."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from onboard.core.journey import Journey
from onboard.core.storage.state import StateStore
from onboard.flows.setup import ReusableClone, SetupEvent, SetupFlow, Verified
from onboard.forge.base import ForgeConfig
from onboard.forge.github import GitHubForge
from onboard.practice import PracticeForge
from onboard.workspace.clone import CloneCancelled, CloneProgress, FolderInUse, staging_path
from onboard.workspace.gitenv import WorkspaceError
from onboard.workspace.setup import inspect, push_branch
from onboard.workspace.sync import sync_with_upstream
from onboard.workspace.verify import verify_setup

from .conftest import git

PROJECT = "practice/tiny-calc"


@pytest.fixture
def forge(forge_config: ForgeConfig) -> GitHubForge:
    return GitHubForge(forge_config)


def new_journey() -> Journey:
    journey = Journey()
    journey.choose(PROJECT)
    return journey


def run(
    forge: GitHubForge, store: StateStore, workspace: Path, journey: Journey, **options: object
) -> list[SetupEvent]:
    events: list[SetupEvent] = []
    SetupFlow(forge, store, workspace).run(journey, events.append, **options)  # type: ignore[arg-type]
    return events


def test_setup_ends_with_every_check_passing(
    forge: GitHubForge, state_store: StateStore, tmp_path: Path
) -> None:
    journey = new_journey()
    events = run(forge, state_store, tmp_path / "ws", journey)

    verified = [event for event in events if isinstance(event, Verified)]
    assert len(verified) == 1 and verified[0].ok
    titles = [check.title for check in verified[0].checks]
    assert titles == [
        "'origin' is your fork",
        "'upstream' is the original project",
        "main follows upstream/main",
        "You can push to your fork",
    ]
    clone = Path(journey.clone_path or "")
    assert git("config", "branch.main.remote", cwd=clone) == "upstream"
    # A dry run changed nothing on the fork.
    assert "first-contribution" not in git("ls-remote", "--heads", "origin", cwd=clone)


def test_verification_catches_origin_pointing_at_the_original(
    forge: GitHubForge, practice_forge: PracticeForge, state_store: StateStore, tmp_path: Path
) -> None:
    journey = new_journey()
    run(forge, state_store, tmp_path / "ws", journey)
    clone = Path(journey.clone_path or "")
    fork_url, upstream_url = inspect(clone).remotes["origin"], inspect(clone).remotes["upstream"]
    git("remote", "set-url", "origin", upstream_url, cwd=clone)

    checks = verify_setup(
        clone,
        fork_url=fork_url,
        upstream_url=upstream_url,
        default_branch="main",
        branch="first-contribution",
    )
    by_title = {check.title: check for check in checks}
    origin = by_title["'origin' is your fork"]
    assert not origin.ok
    assert origin.fix == f"git remote set-url origin {fork_url}"
    push = by_title["You can push to your fork"]
    assert not push.ok  # the classic 403, found before any work is lost
    assert "access denied" in push.detail or "not enabled" in push.detail
    assert push.fix and "gh auth setup-git" in push.fix


def test_an_existing_clone_of_the_project_is_offered_then_reused(
    forge: GitHubForge, practice_forge: PracticeForge, state_store: StateStore, tmp_path: Path
) -> None:
    workspace = tmp_path / "ws"
    path = workspace / "practice" / "tiny-calc"
    # The learner cloned the original project by hand last week and left notes in it.
    git("clone", "-q", f"{practice_forge.git_url.rstrip('/')}/{PROJECT}.git", str(path))
    (path / "my-notes.txt").write_text("keep me")
    journey = new_journey()

    with pytest.raises(ReusableClone) as offered:
        run(forge, state_store, workspace, journey)
    assert offered.value.path == path
    assert "my-notes" not in str(offered.value)
    assert "files there are kept" in str(offered.value)

    events = run(forge, state_store, workspace, journey, reuse_existing=True)

    assert not any(isinstance(event, CloneProgress) for event in events)  # nothing re-cloned
    assert (path / "my-notes.txt").read_text() == "keep me"
    remotes = inspect(path).remotes
    assert remotes["origin"].endswith("/learner/tiny-calc.git")
    assert remotes["upstream"].endswith(f"/{PROJECT}.git")
    assert next(e for e in events if isinstance(e, Verified)).ok


def test_an_unrelated_clone_is_refused_not_reused(
    forge: GitHubForge, practice_forge: PracticeForge, state_store: StateStore, tmp_path: Path
) -> None:
    workspace = tmp_path / "ws"
    path = workspace / "practice" / "tiny-calc"
    git("clone", "-q", f"{practice_forge.git_url.rstrip('/')}/practice/kind-words.git", str(path))
    with pytest.raises(FolderInUse) as refused:
        run(forge, state_store, workspace, new_journey(), reuse_existing=True)
    assert not isinstance(refused.value, ReusableClone)
    assert "kind-words" in str(refused.value)
    assert inspect(path).remotes["origin"].endswith("/practice/kind-words.git")


def test_a_cancelled_clone_resumes_cleanly(
    forge: GitHubForge, state_store: StateStore, forge_config: ForgeConfig, tmp_path: Path
) -> None:
    workspace = tmp_path / "ws"
    journey = new_journey()
    cancel = threading.Event()
    cancel.set()  # pressed before git even connected
    with pytest.raises(CloneCancelled):
        run(forge, state_store, workspace, journey, cancel=cancel)
    path = workspace / "practice" / "tiny-calc"
    assert not path.exists() and not staging_path(path).exists()
    saved = state_store.journey(forge_config.key)
    assert saved.fork == "learner/tiny-calc" and saved.clone_path is None

    events = run(forge, state_store, workspace, saved)
    assert next(e for e in events if isinstance(e, Verified)).ok
    assert state_store.journey(forge_config.key).branch == "first-contribution"


def test_sync_brings_upstream_commits_to_local_main_and_the_fork(
    forge: GitHubForge, practice_forge: PracticeForge, state_store: StateStore, tmp_path: Path
) -> None:
    journey = new_journey()
    run(forge, state_store, tmp_path / "ws", journey)
    clone = Path(journey.clone_path or "")
    assert sync_with_upstream(clone, "main").new_commits == 0

    # A maintainer lands two commits upstream.
    upstream_bare = practice_forge.git_root / f"{PROJECT}.git"
    maintainer = tmp_path / "maintainer"
    git("clone", "-q", str(upstream_bare), str(maintainer))
    for n in (1, 2):
        (maintainer / f"news{n}.txt").write_text(f"news {n}\n")
        git("add", ".", cwd=maintainer)
        git("commit", "-q", "-m", f"news {n}", cwd=maintainer)
    # Fetched into the bare repository: pushing would meet its read-only hook, like on GitHub.
    git("fetch", "-q", str(maintainer), "main:main", cwd=upstream_bare)

    result = sync_with_upstream(clone, "main")

    assert result.new_commits == 2 and result.pushed
    assert result.summary == "2 new commits from upstream on main and on your fork."
    new_head = git("rev-parse", "HEAD", cwd=maintainer)
    assert git("rev-parse", "main", cwd=clone) == new_head
    assert git("ls-remote", "origin", "refs/heads/main", cwd=clone).split()[0] == new_head
    assert inspect(clone).branch == "first-contribution"  # the work branch was left alone


def test_pushing_to_the_original_project_is_explained(
    forge: GitHubForge, state_store: StateStore, tmp_path: Path
) -> None:
    journey = new_journey()
    run(forge, state_store, tmp_path / "ws", journey)
    with pytest.raises(WorkspaceError) as refused:
        push_branch(Path(journey.clone_path or ""), "first-contribution", remote="upstream")
    message = str(refused.value)
    assert "you are not allowed to push to 'upstream'" in message
    assert "Push to your own fork" in message
