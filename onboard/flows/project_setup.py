"""A project's own setup steps and its test suite: what to show, and running them in order.

The steps come from the project's guide pack when it has any for this operating system, or else
from what onboard recognises in the clone (:mod:`onboard.core.setup.project_detect`). The same plan
object is shown to the newcomer and then run, so what runs is exactly what they agreed to, and
:func:`run_setup` / :func:`run_tests` refuse to run anything they have not agreed to.

A Python project's steps are rewritten for the clone's own ``.venv`` before they are shown
(:mod:`onboard.core.setup.python_env`): a first step makes it, ``python``/``pip`` become its
Python, ``--user`` goes. They then run with that ``.venv`` active and onboard's own virtual
environment out of sight (:func:`onboard.workspace.commands.project_env`).
"""

from __future__ import annotations

import re
import shlex
import sys
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from onboard.core.models import Project, SetupStep
from onboard.core.packs.loading import Pack
from onboard.core.setup.consent import ConsentSubject, needs_consent, subject_for
from onboard.core.setup.python_env import (
    VENV,
    AdaptedStep,
    Interpreter,
    adapt_plan,
    makes_venv,
    read_venv,
)
from onboard.core.storage.state import StateStore
from onboard.workspace import tools
from onboard.workspace.commands import StepResult, project_env, run_step

if TYPE_CHECKING:
    from onboard.core.setup.project_detect import Detected

#: Long enough for a big ``npm ci`` or test suite on a slow laptop; a hung step still ends.
DEFAULT_STEP_TIMEOUT = 30 * 60.0
TEST_DESCRIPTION = (
    "Run the project's tests once, before you change anything, so you know they pass on your "
    "computer; a test that fails later is then about your change."
)
_INVISIBLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


class ConsentRequired(Exception):
    """Steps were about to run without the newcomer's agreement to exactly these steps."""


class SetupBlocked(Exception):
    """The plan cannot run on this computer (no Python that fits the project); nothing ran."""


@dataclass(frozen=True)
class SetupPlan:
    """The steps to show, where they run, where they came from, and the consent they need."""

    cwd: Path
    steps: tuple[SetupStep, ...]
    test: SetupStep | None
    #: "from the starter guide pack" / "suggested from package-lock.json"
    source: str
    test_source: str
    consent: ConsentSubject
    #: The clone's own environment the steps run in (``cwd/.venv``), or None.
    venv: Path | None = None
    #: What the newcomer should know about the plan as a whole (what python means here).
    notes: tuple[str, ...] = ()
    #: One tuple of notes per step of :attr:`all_steps`: what onboard changed, or flags.
    step_notes: tuple[tuple[str, ...], ...] = ()
    #: Why the plan cannot run here (no Python fits the project); shown instead of "Run".
    blocked: str | None = None

    @property
    def all_steps(self) -> tuple[SetupStep, ...]:
        return self.steps + ((self.test,) if self.test else ())

    def notes_for(self, index: int) -> tuple[str, ...]:
        """The notes of step ``index`` of :attr:`all_steps`."""
        return self.step_notes[index] if 0 <= index < len(self.step_notes) else ()

    @property
    def empty(self) -> bool:
        return not self.all_steps

    @property
    def from_pack(self) -> bool:
        return self.consent.from_pack


@dataclass(frozen=True)
class StepStarted:
    index: int
    step: SetupStep


@dataclass(frozen=True)
class Output:
    index: int
    line: str


@dataclass(frozen=True)
class StepFinished:
    index: int
    step: SetupStep
    result: StepResult


ProjectSetupEvent = StepStarted | Output | StepFinished
EventSink = Callable[[ProjectSetupEvent], None]


def current_os() -> str:
    """The name packs use for this operating system: ``linux``, ``macos`` or ``windows``."""
    if sys.platform == "win32":
        return "windows"
    if sys.platform == "darwin":
        return "macos"
    return "linux"


def planned_steps(
    project: Project | None,
    pack: Pack | None,
    clone_path: Path,
    os_name: str | None = None,
    *,
    pythons: Callable[[], Sequence[Interpreter]] | None = None,
) -> SetupPlan:
    """The pack's steps for this OS, else suggested ones; the pack's test command, else suggested.

    Python steps are rewritten for the clone's ``.venv``; ``pythons`` lists this computer's
    Pythons (default: :func:`onboard.workspace.tools.python_interpreters`, asked only when the
    plan needs one). Reads files in ``clone_path`` and may run ``python3 --version``, so call
    it from a worker.
    """
    os_name = os_name or current_os()
    pack_steps: tuple[SetupStep, ...] = ()
    pack_test: SetupStep | None = None
    if pack is not None and project is not None:
        pack_steps = tuple(s for s in project.setup if s.applies_to(os_name))
        if project.test_command:
            pack_test = SetupStep(tuple(project.test_command), TEST_DESCRIPTION)
    # Read even when the pack says everything: requires-python decides which Python makes .venv.
    detected = _detect(clone_path)
    pack_words = f"from the {pack.name} guide pack" if pack is not None else ""
    steps, source = pack_steps, pack_words
    if not pack_steps:
        steps, source = (), ""
        if detected is not None:
            steps = tuple(s for s in detected.setup if s.applies_to(os_name))
            source = _suggested(detected) if steps else ""
    hooks = _missing_hooks(steps, detected)
    if hooks:
        steps = (*steps, *hooks)
        where = "suggested from .pre-commit-config.yaml"
        source = f"{source}, with the commit checks {where}" if source else where
    test, test_source = pack_test, pack_words
    if pack_test is None:
        test, test_source = None, ""
        if detected is not None and detected.test is not None:
            test, test_source = detected.test, _suggested(detected)
    from_pack = pack is not None and (bool(pack_steps) or pack_test is not None)
    env = adapt_plan(
        steps,
        test,
        os_name=os_name,
        detected=detected,
        venv=read_venv(clone_path),
        find=pythons or tools.python_interpreters,
        origin="The guide pack" if from_pack else None,
    )
    steps = tuple(item.step for item in env.steps)
    test = env.test.step if env.test else None
    adapted: list[AdaptedStep] = [*env.steps, *([env.test] if env.test else [])]
    subject = subject_for(
        steps + ((test,) if test else ()),
        project=project.repo.full_name if project else str(clone_path.resolve()),
        pack_name=pack.name if pack is not None and from_pack else None,
        pack_hash=pack.content_hash if pack is not None and from_pack else None,
    )
    return SetupPlan(
        clone_path,
        steps,
        test,
        source,
        test_source,
        subject,
        venv=clone_path / VENV if env.uses_venv else None,
        notes=env.notes,
        step_notes=tuple(item.notes for item in adapted),
        blocked=env.blocked,
    )


