"""StateStore: progress survives crashes, damaged files and two copies of onboard at once."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from onboard.core.journey import Journey, Step
from onboard.core.storage.fsutil import atomic_write_bytes, atomic_write_text
from onboard.core.storage.state import STATE_VERSION, StateError, StateStore

REPO_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def state_file(tmp_path: Path) -> Path:
    return tmp_path / "data" / "onboard" / "state.json"


@pytest.fixture
def store(state_file: Path) -> StateStore:
    return StateStore(state_file)


def damaged_backups(state_file: Path) -> list[Path]:
    return sorted(state_file.parent.glob(f"{state_file.name}.damaged-*"))


def temp_files(directory: Path) -> list[Path]:
    return sorted(directory.glob("*.tmp"))


def test_missing_file_reads_as_empty(store: StateStore, state_file: Path) -> None:
    assert store.read() == {"version": STATE_VERSION, "journeys": {}}
    assert store.journey("github") == Journey()
    assert not state_file.exists()


def test_journey_round_trip_keyed_by_forge(store: StateStore, state_file: Path) -> None:
    github = Journey(project="pallets/flask", fork="me/flask", clone_path="/w/pallets/flask")
    practice = Journey(project="practice/tiny-calc")
    store.save_journey("github", github)
    store.save_journey("practice", practice)

    fresh = StateStore(state_file)
    assert fresh.journey("github") == github
    assert fresh.journey("practice") == practice
    assert fresh.journey("github").current_step is Step.UPSTREAM
    assert fresh.journey("gitlab") == Journey()
    assert github.updated_at is not None

    data = json.loads(state_file.read_text(encoding="utf-8"))
    assert data["version"] == STATE_VERSION
    assert set(data["journeys"]) == {"github", "practice"}
    assert data["journeys"]["github"]["project"] == "pallets/flask"


def test_update_returns_and_persists_the_new_state(store: StateStore, state_file: Path) -> None:
    result = store.update(lambda data: data.setdefault("items", []).append(1))
    assert result["items"] == [1]
    store.update(lambda data: data["items"].append(2))
    assert json.loads(state_file.read_text())["items"] == [1, 2]


@pytest.mark.parametrize(
    "content",
    [
        b'{"version": 1, "journeys": {',
        b"\xff\xfe not utf-8 \x80",
        b"[1, 2, 3]",
        b'"just a string"',
        b'{"version": 1, "journeys": []}',
        b"[" * 100_000,
        b"",
    ],
    ids=[
        "truncated-json",
        "invalid-utf8",
        "json-list",
        "json-string",
        "journeys-list",
        "deep",
        "empty",
    ],
)
def test_damaged_file_is_moved_aside(store: StateStore, state_file: Path, content: bytes) -> None:
    state_file.parent.mkdir(parents=True)
    state_file.write_bytes(content)

    assert store.journey("github") == Journey()

    backups = damaged_backups(state_file)
    assert len(backups) == 1
    assert store.recovered_backup == backups[0]
    assert backups[0].read_bytes() == content
    assert not state_file.exists()

    # Saving afterwards works and does not touch the backup.
    store.save_journey("github", Journey(project="a/b"))
    assert StateStore(state_file).journey("github").project == "a/b"
    assert backups[0].read_bytes() == content


def test_healthy_file_sets_no_backup(store: StateStore) -> None:
    store.save_journey("github", Journey(project="a/b"))
    fresh = StateStore(store.path)
    fresh.read()
    assert fresh.recovered_backup is None
    assert damaged_backups(store.path) == []


@pytest.mark.parametrize("version", [STATE_VERSION + 1, 99])
def test_future_version_is_refused_and_left_untouched(
    store: StateStore, state_file: Path, version: int
) -> None:
    state_file.parent.mkdir(parents=True)
    content = json.dumps({"version": version, "journeys": {"github": {"project": "x/y"}}}).encode()
    state_file.write_bytes(content)

    with pytest.raises(StateError, match=r"newer onboard") as caught:
        store.journey("github")
    assert str(state_file) in str(caught.value)
    with pytest.raises(StateError):
        store.save_journey("github", Journey(project="a/b"))

    assert state_file.read_bytes() == content
    assert damaged_backups(state_file) == []
    assert store.recovered_backup is None


@pytest.mark.parametrize(
    "content",
    [b"{}", b'{"journeys": {}}', b'{"version": "1", "journeys": {}}'],
    ids=["empty-object", "no-version", "string-version"],
)
def test_file_without_a_usable_version_is_damaged_not_newer(
    store: StateStore, state_file: Path, content: bytes
) -> None:
    # Only a real, larger version number means "written by a newer onboard"; anything else
    # is a damaged file and must be moved aside, not block onboard with an upgrade message.
    state_file.parent.mkdir(parents=True)
    state_file.write_bytes(content)
    assert store.journey("github") == Journey()
    assert store.recovered_backup is not None
    assert store.recovered_backup.read_bytes() == content


def test_a_journey_that_is_not_a_table_does_not_crash(store: StateStore, state_file: Path) -> None:
    state_file.parent.mkdir(parents=True)
    state_file.write_text('{"version": 1, "journeys": {"github": [1, 2]}}')
    try:
        journey = store.journey("github")
    except StateError:
        return
    assert journey == Journey()


def test_failed_mutation_leaves_file_unchanged_and_lock_free(
    store: StateStore, state_file: Path
) -> None:
    store.save_journey("github", Journey(project="a/b"))
    before = state_file.read_bytes()

    def unserialisable(data: dict[str, object]) -> None:
        data["journeys"]["github"] = {"project": {1, 2}}  # a set is not JSON

    with pytest.raises(TypeError):
        store.update(unserialisable)

    def failing(data: dict[str, object]) -> None:
        data["journeys"] = {}
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        store.update(failing)

    assert state_file.read_bytes() == before
    assert temp_files(state_file.parent) == []
    # The lock was released: another store can still save.
    StateStore(state_file).save_journey("github", Journey(project="c/d"))
    assert store.journey("github").project == "c/d"


def test_atomic_write_failing_half_way_keeps_old_content(tmp_path: Path) -> None:
    target = tmp_path / "atomic" / "file.json"
    atomic_write_text(target, "old content\n")

    with pytest.raises(TypeError):
        atomic_write_bytes(target, object())  # type: ignore[arg-type]

    assert target.read_text() == "old content\n"
    assert sorted(p.name for p in target.parent.iterdir()) == ["file.json"]


def test_atomic_write_sets_mode_and_creates_parents(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b" / "file"
    atomic_write_bytes(target, b"x", mode=0o600)
    assert target.read_bytes() == b"x"
    assert target.stat().st_mode & 0o777 == 0o600


_KILLED_WRITER = textwrap.dedent(
    """
    import os, sys
    from pathlib import Path
    sys.path.insert(0, sys.argv[1])
    from onboard.core.storage.state import StateStore
    from onboard.core.journey import Journey

    def die(fd):
        os._exit(9)  # the process dies after writing the temp file, before the rename

    os.fsync = die
    StateStore(Path(sys.argv[2])).save_journey("github", Journey(project="new/project"))
    """
)


def test_process_killed_during_save_leaves_previous_state_readable(
    store: StateStore, state_file: Path
) -> None:
    store.save_journey("github", Journey(project="old/project"))
    before = state_file.read_bytes()

    result = subprocess.run(
        [sys.executable, "-c", _KILLED_WRITER, str(REPO_ROOT), str(state_file)],
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 9, result.stderr.decode()

    assert state_file.read_bytes() == before
    # The half-finished write really happened, in a temp file beside the state.
    leftovers = temp_files(state_file.parent)
    assert len(leftovers) == 1
    assert b"new/project" in leftovers[0].read_bytes()
    fresh = StateStore(state_file)
    assert fresh.journey("github").project == "old/project"
    assert fresh.recovered_backup is None


_APPENDER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    sys.path.insert(0, sys.argv[1])
    from onboard.core.storage.state import StateStore

    store = StateStore(Path(sys.argv[2]))
    tag = sys.argv[3]
    ready, go = Path(sys.argv[5] + "." + tag), Path(sys.argv[5])
    ready.touch()
    while not go.exists():  # start together, so the updates really overlap
        pass
    for index in range(int(sys.argv[4])):
        store.update(lambda data: data.setdefault("items", []).append(f"{tag}-{index}"))
    """
)


