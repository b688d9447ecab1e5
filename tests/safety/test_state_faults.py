"""Progress survives being killed mid-write, and every unusable progress file is reported, in
the app and in the terminal, without crashing and without destroying what is there."""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from textual.widgets import Static

from onboard.core.journey import Journey
from onboard.core.models import Preferences
from onboard.core.storage.state import StateError, StateStore
from onboard.forge.base import ForgeConfig
from onboard.practice import PracticeForge
from onboard.ui.screens.setup import SetupScreen
from tests.ui.helpers import SIZE, confirm_fork, make_app, settle

REPO_ROOT = Path(__file__).resolve().parents[2]
PADDING = "x" * 400_000  # a big state, so a kill often lands while it is being written

# -- killed half way -------------------------------------------------------------------------

_WRITER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    sys.path.insert(0, sys.argv[1])
    from onboard.core.storage.state import StateStore

    store = StateStore(Path(sys.argv[2]))
    padding = "x" * int(sys.argv[3])

    def step(data):
        count = data.get("count", 0) + 1
        data["count"] = count
        data["items"] = list(range(count))
        data["padding"] = padding
        data["last"] = count  # written after everything else: a torn file loses it first

    store.update(step)  # one whole update before "ready": a busy machine may kill before any
    print("ready", flush=True)
    while True:
        store.update(step)
    """
)

_TORN_WRITER = textwrap.dedent(
    """
    import json, sys
    from pathlib import Path

    path = Path(sys.argv[2])
    padding = "x" * int(sys.argv[3])
    try:
        count = json.loads(path.read_text())["count"]
    except ValueError:  # torn by the previous kill
        count = 0
    print("ready", flush=True)
    while True:  # what StateStore must never do: rewrite the file in place
        count += 1
        data = {"version": 1, "journeys": {}, "count": count, "items": list(range(count)),
                "padding": padding, "last": count}
        with open(path, "w") as handle:
            for chunk in json.dumps(data, indent=2):
                handle.write(chunk)
    """
)


def _complete(data: dict[str, object]) -> bool:
    count = data.get("count")
    return (
        isinstance(count, int)
        and data.get("items") == list(range(count))
        and data.get("padding") == PADDING
        and data.get("last") == count
    )


def _kill_repeatedly(script: str, state_file: Path, rounds: int) -> list[str]:
    """Start ``script``, SIGKILL it at a random moment, check the file; returns the problems."""
    rng = random.Random(7)
    problems: list[str] = []
    previous = 0
    for round_number in range(rounds):
        writer = subprocess.Popen(
            [sys.executable, "-c", script, str(REPO_ROOT), str(state_file), str(len(PADDING))],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        assert writer.stdout is not None
        assert writer.stdout.readline() == b"ready\n", writer.stderr.read()  # type: ignore[union-attr]
        time.sleep(rng.uniform(0.005, 0.08))
        writer.send_signal(signal.SIGKILL)
        writer.wait(timeout=30)
        assert writer.returncode == -signal.SIGKILL
        try:
            raw = json.loads(state_file.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            problems.append(f"round {round_number}: unreadable ({type(error).__name__})")
            continue
        if not _complete(raw):
            problems.append(f"round {round_number}: incomplete state")
            continue
        if raw["count"] < previous:
            problems.append(f"round {round_number}: went back from {previous} to {raw['count']}")
        previous = raw["count"]
    return problems


def test_sigkill_at_random_moments_always_leaves_a_complete_earlier_state(
    tmp_path: Path,
) -> None:
    state_file = tmp_path / "onboard" / "state.json"
    store = StateStore(state_file)
    store.update(lambda data: data.update(count=0, items=[], padding=PADDING, last=0))

    problems = _kill_repeatedly(_WRITER, state_file, rounds=30)

    assert problems == []
    fresh = StateStore(state_file)
    data = fresh.read()
    assert fresh.recovered_backup is None
    assert _complete(data)
    assert data["count"] > 0, "the writer never got a single update done"
    # Kills that landed mid-write leave their temp file behind, never a torn state.json
    # (about 16 of 40 kills do, measured): so the kills really did interrupt writes.
    assert list(state_file.parent.glob(".state.json.*.tmp")), "no kill landed mid-write"
    assert not list(state_file.parent.glob("state.json.damaged-*"))


def test_the_kill_harness_does_catch_a_writer_that_is_not_atomic(tmp_path: Path) -> None:
    """The check above can fail: the same harness against an in-place writer sees torn files."""
    state_file = tmp_path / "state.json"
    state_file.write_text(
        json.dumps({"version": 1, "count": 0, "items": [], "padding": PADDING, "last": 0})
    )
    problems = _kill_repeatedly(_TORN_WRITER, state_file, rounds=15)
    assert problems, "in-place writes were never caught half way; the harness proves nothing"


# -- a state file from a newer onboard ---------------------------------------------------------


def _messages(app: object) -> list[str]:
    return [n.message for n in app._notifications]  # type: ignore[attr-defined]


def _static_text(widget: Static) -> str:
    return str(widget.render())


async def test_future_version_is_reported_and_never_overwritten(
    practice_forge: PracticeForge,
    forge_config: ForgeConfig,
    state_store: StateStore,
    tmp_path: Path,
) -> None:
    state_store.path.parent.mkdir(parents=True)
    future = json.dumps({"version": 99, "journeys": {"practice": {"project": "a/b"}}, "new": 1})
    state_store.path.write_text(future)
    before = state_store.path.read_bytes()

    app = make_app(forge_config, state_store, tmp_path / "workspace")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        messages = _messages(app)
        assert any(
            str(state_store.path) in m and "written by a newer onboard" in m for m in messages
        ), messages
        assert any("will not be saved" in m for m in messages)

        # It keeps working: choosing a project runs the whole set-up, which saves 5 times.
        await pilot.press("enter")
        await confirm_fork(pilot)
        assert isinstance(app.screen, SetupScreen)
        for step in ("fork", "clone", "upstream", "branch"):
            assert _static_text(app.screen.query_one(f"#step-{step}", Static)).startswith("✓")
        assert app.journey.fork == "learner/hello-docs"
        # Saying it once is enough; each failed save does not add another notification.
        assert sum("newer onboard" in m for m in _messages(app)) == 1

    assert state_store.path.read_bytes() == before
    assert not list(state_store.path.parent.glob("state.json.damaged-*"))
    assert app.save_problem is not None and "newer onboard" in app.save_problem


def test_the_core_reports_through_the_hook_instead_of_raising(state_store: StateStore) -> None:
    state_store.path.parent.mkdir(parents=True)
    state_store.path.write_text('{"version": 42, "journeys": {}}')
    reported: list[StateError] = []
    state_store.on_save_failed = reported.append
    state_store.save_journey("github", Journey(project="a/b"))
    state_store.save_preferences(Preferences(("Python",), ()))
    assert len(reported) == 2
    assert all("newer onboard" in str(error) for error in reported)
    assert state_store.path.read_text() == '{"version": 42, "journeys": {}}'
    state_store.on_save_failed = None
    with pytest.raises(StateError):
        state_store.save_journey("github", Journey(project="a/b"))


# -- a damaged state file ------------------------------------------------------------------------


async def test_damaged_file_is_backed_up_and_the_backup_named(
    practice_forge: PracticeForge,
    forge_config: ForgeConfig,
    state_store: StateStore,
    tmp_path: Path,
) -> None:
    state_store.path.parent.mkdir(parents=True)
    damaged = b'{"version": 1, "journeys": {"practice": {"proj'
    state_store.path.write_bytes(damaged)

    app = make_app(forge_config, state_store, tmp_path / "workspace")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        backups = list(state_store.path.parent.glob("state.json.damaged-*"))
        assert len(backups) == 1
        assert backups[0].read_bytes() == damaged
        assert any(str(backups[0]) in m and "damaged" in m for m in _messages(app)), _messages(app)
        await pilot.press("enter")  # and progress is saved again from here on
        await settle(pilot)

    assert StateStore(state_store.path).journey("practice").project == "practice/hello-docs"
    assert backups[0].read_bytes() == damaged


# -- a data folder that cannot be written ----------------------------------------------------------


def _unwritable_state(tmp_path: Path) -> tuple[StateStore, Path, str]:
    """A store whose folder cannot be written, and the reason the message should give.

    root ignores permission bits, so for root the folder is made impossible instead: its
    parent is a regular file.
    """
    if os.geteuid() == 0:
        blocker = tmp_path / "data-is-a-file"
        blocker.write_text("not a folder")
        folder = blocker / "onboard"
        return StateStore(folder / "state.json"), folder, "a file is in the way"
    folder = tmp_path / "data" / "onboard"
    folder.mkdir(parents=True)
    folder.chmod(0o500)
    return StateStore(folder / "state.json"), folder, "permission denied"


async def test_unwritable_data_dir_is_reported_once_and_the_app_keeps_working(
    practice_forge: PracticeForge, forge_config: ForgeConfig, tmp_path: Path
) -> None:
    store, folder, reason = _unwritable_state(tmp_path)
    try:
        app = make_app(forge_config, store, tmp_path / "workspace")
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            expected = f"Cannot save your progress in {folder}: {reason}"
            assert any(expected in m for m in _messages(app)), _messages(app)

            await pilot.press("enter")
            await confirm_fork(pilot)
            assert isinstance(app.screen, SetupScreen)
            for step in ("fork", "clone", "upstream", "branch"):
                assert _static_text(app.screen.query_one(f"#step-{step}", Static)).startswith("✓")
            assert sum(expected in m for m in _messages(app)) == 1
            assert app.save_problem is not None and expected in app.save_problem
    finally:
        if folder.exists():
            folder.chmod(0o700)


def _drop_file_permission_override() -> list[str] | None:
    """A command prefix that makes permission bits apply, or None if that cannot be had.

    A normal user needs nothing. root needs its DAC override capabilities dropped, which
    ``setpriv`` (util-linux) does for one child process.
    """
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        return None
    probe = subprocess.run(
        [setpriv, "--bounding-set=-dac_override,-dac_read_search,-fowner", "true"],
        capture_output=True,
        check=False,
    )
    if probe.returncode != 0:
        return None
    return [setpriv, "--inh-caps=-all", "--bounding-set=-dac_override,-dac_read_search,-fowner"]


def _run_onboard_in_read_only_data_dir(
    isolated_home: Path, *args: str
) -> tuple[subprocess.CompletedProcess[str], Path]:
    """Run the real command headless (it presses Ctrl+Q once ready) with a read-only data dir."""
    prefix = _drop_file_permission_override()
    if prefix is None:
        pytest.skip("running as root without a way to drop the permission override")
    folder = isolated_home / ".local" / "share" / "onboard"
    folder.mkdir(parents=True)
    folder.chmod(0o500)
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO_ROOT),
        "TEXTUAL_DRIVER": "textual.drivers.headless_driver:HeadlessDriver",
        "TEXTUAL_PRESS": "ctrl+q",
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
    }
    try:
        result = subprocess.run(
            [*prefix, sys.executable, "-m", "onboard", *args],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
            check=False,
        )
    finally:
        folder.chmod(0o700)
    return result, folder


def test_cli_says_progress_could_not_be_saved_permission_denied(
    tmp_path: Path, isolated_home: Path
) -> None:
    """The real command, a real read-only folder: the app runs, quits, and the terminal says why."""
    result, folder = _run_onboard_in_read_only_data_dir(
        isolated_home, "practice", "--data", str(tmp_path / "forge")
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert f"Cannot save your progress in {folder}: permission denied" in result.stderr
    assert not (folder / "state.json").exists()


def test_practice_forge_in_a_read_only_data_dir_is_a_message_not_a_traceback(
    isolated_home: Path,
) -> None:
    result, folder = _run_onboard_in_read_only_data_dir(isolated_home, "practice")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert (
        f"Cannot start the practice forge in {folder / 'practice-forge'}: permission denied"
        in result.stderr
    )
