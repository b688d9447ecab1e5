"""A project's own setup steps and its test suite: what to show, and running them in order.

The steps come from the project's guide pack when it has any for this operating system, or else
from what onboard recognises in the clone (:mod:`onboard.core.setup.project_detect`). The same plan
object is shown to the newcomer and then run, so what runs is exactly what they agreed to, and
:func:`run_setup` / :func:`run_tests` refuse to run anything they have not agreed to.
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
from onboard.core.storage.state import StateStore
from onboard.workspace.commands import StepResult, run_step

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

    @property
    def all_steps(self) -> tuple[SetupStep, ...]:
        return self.steps + ((self.test,) if self.test else ())

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
) -> SetupPlan:
    """The pack's steps for this OS, else suggested ones; the pack's test command, else suggested.

    Reads files in ``clone_path`` when the pack has nothing to say, so call it from a worker.
    """
    os_name = os_name or current_os()
    pack_steps: tuple[SetupStep, ...] = ()
    pack_test: SetupStep | None = None
    if pack is not None and project is not None:
        pack_steps = tuple(s for s in project.setup if s.applies_to(os_name))
        if project.test_command:
            pack_test = SetupStep(tuple(project.test_command), TEST_DESCRIPTION)
    detected = None if pack_steps and pack_test else _detect(clone_path)
    pack_words = f"from the {pack.name} guide pack" if pack is not None else ""
    steps, source = pack_steps, pack_words
    if not pack_steps:
        steps, source = (), ""
        if detected is not None:
            steps = tuple(s for s in detected.setup if s.applies_to(os_name))
            source = _suggested(detected) if steps else ""
    test, test_source = pack_test, pack_words
    if pack_test is None:
        test, test_source = None, ""
        if detected is not None and detected.test is not None:
            test, test_source = detected.test, _suggested(detected)
    from_pack = pack is not None and (bool(pack_steps) or pack_test is not None)
    subject = subject_for(
        steps + ((test,) if test else ()),
        project=project.repo.full_name if project else str(clone_path.resolve()),
        pack_name=pack.name if pack is not None and from_pack else None,
        pack_hash=pack.content_hash if pack is not None and from_pack else None,
    )
    return SetupPlan(clone_path, steps, test, source, test_source, subject)


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
) -> list[StepResult]:
    """Run ``steps`` in order, stopping at the first that does not succeed.

    Events carry the step's index (``first_index`` onwards) so a screen can update its row.
    """
    results: list[StepResult] = []
    for index, step in enumerate(steps, start=first_index):
        emit(StepStarted(index, step))

        def output(line: str, index: int = index) -> None:
            emit(Output(index, line))

        result = run_step(step, cwd, on_output=output, cancel=cancel, timeout=timeout, env=env)
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
    _require_consent(plan, store)
    return run_steps(plan.steps, plan.cwd, emit, cancel=cancel, timeout=timeout)


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
    _require_consent(plan, store)
    results = run_steps(
        (plan.test,), plan.cwd, emit, cancel=cancel, timeout=timeout, first_index=len(plan.steps)
    )
    return results[0]


def _require_consent(plan: SetupPlan, store: StateStore) -> None:
    if needs_consent(store, plan.consent):
        raise ConsentRequired(
            "These steps have not been agreed to (or changed since you agreed); nothing was run."
        )


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