def test_two_processes_never_lose_each_others_updates(state_file: Path, tmp_path: Path) -> None:
    count = 300
    go = tmp_path / "go"
    workers = [
        subprocess.Popen(
            [
                sys.executable,
                "-c",
                _APPENDER,
                str(REPO_ROOT),
                str(state_file),
                tag,
                str(count),
                str(go),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for tag in ("a", "b")
    ]
    deadline = time.monotonic() + 60
    while not all(Path(f"{go}.{tag}").exists() for tag in ("a", "b")):
        assert time.monotonic() < deadline, "workers did not start"
        assert all(worker.poll() is None for worker in workers), "a worker died at start"
        time.sleep(0.01)
    go.touch()
    for worker in workers:
        _, err = worker.communicate(timeout=120)
        assert worker.returncode == 0, err.decode()

    items = StateStore(state_file).read()["items"]
    assert len(items) == 2 * count
    assert sorted(items) == sorted(f"{tag}-{i}" for tag in ("a", "b") for i in range(count))
    # Each process's own updates stay in order.
    for tag in ("a", "b"):
        assert [item for item in items if item.startswith(tag)] == [
            f"{tag}-{i}" for i in range(count)
        ]
    assert temp_files(state_file.parent) == []


def test_unwritable_data_dir_gives_a_clear_state_error(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        # root ignores permissions: make the data dir impossible by putting it under a file.
        blocker = tmp_path / "not-a-folder"
        blocker.write_text("x")
        data_dir = blocker / "onboard"
    else:
        parent = tmp_path / "readonly"
        parent.mkdir()
        parent.chmod(0o500)
        data_dir = parent / "onboard"
    store = StateStore(data_dir / "state.json")
    try:
        with pytest.raises(StateError) as caught:
            store.save_journey("github", Journey(project="a/b"))
        message = str(caught.value)
        assert str(data_dir) in message
        assert "XDG_DATA_HOME" in message
        with pytest.raises(StateError):
            store.read()
    finally:
        if os.geteuid() != 0:
            (tmp_path / "readonly").chmod(0o700)


def test_unreadable_state_path_gives_a_state_error(store: StateStore, state_file: Path) -> None:
    # A folder where the file should be cannot be read (even by root).
    state_file.mkdir(parents=True)
    with pytest.raises(StateError, match="Cannot read"):
        store.read()
