"""Planning a project's setup (pack steps for this OS, else suggestions) and running it in
order with real processes, stopping at the first failure, never without consent."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from onboard.core.models import SetupStep
from onboard.core.setup.consent import record_consent
from onboard.core.storage.state import StateStore
from onboard.flows.project_setup import (
    TEST_DESCRIPTION,
    ConsentRequired,
    Output,
    ProjectSetupEvent,
    StepFinished,
    StepStarted,
    display_argv,
    planned_steps,
    run_setup,
    run_steps,
    run_tests,
)
from tests.flows.pack_fixtures import REPO, python_argv, write_pack

INSTALL = {"argv": ["npm", "ci"], "description": "Install the exact dependencies"}
UNIX_ONLY = {"argv": [".venv/bin/python", "-V"], "description": "Check", "os": ["linux", "macos"]}
WINDOWS_ONLY = {
    "argv": [".venv\\Scripts\\python.exe", "-V"],
    "description": "Check",
    "os": ["windows"],
}


def test_pack_steps_for_this_os_and_the_test_command(tmp_path: Path) -> None:
    pack = write_pack(
        tmp_path / "pack", [INSTALL, UNIX_ONLY, WINDOWS_ONLY], test_command=["npm", "test"]
    )
    clone = tmp_path / "clone"
    clone.mkdir()
    plan = planned_steps(pack.projects[0], pack, clone, "linux")
    assert [s.argv for s in plan.steps] == [("npm", "ci"), (".venv/bin/python", "-V")]
    assert plan.test == SetupStep(("npm", "test"), TEST_DESCRIPTION)
    assert plan.all_steps == (*plan.steps, plan.test)
    assert plan.source == plan.test_source == "from the team guide pack"
    assert plan.cwd == clone
    assert plan.from_pack
    assert plan.consent.pack_hash == pack.content_hash
    assert plan.consent.key == f"pack:team:{REPO}"

    windows = planned_steps(pack.projects[0], pack, clone, "windows")
    assert [s.argv for s in windows.steps] == [("npm", "ci"), (".venv\\Scripts\\python.exe", "-V")]
    assert windows.consent.steps_hash != plan.consent.steps_hash


def test_nothing_to_suggest_gives_an_empty_plan(tmp_path: Path) -> None:
    clone = tmp_path / "clone"
    clone.mkdir()
    plan = planned_steps(None, None, clone, "linux")
    assert plan.empty
    assert plan.test is None
    assert not plan.from_pack
    assert plan.consent.key == f"detected:{clone.resolve()}"


def test_without_a_pack_the_steps_are_suggested_from_the_files(tmp_path: Path) -> None:
    from onboard.core.setup import project_detect

    clone = tmp_path / "clone"
    clone.mkdir()
    (clone / "package.json").write_text(
        '{"name": "demo", "version": "1.0.0", "scripts": {"test": "node test.js"}}'
    )
    (clone / "package-lock.json").write_text(
        '{"name": "demo", "version": "1.0.0", "lockfileVersion": 3, "packages": {}}'
    )
    detected = project_detect.detect(clone)
    plan = planned_steps(None, None, clone, "linux")
    assert plan.steps == tuple(s for s in detected.setup if s.applies_to("linux"))
    assert plan.test == detected.test
    assert any(step.argv[0] == "npm" for step in plan.all_steps)
    assert plan.source.startswith("suggested")
    assert not plan.from_pack
    assert plan.consent.pack_hash is None


def test_a_pack_without_steps_for_this_project_falls_back_to_suggestions(tmp_path: Path) -> None:
    pack = write_pack(tmp_path / "pack", [WINDOWS_ONLY])
    clone = tmp_path / "clone"
    clone.mkdir()
    plan = planned_steps(pack.projects[0], pack, clone, "linux")
    assert WINDOWS_ONLY["argv"] not in [list(s.argv) for s in plan.steps]
    assert not plan.from_pack
    assert plan.consent.key == f"detected:{REPO}"


def test_display_argv_shows_every_argument_and_hides_nothing() -> None:
    argv = ["pip", "install", "-e", ".[test]", "two words", "", "esc\x1b[31mred", "a\nb"]
    shown = display_argv(argv)
    assert shown == "pip install -e '.[test]' 'two words' '' 'esc\\x1b[31mred' 'a\\x0ab'"
    assert "\x1b" not in shown and "\n" not in shown


def record(events: list[ProjectSetupEvent]) -> list[tuple[str, int, object]]:
    summary: list[tuple[str, int, object]] = []
    for event in events:
        if isinstance(event, StepStarted):
            summary.append(("started", event.index, event.step.argv[-1]))
        elif isinstance(event, Output):
            summary.append(("output", event.index, event.line))
        elif isinstance(event, StepFinished):
            summary.append(("finished", event.index, event.result.exit_code))
    return summary


def test_steps_run_in_order_and_stop_at_the_first_failure(tmp_path: Path) -> None:
    marker = tmp_path / "third-ran"
    steps = [
        SetupStep(tuple(python_argv("print('one')")), "first"),
        SetupStep(tuple(python_argv("import sys; print('two'); sys.exit(4)")), "second"),
        SetupStep(tuple(python_argv(f"open({str(marker)!r}, 'w')")), "third"),
    ]
    events: list[ProjectSetupEvent] = []
    results = run_steps(steps, tmp_path, events.append, cancel=threading.Event(), timeout=30)
    assert [r.exit_code for r in results] == [0, 4]
    assert not marker.exists()
    assert record(events) == [
        ("started", 0, "print('one')"),
        ("output", 0, "one"),
        ("finished", 0, 0),
        ("started", 1, "import sys; print('two'); sys.exit(4)"),
        ("output", 1, "two"),
        ("finished", 1, 4),
    ]


def test_a_missing_program_stops_the_run_with_its_reason(tmp_path: Path) -> None:
    steps = [SetupStep(("onboard-no-such-tool", "ci"), "install"), SetupStep(("true",), "next")]
    events: list[ProjectSetupEvent] = []
    results = run_steps(steps, tmp_path, events.append, cancel=threading.Event())
    assert len(results) == 1
    assert results[0].reason is not None and "onboard doctor" in results[0].reason
    assert [type(e) for e in events] == [StepStarted, StepFinished]


def test_nothing_runs_without_consent_to_exactly_this_plan(
    tmp_path: Path, state_store: StateStore
) -> None:
    marker = tmp_path / "clone" / "ran"
    marker.parent.mkdir()
    step = {"argv": python_argv("open('ran', 'a').write('x')"), "description": "Leave a mark"}
    pack = write_pack(tmp_path / "pack", [step], test_command=python_argv("print('tests ok')"))
    plan = planned_steps(pack.projects[0], pack, marker.parent, "linux")
    events: list[ProjectSetupEvent] = []
    with pytest.raises(ConsentRequired):
        run_setup(plan, state_store, events.append, cancel=threading.Event())
    with pytest.raises(ConsentRequired):
        run_tests(plan, state_store, events.append, cancel=threading.Event())
    assert not marker.exists()
    assert events == []

    record_consent(state_store, plan.consent)
    results = run_setup(plan, state_store, events.append, cancel=threading.Event())
    assert [r.ok for r in results] == [True]
    assert marker.read_text() == "x"
    test_result = run_tests(plan, state_store, events.append, cancel=threading.Event())
    assert test_result is not None and test_result.ok
    assert record(events)[-2:] == [("output", 1, "tests ok"), ("finished", 1, 0)]

    changed = write_pack(
        tmp_path / "pack", [step], test_command=python_argv("print('tests ok')"), guide="# New\n"
    )
    replanned = planned_steps(changed.projects[0], changed, marker.parent, "linux")
    with pytest.raises(ConsentRequired):
        run_setup(replanned, state_store, events.append, cancel=threading.Event())
    assert marker.read_text() == "x"


def test_a_plan_without_tests_has_nothing_to_test(tmp_path: Path, state_store: StateStore) -> None:
    pack = write_pack(tmp_path / "pack", [INSTALL])
    clone = tmp_path / "empty-clone"
    clone.mkdir()
    plan = planned_steps(pack.projects[0], pack, clone, "linux")
    assert plan.test is None
    assert run_tests(plan, state_store, lambda _: None, cancel=threading.Event()) is None


def test_the_projects_commit_checks_are_offered_after_the_packs_steps(tmp_path: Path) -> None:
    """A .pre-commit-config.yaml adds pre-commit, installed into the clone's .venv, after the
    pack's own steps (under the same consent); a pack that sets it up itself is left alone."""
    pack = write_pack(tmp_path / "pack", [INSTALL])
    clone = tmp_path / "clone"
    clone.mkdir()
    (clone / ".pre-commit-config.yaml").write_text("repos: []\n")
    plan = planned_steps(pack.projects[0], pack, clone, "linux")
    argvs = [s.argv for s in plan.steps]
    assert ("npm", "ci") in argvs
    assert argvs[-2:] == [
        (".venv/bin/python", "-m", "pip", "install", "pre-commit"),
        (".venv/bin/python", "-m", "pre_commit", "install"),
    ]
    assert any("-m" in a and "venv" in a for a in argvs[:1])  # the .venv is made first
    assert plan.source == (
        "from the team guide pack, with the commit checks suggested from .pre-commit-config.yaml"
    )
    assert "pre-commit install" in plan.steps[-1].description

    own = {"argv": ["pre-commit", "install"], "description": "The project's hooks"}
    pack = write_pack(tmp_path / "pack", [INSTALL, own])
    plan = planned_steps(pack.projects[0], pack, clone, "linux")
    assert [s.argv for s in plan.steps] == [("npm", "ci"), ("pre-commit", "install")]
    assert plan.source == "from the team guide pack"
