"""What ``python`` and ``pip`` mean in a clone's setup steps: the clone's own ``.venv``.

Why this exists (issue #17): on a stock Debian 12 there is no ``python`` (only ``python3``), the
system Python refuses ``pip install`` and ``pip install --user`` (PEP 668), and onboard itself
runs from a virtual environment, so a step that says ``python -m pip install -e .`` either fails
or installs the project into onboard's environment. So every Python project gets a ``.venv``
inside its clone, and the plan says so in the commands themselves:

- a first step ``python3.X -m venv .venv``, made with the newest Python on this computer that
  fits the project's ``requires-python`` (the names looked for are ``python3`` and ``python3.X``;
  ``py -3.X`` on Windows), unless the plan makes ``.venv`` itself or it is already there;
- ``python``/``python3`` become ``.venv/bin/python``, ``pip``/``pip3`` become
  ``.venv/bin/python -m pip``, and ``--user`` is dropped from pip installs, each with a note;
- ``npm install -g`` and its cousins stay, flagged: they install outside the clone.

The rewritten argv is what the newcomer sees, what consent hashes, and what runs: nothing is
swapped behind their back. The steps also run with ``.venv`` active (see
:func:`onboard.workspace.commands.project_env`), so a tool installed there (``tox``,
``pre-commit``) is the one found. Everything here is pure: the Pythons on this computer come in
as :class:`Interpreter` values from :func:`onboard.workspace.tools.python_interpreters`.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from onboard.core.models import SetupStep
from onboard.core.setup.install_hints import install_hint, upgrade_hint
from onboard.core.setup.project_detect import Detected
from onboard.core.setup.project_files import read_text
from onboard.core.setup.versions import release, satisfies

#: The clone's own environment, relative to the clone (the name the Python world expects).
VENV = ".venv"
#: Names that mean "the Python" in a step; they become the clone's ``.venv`` Python.
PYTHON_NAMES = frozenset({"python", "python3"})
#: Names that mean "pip"; they become ``.venv/bin/python -m pip``.
PIP_NAMES = frozenset({"pip", "pip3"})
#: Tools that make and manage a project's environment themselves: a plan that uses one gets no
#: ``.venv`` of onboard's (``uv sync`` makes its own; Poetry and the others keep theirs).
ENV_MANAGERS = frozenset(
    {"uv", "poetry", "pipenv", "pdm", "hatch", "rye", "pixi", "conda", "mamba", "micromamba"}
)
USER_NOTE = (
    "--user removed: inside the project's own .venv, --user is not needed; Debian refuses it."
)
GLOBAL_NOTE = (
    "Installs for your whole computer, outside the project folder: other projects see it too, "
    "and on Linux it often needs administrator rights (npm then fails with EACCES)."
)
_VERSIONED = re.compile(r"^python3\.\d+$")
_VERSIONED_PIP = re.compile(r"^pip3\.\d+$")
_LAUNCHER_VERSION = re.compile(r"^-[23](?:\.\d+)?(?:-(?:32|64|arm64))?$")
_NPM_INSTALLS = frozenset({"install", "i", "in", "add", "isntall", "link", "ln"})
#: pip options whose value follows as the next word (so it is not a package name).
_PIP_VALUE_OPTIONS = frozenset(
    {
        "-r",
        "--requirement",
        "-c",
        "--constraint",
        "-e",
        "--editable",
        "--group",
        "-t",
        "--target",
        "-i",
        "--index-url",
        "--extra-index-url",
        "-f",
        "--find-links",
        "--prefix",
        "--root",
        "--src",
        "--platform",
        "--python-version",
        "--implementation",
        "--abi",
    }
)
_REQUIREMENT_NAME = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(?:$|[\[<>=!~;@ ])")


@dataclass(frozen=True)
class Interpreter:
    """A Python found on this computer, and the words that start it (``python3.11``)."""

    command: tuple[str, ...]
    version: str
    #: Where it was found, for messages; None when unknown (tests, the Windows launcher).
    path: str | None = None

    @property
    def label(self) -> str:
        return " ".join(self.command)

    @property
    def minor(self) -> tuple[int, ...]:
        return (release(self.version) or ())[:2]

    @property
    def versioned(self) -> bool:
        """``python3.11`` or ``py -3.11`` names its version; plain ``python3`` does not."""
        return bool(_VERSIONED.match(self.command[0])) or len(self.command) > 1


@dataclass(frozen=True)
class PythonWish:
    """The Python version a project asks for, and where it says so."""

    wanted: str | None = None
    evidence: str | None = None
    #: pip refuses to install a project whose requires-python does not fit: a hard requirement.
    enforced: bool = False

    def words(self) -> str:
        if not self.wanted:
            return ""
        return f"{self.wanted} ({self.evidence})" if self.evidence else self.wanted


@dataclass(frozen=True)
class PythonChoice:
    """The Python that makes ``.venv``, or why there is none.

    ``problem`` is set when nothing usable was found (no Python at all, or none that fits an
    enforced ``requires-python``); ``warning`` when the chosen one only misses a soft wish such as
    a ``.python-version`` pin.
    """

    interpreter: Interpreter | None
    wish: PythonWish
    found: tuple[Interpreter, ...]
    problem: str | None = None
    warning: str | None = None
    #: None: the wish could not be compared (``requires-python = "latest"``) or there is none.
    fits: bool | None = None


@dataclass(frozen=True)
class VenvState:
    """What is already at ``.venv`` in the clone."""

    exists: bool = False
    #: The Python version it was made with (its ``pyvenv.cfg``), when readable.
    version: str | None = None


@dataclass(frozen=True)
class VenvReport:
    """Whether ``<python> -m venv`` worked (the doctor's probe), and what it printed if not."""

    ok: bool
    output: str = ""


@dataclass(frozen=True)
class AdaptedStep:
    """A step as it will run, with notes that explain what onboard changed or flags."""

    step: SetupStep
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class EnvPlan:
    """Steps rewritten for the clone's ``.venv``, plus what the plan should say about it."""

    steps: tuple[AdaptedStep, ...]
    test: AdaptedStep | None
    #: True when the steps run inside the clone's ``.venv``.
    uses_venv: bool = False
    notes: tuple[str, ...] = ()
    #: Why nothing may run (no Python that fits); None when the plan can run.
    blocked: str | None = None
    choice: PythonChoice | None = None


def venv_python(os_name: str) -> str:
    """The clone's ``.venv`` Python, relative to the clone, as steps write it."""
    return ".venv\\Scripts\\python.exe" if os_name == "windows" else ".venv/bin/python"


def python_wish(detected: Detected | None) -> PythonWish:
    """The Python version the clone's files ask for (requires-python first, as detection does)."""
    if detected is None:
        return PythonWish()
    for tool in detected.toolchains:
        if tool.name == "Python":
            return PythonWish(tool.version_wanted, tool.evidence, tool.enforced)
    return PythonWish()


def is_python_project(detected: Detected | None) -> bool:
    return detected is not None and any(t.name == "Python" for t in detected.toolchains)


def read_venv(clone: Path) -> VenvState:
    """What ``clone/.venv`` is: missing, or made with which Python (read, never run)."""
    config = read_text(clone, f"{VENV}/pyvenv.cfg")
    if config is None:
        return VenvState(exists=(clone / VENV).is_dir())
    version = None
    for line in config.splitlines():
        key, _, value = line.partition("=")
        if key.strip() in ("version", "version_info") and release(value.strip()):
            version = ".".join(map(str, (release(value.strip()) or ())[:3]))
            break
    return VenvState(exists=True, version=version)


def choose_python(
    found: Sequence[Interpreter],
    wish: PythonWish,
    *,
    os_name: str,
    prefer: tuple[int, ...] = (),
) -> PythonChoice:
    """The newest Python in ``found`` that fits ``wish`` (one of ``prefer``'s X.Y first).

    ``prefer`` is the version an existing ``.venv`` was made with: keeping to it means a second
    run of the plan does not rebuild the newcomer's environment with another Python.
    """
    found = tuple(found)
    if not found:
        return PythonChoice(
            None,
            wish,
            found,
            problem="No Python 3 was found on this computer (onboard looked for python3 and "
            "python3.X on your PATH), and the project's setup needs one to make its .venv. "
            + install_hint("py" if os_name == "windows" else "python3", os_name),
        )
    answers = [
        (item, satisfies(item.version, wish.wanted) if wish.wanted else None) for item in found
    ]
    fitting = [item for item, fits in answers if fits is not False]
    if not fitting:
        have = ", ".join(f"{item.version} ({item.label})" for item in found)
        hint = upgrade_hint("Python", "python3", wish.wanted or "", os_name)
        if wish.enforced:
            return PythonChoice(
                None,
                wish,
                found,
                problem=f"This project needs Python {wish.words()}, but the Pythons on this "
                f"computer are {have}: pip refuses to install the project with them. {hint}",
                fits=False,
            )
        best = _newest(found)
        return PythonChoice(
            best,
            wish,
            found,
            warning=f"The project prefers Python {wish.words()}; the newest here is "
            f"{best.version} ({best.label}), which may still work. {hint}",
            fits=False,
        )
    same = [item for item in fitting if prefer and item.minor == tuple(prefer[:2])]
    best = _newest(same or fitting)
    fits = satisfies(best.version, wish.wanted) if wish.wanted else None
    return PythonChoice(best, wish, found, fits=fits)


def _newest(items: Sequence[Interpreter]) -> Interpreter:
    """Newest version; at equal versions the name that says its version, then PATH order."""
    ranked = sorted(
        enumerate(items),
        key=lambda pair: (release(pair[1].version) or (), pair[1].versioned, -pair[0]),
    )
    return ranked[-1][1]


def makes_venv(argv: Sequence[str]) -> bool:
    """``<python> -m venv .venv``: the step that makes the clone's environment."""
    words = list(argv)
    if len(words) > 1 and words[0] == "py" and _LAUNCHER_VERSION.match(words[1]):
        del words[1]
    if len(words) < 4 or words[1:3] != ["-m", "venv"]:
        return False
    python = Path(words[0].replace("\\", "/")).name.removesuffix(".exe")
    if not (python in PYTHON_NAMES or python == "py" or _VERSIONED.match(python)):
        return False
    targets = [word for word in words[3:] if not word.startswith("-")]
    return bool(targets) and targets[-1].replace("\\", "/").rstrip("/").removeprefix("./") == VENV


def uses_python(argv: Sequence[str], os_name: str) -> bool:
    """Whether a step starts a Python or pip by a generic name (``python``, ``pip3``, ``py``).

    A step naming ``.venv/bin/python`` itself does not count: its pack already says which
    environment it means, and keeps working as written.
    """
    if not argv:
        return False
    program = argv[0]
    if program in PYTHON_NAMES or program in PIP_NAMES:
        return True
    return program == "py" and os_name == "windows"


def is_pip(argv: Sequence[str]) -> bool:
    """``pip …``, ``.venv/bin/pip …`` or ``<python> -m pip …``."""
    if not argv:
        return False
    if list(argv[1:3]) == ["-m", "pip"]:
        return True
    name = Path(argv[0].replace("\\", "/")).name.removesuffix(".exe")
    return name in PIP_NAMES or bool(_VERSIONED_PIP.match(name))


def pip_installs(argv: Sequence[str]) -> set[str]:
    """The package names a ``pip install`` step installs by name (``tox``, ``pre-commit``).

    The doctor uses it so that a program an earlier step puts into ``.venv`` is not reported
    as missing; files, folders and URLs are not names and are skipped.
    """
    if not is_pip(argv):
        return set()
    words = list(argv[3:] if list(argv[1:3]) == ["-m", "pip"] else argv[1:])
    if not words or words[0] != "install":
        return set()
    names: set[str] = set()
    skip = False
    for word in words[1:]:
        if skip:
            skip = False
            continue
        if word.startswith("-"):
            skip = word in _PIP_VALUE_OPTIONS
            continue
        match = _REQUIREMENT_NAME.match(word)
        if match and "/" not in word and "\\" not in word:
            names.add(normal_name(match.group(1)))
    return names


def normal_name(name: str) -> str:
    """Names compared the way pip compares them: ``Pre_Commit`` is ``pre-commit``."""
    return re.sub(r"[-_.]+", "-", name).lower()


def installs_globally(argv: Sequence[str]) -> bool:
    """``npm install -g``, ``yarn global add``, ``pnpm add -g``, ``bun add -g``."""
    if not argv:
        return False
    program, args = argv[0], list(argv[1:])
    flags = {"-g", "--global", "--location=global"}
    if program == "npm":
        command = next((word for word in args if not word.startswith("-")), "")
        return command in _NPM_INSTALLS and any(word in flags for word in args)
    if program == "yarn":
        return args[:1] == ["global"]
    if program in ("pnpm", "bun"):
        return any(word in flags for word in args)
    return False


@dataclass
class _Adapter:
    os_name: str
    creator: tuple[str, ...]
    uses_venv: bool

    def adapt(self, step: SetupStep, origin: str | None) -> AdaptedStep:
        """``step`` as it runs in the clone's environment, with a note for each change."""
        argv = list(step.argv)
        notes: list[str] = []
        original = shlex.join(step.argv)
        if self.uses_venv and argv:
            if makes_venv(argv):
                if argv[0] in PYTHON_NAMES or (argv[0] == "py" and not _has_launcher_version(argv)):
                    argv = [*self.creator, *argv[1:]]
            elif argv[0] in PYTHON_NAMES or (
                argv[0] == "py" and self.os_name == "windows" and not _has_launcher_version(argv)
            ):
                argv = [venv_python(self.os_name), *argv[1:]]
            elif argv[0] in PIP_NAMES:
                argv = [venv_python(self.os_name), "-m", "pip", *argv[1:]]
            # Only for pip inside .venv: a python3.12 of the system's would then install
            # into the system instead.
            inside_venv = argv[0].replace("\\", "/").startswith(f"{VENV}/")
            if inside_venv and is_pip(argv) and "install" in argv and "--user" in argv:
                argv = [word for word in argv if word != "--user"]
                notes.append(USER_NOTE)
            if origin and argv != list(step.argv):
                inside = "" if makes_venv(argv) else "; here it runs in the project's .venv"
                notes.insert(0, f"{origin} writes “{original}”{inside}.")
        if installs_globally(argv):
            notes.append(GLOBAL_NOTE)
        return AdaptedStep(SetupStep(tuple(argv), step.description, step.os), tuple(notes))


def _has_launcher_version(argv: Sequence[str]) -> bool:
    return len(argv) > 1 and bool(_LAUNCHER_VERSION.match(argv[1]))


def venv_step(creator: tuple[str, ...]) -> SetupStep:
    """The first step of a Python project's plan: make its own ``.venv`` in the clone."""
    return SetupStep(
        (*creator, "-m", "venv", VENV),
        "Create the project's own Python environment in .venv inside the clone: the steps below "
        "install into it, never into your system's Python or onboard's.",
    )


def adapt_plan(
    steps: Sequence[SetupStep],
    test: SetupStep | None,
    *,
    os_name: str,
    detected: Detected | None,
    venv: VenvState,
    find: Callable[[], Sequence[Interpreter]],
    origin: str | None = None,
) -> EnvPlan:
    """Rewrite a plan so its Python steps use the clone's ``.venv`` (made first when missing).

    ``find`` lists this computer's Pythons; it is only called for plans that need one, since
    asking each Python its version takes a moment. ``origin`` ("The guide pack") names who wrote
    the steps, for the note on each rewritten one; None for onboard's own suggestions.
    """
    everything = [*steps, *([test] if test else [])]
    manages_itself = any(step.argv and step.argv[0] in ENV_MANAGERS for step in everything)
    needed = any(uses_python(step.argv, os_name) for step in everything) or (
        is_python_project(detected) and not manages_itself
    )
    if not needed:
        plain = _Adapter(os_name, (), uses_venv=False)
        return EnvPlan(
            tuple(plain.adapt(step, origin) for step in steps),
            plain.adapt(test, origin) if test else None,
        )
    wish = python_wish(detected)
    prefer = (release(venv.version) or ())[:2] if venv.version else ()
    choice = choose_python(find(), wish, os_name=os_name, prefer=prefer)
    fallback = ("py",) if os_name == "windows" else ("python3",)
    creator = choice.interpreter.command if choice.interpreter else fallback
    adapter = _Adapter(os_name, creator, uses_venv=True)
    adapted = [adapter.adapt(step, origin) for step in steps]
    adapted_test = adapter.adapt(test, origin) if test else None
    notes = [
        "python and pip in these steps mean the project's own environment, "
        f"{venv_python(os_name)}: its packages go into .venv in the clone, never into your "
        "system's Python or onboard's. The steps run with .venv active, so programs installed "
        "there (such as tox or pre-commit) are the ones found.",
    ]
    makes_own = any(makes_venv(item.step.argv) for item in adapted)
    same_python = (
        venv.version is not None
        and choice.interpreter is not None
        and (release(venv.version) or ())[:2] == choice.interpreter.minor
    )
    if not makes_own and (not venv.exists or same_python):
        adapted.insert(0, AdaptedStep(venv_step(creator), _creator_notes(choice, venv)))
    elif venv.exists and not same_python:
        made = f" (made with Python {venv.version})" if venv.version else ""
        note = f".venv already exists in the clone{made}: the steps use it as it is."
        if venv.version and wish.wanted and satisfies(venv.version, wish.wanted) is False:
            note += (
                f" It does not fit {wish.words()}: delete the .venv folder to let onboard make "
                "a new one."
            )
        notes.append(note)
    if makes_own:
        index = next(i for i, item in enumerate(adapted) if makes_venv(item.step.argv))
        item = adapted[index]
        adapted[index] = AdaptedStep(item.step, item.notes + _creator_notes(choice, venv))
    if choice.warning:
        notes.append(choice.warning)
    return EnvPlan(
        tuple(adapted),
        adapted_test,
        uses_venv=True,
        notes=tuple(notes),
        blocked=choice.problem,
        choice=choice,
    )


def _creator_notes(choice: PythonChoice, venv: VenvState) -> tuple[str, ...]:
    chosen = choice.interpreter
    if chosen is None:
        return ()
    why = "the newest Python here"
    if choice.wish.wanted and choice.fits:
        why += f" that fits {choice.wish.words()}"
    again = " .venv is already there: making it again keeps its packages." if venv.exists else ""
    return (f"{chosen.label} is Python {chosen.version}, {why}.{again}",)


def programs_to_check(steps: Iterable[SetupStep], os_name: str) -> list[str]:
    """The programs a pack's steps start that must already be installed, in order.

    Not listed: generic Python and pip names (they are the clone's ``.venv``, which the Python
    check covers), files inside the clone (``.venv/bin/pre-commit``, made by an earlier step),
    and programs an earlier ``pip install`` step puts into ``.venv`` (``pre-commit``, ``tox``).
    """
    needed: list[str] = []
    installed: set[str] = set()
    for step in steps:
        if not step.argv or not step.applies_to(os_name):
            continue
        program = step.argv[0]
        installed |= pip_installs(step.argv)
        if makes_venv(step.argv) or uses_python(step.argv, os_name):
            continue
        if "/" in program or "\\" in program or program in needed:
            continue
        if normal_name(program) in installed:
            continue
        needed.append(program)
    return needed


def makes_python_env(steps: Iterable[SetupStep], os_name: str) -> bool:
    """Whether a pack's steps use Python by a generic name (so the doctor checks one)."""
    return any(
        step.applies_to(os_name) and (uses_python(step.argv, os_name) or makes_venv(step.argv))
        for step in steps
    )
