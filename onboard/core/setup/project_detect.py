"""What a checked-out project needs on this machine, read from its files (never by running them).

Detection answers two questions for a newcomer who just cloned something: which tools must be
installed, at which versions (the doctor checks them), and which commands set the project up and
run its tests (the setup screen shows them and runs them only with consent). Everything comes
from files projects already keep: ``pyproject.toml``, ``package.json``, ``Cargo.toml``,
``go.mod``, version pins (``.tool-versions``, ``.nvmrc``, ``.python-version``), a dev container,
``tox.ini``/``noxfile.py`` and the Makefile.

Two safety rules: an executable name never comes from a file (files only pick among the fixed
names below), and every suggested step is an argv list, so nothing a project writes can become a
shell command.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from onboard.core.models import SetupStep
from onboard.core.setup.project_files import (
    dig,
    dig_str,
    exists,
    read_ini,
    read_json,
    read_text,
    read_toml,
)
from onboard.core.text.sanitize import clean

UNIX = ("linux", "macos")
WINDOWS = ("windows",)
#: Extras and dependency groups that usually hold the test tools, most likely first.
TEST_EXTRAS = ("test", "tests", "testing", "dev")
REQUIREMENT_FILES = (
    "requirements.txt",
    "requirements-dev.txt",
    "requirements-test.txt",
    "dev-requirements.txt",
    "test-requirements.txt",
    "requirements/dev.txt",
    "requirements/test.txt",
)
MAKEFILES = ("GNUmakefile", "makefile", "Makefile")
#: pre-commit's configuration file, as its documentation names it.
PRE_COMMIT_CONFIGS = (".pre-commit-config.yaml", ".pre-commit-config.yml")
#: Makefile targets that set a project up, most specific first. ``install`` comes last: in some
#: projects it installs the program system-wide rather than the development dependencies.
MAKE_SETUP_TARGETS = ("setup", "bootstrap", "dev", "deps", "install")
#: npm writes this into package.json when a project has no tests.
NPM_PLACEHOLDER_TEST = "no test specified"
MAX_VERSION_LENGTH = 64

# Test commands compete; the most trustworthy wins (lower is better).
_TEST_INSTALLED_PYTEST = 10
_TEST_LANGUAGE = 15
_TEST_NOX = 20
_TEST_TOX = 21
_TEST_BARE_PYTEST = 40
_TEST_MAKE = 50
_TEST_MAKE_CHECK = 55

_MAKE_TARGET = re.compile(r"^([A-Za-z0-9][A-Za-z0-9_.\-/ ]*?)\s*::?(?!=)", re.MULTILINE)
_GO_DIRECTIVE = re.compile(r"^go\s+(\d+(?:\.\d+){0,2})\s*(?://.*)?$", re.MULTILINE)
_SETUP_PY_REQUIRES = re.compile(r"python_requires\s*=\s*[\"']([^\"'\n]{1,64})[\"']")
_SETUP_PY_EXTRA = re.compile(r"[\"'](test|tests|testing|dev)[\"']\s*:")


@dataclass(frozen=True)
class Toolchain:
    """A tool the project needs, and the version it asks for (``None``: any)."""

    name: str
    executable: str
    version_wanted: str | None
    evidence: str
    #: The tool itself refuses other versions (pip with requires-python, cargo with
    #: rust-version), so a mismatch blocks the newcomer rather than merely being unusual.
    enforced: bool = False


@dataclass(frozen=True)
class Detected:
    toolchains: tuple[Toolchain, ...]
    setup: tuple[SetupStep, ...]
    test: SetupStep | None
    #: Steps that make git run the project's own commit checks (pre-commit), offered after the
    #: set-up steps whoever wrote those: a pack rarely mentions them, and a newcomer whose
    #: commit fails the project's CI for a formatting slip is exactly who they help.
    hooks: tuple[SetupStep, ...] = ()

    @property
    def empty(self) -> bool:
        return not self.toolchains and not self.setup and self.test is None and not self.hooks


@dataclass
class _Found:
    os_name: str
    toolchains: list[Toolchain] = field(default_factory=list)
    setup: list[SetupStep] = field(default_factory=list)
    tests: list[tuple[int, SetupStep]] = field(default_factory=list)
    hooks: list[SetupStep] = field(default_factory=list)

    def tool(
        self,
        name: str,
        executable: str,
        wanted: str | None,
        evidence: str,
        *,
        enforced: bool = False,
    ) -> None:
        version = clean(wanted, one_line=True, max_length=MAX_VERSION_LENGTH) if wanted else None
        self.toolchains.append(Toolchain(name, executable, version or None, evidence, enforced))

    def step(self, argv: list[str], description: str, os: tuple[str, ...] = ()) -> None:
        self.setup.append(SetupStep(tuple(argv), description, os))

    def test(self, priority: int, argv: list[str], description: str) -> None:
        self.tests.append((priority, SetupStep(tuple(argv), description)))


def current_os() -> str:
    """``linux``, ``macos`` or ``windows``: the names pack setup steps use."""
    if sys.platform == "win32":
        return "windows"
    return "macos" if sys.platform == "darwin" else "linux"


def detect(path: Path, *, os_name: str | None = None) -> Detected:
    """Read ``path`` (a clone) and say what it needs. Missing or odd files are simply skipped.

    Setup steps that differ per operating system come in pairs tagged with ``os`` (like a
    pack's); the test command is given for ``os_name`` (default: this computer).
    """
    found = _Found(os_name or current_os())
    if not path.is_dir():
        return Detected((), (), None)
    _python(path, found)
    _node(path, found)
    _rust(path, found)
    _go(path, found)
    _tool_versions(path, found)
    _devcontainer(path, found)
    _make(path, found)
    _pre_commit(path, found)
    test = min(found.tests, key=lambda item: item[0])[1] if found.tests else None
    return Detected(_merged(found.toolchains), tuple(found.setup), test, tuple(found.hooks))


def _merged(toolchains: list[Toolchain]) -> tuple[Toolchain, ...]:
    """One entry per tool, in order of first mention; the first source naming a version wins."""
    chosen: dict[str, Toolchain] = {}
    for tool in toolchains:
        known = chosen.get(tool.name)
        if known is None:
            chosen[tool.name] = tool
        elif known.version_wanted is None and tool.version_wanted is not None:
            chosen[tool.name] = replace(
                tool, executable=known.executable, enforced=tool.enforced or known.enforced
            )
    return tuple(chosen.values())


# -- Python ----------------------------------------------------------------------------------


def _python(root: Path, found: _Found) -> None:
    pyproject = read_toml(root, "pyproject.toml") or {}
    setup_cfg = read_ini(root, "setup.cfg")
    setup_py = read_text(root, "setup.py")
    tox_ini = read_ini(root, "tox.ini")
    has_noxfile = exists(root, "noxfile.py")
    requirements = [name for name in REQUIREMENT_FILES if exists(root, name)]
    pins = (read_text(root, ".python-version") or "").strip()
    installable = bool(
        dig(pyproject, "project")
        or dig(pyproject, "build-system")
        or dig(pyproject, "tool", "poetry")
        or setup_py is not None
        or (setup_cfg is not None and setup_cfg.has_option("metadata", "name"))
    )
    uses_tox = (
        tox_ini is not None
        or dig(pyproject, "tool", "tox") is not None
        or (setup_cfg is not None and setup_cfg.has_section("tox:tox"))
    )
    uses_nox = has_noxfile or dig(pyproject, "tool", "nox") is not None
    if not (installable or requirements or uses_tox or uses_nox or pins):
        return

    python = "py" if found.os_name == "windows" else "python3"
    _python_version(root, found, python, pyproject, setup_cfg, setup_py, pins)
    extra, group, test_deps = _python_test_extra(pyproject, setup_cfg, setup_py)
    pytest_hint = test_deps or _pytest_configured(root, pyproject, setup_cfg, tox_ini)

    if exists(root, "uv.lock"):
        found.tool("uv", "uv", None, "uv.lock")
        found.step(
            ["uv", "sync"],
            "Create .venv and install the project with the exact versions recorded in uv.lock "
            "(uv also installs the 'dev' dependency group).",
        )
        if pytest_hint:
            found.test(_TEST_INSTALLED_PYTEST, ["uv", "run", "pytest"], "Run the tests (pytest).")
    elif exists(root, "poetry.lock") or (
        dig_str(pyproject, "build-system", "build-backend") or ""
    ).startswith("poetry"):
        locked = exists(root, "poetry.lock")
        found.tool("Poetry", "poetry", None, "poetry.lock" if locked else "pyproject.toml")
        found.step(
            ["poetry", "install"],
            "Let Poetry create a private environment and install the project with the "
            "versions recorded in poetry.lock.",
        )
        if pytest_hint:
            found.test(
                _TEST_INSTALLED_PYTEST, ["poetry", "run", "pytest"], "Run the tests (pytest)."
            )
    elif installable or requirements:
        _pip_steps(found, installable, extra, group, requirements)
        if pytest_hint:
            priority = _TEST_INSTALLED_PYTEST if test_deps else _TEST_BARE_PYTEST
            found.test(priority, [_venv_python(found.os_name), "-m", "pytest"], "Run the tests.")

    if uses_tox:
        minimum = None
        if tox_ini is not None:
            minimum = tox_ini.get("tox", "min_version", fallback=None) or tox_ini.get(
                "tox", "minversion", fallback=None
            )
        evidence = "tox.ini" if tox_ini is not None else "pyproject.toml: tool.tox"
        found.tool("tox", "tox", f">={minimum.strip()}" if minimum else None, evidence)
        found.test(_TEST_TOX, ["tox"], "Run the tests the way the project's CI does (tox).")
    if uses_nox:
        found.tool("nox", "nox", None, "noxfile.py" if has_noxfile else "pyproject.toml: tool.nox")
        found.test(_TEST_NOX, ["nox"], "Run the tests the way the project's CI does (nox).")


def _python_version(
    root: Path,
    found: _Found,
    python: str,
    pyproject: dict[str, Any],
    setup_cfg: Any,
    setup_py: str | None,
    pins: str,
) -> None:
    """The Python version, from the strongest statement first (an installer enforces those)."""
    requires = dig_str(pyproject, "project", "requires-python")
    if requires:
        found.tool(
            "Python", python, requires, "pyproject.toml: project.requires-python", enforced=True
        )
    poetry_python = dig_str(pyproject, "tool", "poetry", "dependencies", "python")
    if poetry_python:
        evidence = "pyproject.toml: tool.poetry.dependencies.python"
        found.tool("Python", python, poetry_python, evidence, enforced=True)
    if setup_cfg is not None and setup_cfg.has_option("options", "python_requires"):
        wanted = setup_cfg.get("options", "python_requires").strip()
        found.tool("Python", python, wanted, "setup.cfg: options.python_requires", enforced=True)
    match = _SETUP_PY_REQUIRES.search(setup_py or "")
    if match:
        found.tool("Python", python, match.group(1), "setup.py: python_requires", enforced=True)
    if pins:
        found.tool("Python", python, pins.split()[0], ".python-version")
    found.tool("Python", python, None, _python_evidence(root))


def _python_evidence(root: Path) -> str:
    for name in ("pyproject.toml", "setup.py", "setup.cfg", "tox.ini", "noxfile.py"):
        if exists(root, name):
            return name
    return "requirements.txt"


def _python_test_extra(
    pyproject: dict[str, Any], setup_cfg: Any, setup_py: str | None
) -> tuple[str | None, str | None, bool]:
    """``(extra, dependency group, whether that brings pytest)`` holding the test tools."""
    extras = dig(pyproject, "project", "optional-dependencies")
    if isinstance(extras, dict):
        for name in TEST_EXTRAS:
            if name in extras:
                return name, None, _mentions_pytest(extras[name])
    groups = dig(pyproject, "dependency-groups")
    if isinstance(groups, dict):
        for name in TEST_EXTRAS:
            if name in groups:
                return None, name, _mentions_pytest(groups[name])
    poetry = dig(pyproject, "tool", "poetry")
    if isinstance(poetry, dict):  # Poetry installs its groups itself; only pytest matters here
        tables = [dig(poetry, "group", name, "dependencies") for name in TEST_EXTRAS]
        tables.append(poetry.get("dev-dependencies"))
        if any(isinstance(table, dict) and "pytest" in table for table in tables):
            return None, None, True
    if setup_cfg is not None and setup_cfg.has_section("options.extras_require"):
        for name in TEST_EXTRAS:
            if setup_cfg.has_option("options.extras_require", name):
                listed = setup_cfg.get("options.extras_require", name)
                return name, None, "pytest" in listed
    if setup_py and "extras_require" in setup_py:
        tail = setup_py[setup_py.index("extras_require") :][:2000]
        match = _SETUP_PY_EXTRA.search(tail)
        if match:
            return match.group(1), None, "pytest" in tail
    return None, None, False


def _mentions_pytest(requirements: Any) -> bool:
    if not isinstance(requirements, list):
        return False
    return any(isinstance(item, str) and item.strip().startswith("pytest") for item in requirements)


def _pytest_configured(root: Path, pyproject: dict[str, Any], setup_cfg: Any, tox_ini: Any) -> bool:
    return bool(
        dig(pyproject, "tool", "pytest")
        or exists(root, "pytest.ini")
        or exists(root, "conftest.py")
        or exists(root, "tests/conftest.py")
        or (setup_cfg is not None and setup_cfg.has_section("tool:pytest"))
        or (tox_ini is not None and tox_ini.has_section("pytest"))
    )


def _venv_python(os_name: str) -> str:
    return ".venv\\Scripts\\python.exe" if os_name == "windows" else ".venv/bin/python"


def _pip_steps(
    found: _Found,
    installable: bool,
    extra: str | None,
    group: str | None,
    requirements: list[str],
) -> None:
    """A private ``.venv``, then the project (editable) with its test tools, per OS."""
    found.step(
        ["python3", "-m", "venv", ".venv"],
        "Create a private Python environment in .venv, so the project's packages do not mix "
        "with the rest of your computer.",
        UNIX,
    )
    found.step(
        ["py", "-m", "venv", ".venv"],
        "Create a private Python environment in .venv, so the project's packages do not mix "
        "with the rest of your computer.",
        WINDOWS,
    )
    for os_name, tag in (("linux", UNIX), ("windows", WINDOWS)):
        python = _venv_python(os_name)
        if installable:
            target = f".[{extra}]" if extra else "."
            what = f" with its '{extra}' extra (the test tools)" if extra else ""
            found.step(
                [python, "-m", "pip", "install", "-e", target],
                f"Install the project{what} in editable mode: your changes take effect "
                "without reinstalling.",
                tag,
            )
            if group:
                found.step(
                    [python, "-m", "pip", "install", "--group", group],
                    f"Install the '{group}' dependency group (the test tools; needs pip 25.1 "
                    "or newer).",
                    tag,
                )
        else:
            for name in requirements:
                found.step(
                    [python, "-m", "pip", "install", "-r", name],
                    f"Install the packages listed in {name}.",
                    tag,
                )


# -- JavaScript ------------------------------------------------------------------------------

_MANAGERS = {
    "npm": ("package-lock.json", "npm-shrinkwrap.json"),
    "pnpm": ("pnpm-lock.yaml",),
    "yarn": ("yarn.lock",),
    "bun": ("bun.lock", "bun.lockb"),
}


def _node(root: Path, found: _Found) -> None:
    package = read_json(root, "package.json")
    nvmrc = (read_text(root, ".nvmrc") or "").strip()
    node_version = (read_text(root, ".node-version") or "").strip()
    if not isinstance(package, dict):
        if nvmrc:
            found.tool("Node.js", "node", nvmrc.split()[0].removeprefix("v"), ".nvmrc")
        return
    engine = dig_str(package, "engines", "node")
    found.tool(
        "Node.js", "node", engine, "package.json: engines.node" if engine else "package.json"
    )
    if nvmrc:
        found.tool("Node.js", "node", nvmrc.split()[0].removeprefix("v"), ".nvmrc")
    if node_version:
        found.tool("Node.js", "node", node_version.split()[0].removeprefix("v"), ".node-version")

    manager, manager_version, evidence = _package_manager(root, package)
    if manager == "npm":
        npm_engine = dig_str(package, "engines", "npm")
        if npm_engine:
            manager_version, evidence = npm_engine, "package.json: engines.npm"
    found.tool(manager, manager, manager_version, evidence)
    lock = next((name for name in _MANAGERS[manager] if exists(root, name)), None)
    if manager == "npm" and lock:
        found.step(
            ["npm", "ci"],
            f"Install the exact package versions recorded in {lock} into node_modules "
            "(packages may run their own install scripts).",
        )
    else:
        recorded = f" with the versions recorded in {lock}" if lock else ""
        found.step(
            [manager, "install"],
            f"Install the project's packages into node_modules{recorded} (packages may run "
            "their own install scripts).",
        )
    script = dig_str(package, "scripts", "test")
    if script and NPM_PLACEHOLDER_TEST not in script:
        found.test(_TEST_LANGUAGE, [manager, "test"], "Run the tests (the package's test script).")


def _package_manager(root: Path, package: dict[str, Any]) -> tuple[str, str | None, str]:
    """npm, pnpm, yarn or bun: ``packageManager`` first (corepack's field), then lock files."""
    declared = dig_str(package, "packageManager")
    if declared:
        name, _, version = declared.partition("@")
        if name in _MANAGERS:
            return name, version.partition("+")[0] or None, "package.json: packageManager"
    for name, locks in _MANAGERS.items():
        for lock in locks:
            if exists(root, lock):
                return name, None, lock
    return "npm", None, "package.json"


# -- Rust and Go -----------------------------------------------------------------------------


def _rust(root: Path, found: _Found) -> None:
    cargo = read_toml(root, "Cargo.toml")
    if cargo is None:
        return
    wanted = dig_str(cargo, "package", "rust-version")
    evidence = "Cargo.toml: package.rust-version"
    if wanted is None:
        wanted = dig_str(cargo, "workspace", "package", "rust-version")
        evidence = "Cargo.toml: workspace.package.rust-version"
    found.tool("Rust", "cargo", wanted, evidence if wanted else "Cargo.toml", enforced=True)
    channel = dig_str(read_toml(root, "rust-toolchain.toml"), "toolchain", "channel")
    if channel is None:
        plain = (read_text(root, "rust-toolchain") or "").strip()
        channel = plain.split()[0] if plain and "[" not in plain else None
    if channel and re.match(r"^\d+\.\d+", channel):
        found.tool("Rust", "cargo", channel, "rust-toolchain.toml: toolchain.channel")
    found.step(
        ["cargo", "build"],
        "Download the project's dependencies (crates) and compile it once, so later builds "
        "are quick.",
    )
    found.test(_TEST_LANGUAGE, ["cargo", "test"], "Run the tests (cargo test).")


def _go(root: Path, found: _Found) -> None:
    go_mod = read_text(root, "go.mod")
    if go_mod is None:
        return
    match = _GO_DIRECTIVE.search(go_mod)
    found.tool(
        "Go",
        "go",
        match.group(1) if match else None,
        "go.mod: go directive" if match else "go.mod",
    )
    found.step(
        ["go", "build", "./..."],
        "Download the modules the project uses and compile every package once.",
    )
    found.test(_TEST_LANGUAGE, ["go", "test", "./..."], "Run the tests of every package.")


# -- version pins, dev containers, make ------------------------------------------------------

#: asdf/mise plugin names → (toolchain, executable); other plugins are ignored.
_ASDF = {
    "python": ("Python", "python3"),
    "nodejs": ("Node.js", "node"),
    "node": ("Node.js", "node"),
    "rust": ("Rust", "cargo"),
    "golang": ("Go", "go"),
    "go": ("Go", "go"),
}


def _tool_versions(root: Path, found: _Found) -> None:
    text = read_text(root, ".tool-versions")
    if text is None:
        return
    for line in text.splitlines():
        words = line.split("#", 1)[0].split()
        if len(words) >= 2 and words[0] in _ASDF:
            name, executable = _ASDF[words[0]]
            if name == "Python" and found.os_name == "windows":
                executable = "py"
            found.tool(name, executable, words[1], f".tool-versions: {words[0]}")


#: Dev container image and feature names → (toolchain, executable).
_CONTAINER_TOOLS = {
    "python": ("Python", "python3"),
    "node": ("Node.js", "node"),
    "javascript-node": ("Node.js", "node"),
    "typescript-node": ("Node.js", "node"),
    "rust": ("Rust", "cargo"),
    "go": ("Go", "go"),
    "golang": ("Go", "go"),
}
_FEATURE_UNVERSIONED = {"", "latest", "lts", "none", "os-provided", "system"}


def _devcontainer(root: Path, found: _Found) -> None:
    for name in (".devcontainer/devcontainer.json", ".devcontainer.json"):
        config = read_json(root, name, comments=True)
        if isinstance(config, dict):
            break
    else:
        return
    image = dig_str(config, "image")
    if image:
        repository, _, tag = image.rpartition("/")[2].partition(":")
        if repository in _CONTAINER_TOOLS:
            tool, executable = _CONTAINER_TOOLS[repository]
            found.tool(tool, executable, _image_version(tag), f"{name}: image")
    features = config.get("features")
    if isinstance(features, dict):
        for key, options in features.items():
            feature = str(key).rsplit("/", 1)[-1].split(":")[0].split("@")[0]
            if feature not in _CONTAINER_TOOLS:
                continue
            tool, executable = _CONTAINER_TOOLS[feature]
            version = dig_str(options, "version")
            if version is not None and version.strip().lower() in _FEATURE_UNVERSIONED:
                version = None
            found.tool(tool, executable, version, f"{name}: features.{feature}")


def _image_version(tag: str) -> str | None:
    """``1-3.12-bookworm`` → ``3.12`` (the leading ``1-`` is the image's own version)."""
    numbers = [part for part in tag.split("-") if re.fullmatch(r"\d+(?:\.\d+)*", part)]
    if not numbers:
        return None
    dotted = [part for part in numbers if "." in part]
    if dotted:
        return dotted[0]
    return numbers[1] if len(numbers) >= 2 else numbers[0]


def _pre_commit(root: Path, found: _Found) -> None:
    """``.pre-commit-config.yaml``: install pre-commit (into the clone's ``.venv``: ``python``
    here means it) and let git run the project's hooks at each commit in this clone."""
    name = next((n for n in PRE_COMMIT_CONFIGS if (root / n).is_file()), None)
    if name is None:
        return
    found.hooks.append(
        SetupStep(
            ("python", "-m", "pip", "install", "pre-commit"),
            f"Install pre-commit: the project checks each commit with the hooks in {name} "
            "(formatting, spelling, linting), as its CI will.",
        )
    )
    found.hooks.append(
        SetupStep(
            ("python", "-m", "pre_commit", "install"),
            "Make git run those checks at each commit in this clone (pre-commit install). A "
            "commit they stop says what to fix; many hooks fix it themselves: add the files "
            "again and commit.",
        )
    )


def _make(root: Path, found: _Found) -> None:
    for name in MAKEFILES:
        text = read_text(root, name)
        if text is not None:
            break
    else:
        return
    targets = {
        target
        for match in _MAKE_TARGET.finditer(text)
        for target in match.group(1).split()
        if not target.startswith(".")
    }
    found.tool("make", "make", None, name)
    if not found.setup:
        target = next((t for t in MAKE_SETUP_TARGETS if t in targets), None)
        if target == "install":
            found.step(
                ["make", "install"],
                f"Run the {name}'s 'install' target. In some projects it installs the program "
                f"for the whole computer: read the target in {name} first.",
            )
        elif target is not None:
            found.step(
                ["make", target],
                f"Run the {name}'s '{target}' target, which the project uses to set itself up "
                f"(read it in {name} to see what it runs).",
            )
    if "test" in targets:
        found.test(_TEST_MAKE, ["make", "test"], f"Run the tests (the {name}'s 'test' target).")
    elif "check" in targets:
        found.test(
            _TEST_MAKE_CHECK, ["make", "check"], f"Run the tests (the {name}'s 'check' target)."
        )