def display_argv(argv: Iterable[str]) -> str:
    """``argv`` as one line a person can read: quoted as a shell would need, invisibles shown.

    For reading only: onboard never hands this string to a shell.
    """
    return shlex.join(_INVISIBLE.sub(lambda m: f"\\x{ord(m.group()):02x}", arg) for arg in argv)


def run_steps(
    steps: Sequence[SetupStep],
    cwd: Path,
    emit: EventSink,
    *,
    cancel: threading.Event,
    timeout: float | None = DEFAULT_STEP_TIMEOUT,
    first_index: int = 0,
    env: Mapping[str, str] | None = None,
    venv: Path | None = None,
) -> list[StepResult]:
    """Run ``steps`` in order, stopping at the first that does not succeed.

    Events carry the step's index (``first_index`` onwards) so a screen can update its row.
    Every step runs without onboard's own virtual environment; with ``venv`` (the clone's
    ``.venv``) active, except for the step that makes it, so the Python making ``.venv`` is
    never the one inside it.
    """
    results: list[StepResult] = []
    for index, step in enumerate(steps, start=first_index):
        emit(StepStarted(index, step))

        def output(line: str, index: int = index) -> None:
            emit(Output(index, line))

        active = None if venv is None or makes_venv(step.argv) else venv
        step_env = project_env(active, env)
        result = run_step(step, cwd, on_output=output, cancel=cancel, timeout=timeout, env=step_env)
        emit(StepFinished(index, step, result))
        results.append(result)
        if not result.ok:
            break
    return results


def run_setup(
    plan: SetupPlan,
    store: StateStore,
    emit: EventSink,
    *,
    cancel: threading.Event,
    timeout: float | None = DEFAULT_STEP_TIMEOUT,
) -> list[StepResult]:
    """The plan's setup steps, only if the newcomer agreed to exactly this plan."""
    _require_runnable(plan, store)
    return run_steps(plan.steps, plan.cwd, emit, cancel=cancel, timeout=timeout, venv=plan.venv)


def run_tests(
    plan: SetupPlan,
    store: StateStore,
    emit: EventSink,
    *,
    cancel: threading.Event,
    timeout: float | None = DEFAULT_STEP_TIMEOUT,
) -> StepResult | None:
    """The plan's test command (None when it has none), under the same agreement."""
    if plan.test is None:
        return None
    _require_runnable(plan, store)
    results = run_steps(
        (plan.test,),
        plan.cwd,
        emit,
        cancel=cancel,
        timeout=timeout,
        first_index=len(plan.steps),
        venv=plan.venv,
    )
    return results[0]


def _require_runnable(plan: SetupPlan, store: StateStore) -> None:
    if plan.blocked:
        raise SetupBlocked(f"Nothing was run: {plan.blocked}")
    if needs_consent(store, plan.consent):
        raise ConsentRequired(
            "These steps have not been agreed to (or changed since you agreed); nothing was run."
        )


def _missing_hooks(steps: Sequence[SetupStep], detected: Detected | None) -> tuple[SetupStep, ...]:
    """The project's commit checks (pre-commit), unless the steps already set them up."""
    if detected is None or not detected.hooks:
        return ()
    words = {word for step in steps for word in step.argv}
    if words & {"pre-commit", "pre_commit"}:
        return ()
    return detected.hooks


def _detect(clone_path: Path) -> Detected | None:
    """What onboard recognises in the clone, or None when it cannot tell."""
    try:
        import onboard.core.setup.project_detect as project_detect
    except ModuleNotFoundError as error:  # detection ships separately; packs work without it
        if error.name != "onboard.core.setup.project_detect":
            raise
        return None
    try:
        return project_detect.detect(clone_path)
    except OSError:
        return None


def _suggested(detected: Detected) -> str:
    files = sorted({t.evidence.split(":", 1)[0].strip() for t in detected.toolchains} - {""})
    if not files:
        return "suggested by onboard from the project's files"
    return f"suggested from {', '.join(files)}"
