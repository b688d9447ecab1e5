"""How to install or update a tool, per operating system, in one or two copyable lines.

A newcomer told "node is missing" still has to find out how to get it; these hints name the
usual, official route on each system (the distribution's package manager on Linux, Homebrew on
macOS, winget on Windows, or the tool's own installer where the community uses that instead).
"""

from __future__ import annotations

import re

_PYTHON = {
    "linux": "sudo apt install python3 python3-venv (Debian, Ubuntu) or sudo dnf install python3 "
    "(Fedora)",
    "macos": "brew install python, or the installer from https://www.python.org/downloads/",
    "windows": "winget install --id Python.Python.3.12 -e, or https://www.python.org/downloads/",
}
_NODE = {
    "linux": "use nvm (https://github.com/nvm-sh/nvm): nvm install --lts",
    "macos": "brew install node, or nvm (https://github.com/nvm-sh/nvm): nvm install --lts",
    "windows": "winget install --id OpenJS.NodeJS.LTS -e",
}
_PIPX = (
    "pipx install {tool} (pipx itself: sudo apt install pipx on Debian and Ubuntu), or into the "
    "project's .venv: .venv/bin/python -m pip install {tool}"
)
_RUST = "use rustup from https://rustup.rs (it brings cargo)"
_MAKE = {
    "linux": "sudo apt install make (Debian, Ubuntu) or sudo dnf install make (Fedora)",
    "macos": "xcode-select --install (Apple's command line tools include make)",
    "windows": "winget install --id GnuWin32.Make -e, or work inside WSL",
}

HINTS: dict[str, dict[str, str] | str] = {
    "git": {
        "linux": "sudo apt install git (Debian, Ubuntu) or sudo dnf install git (Fedora)",
        "macos": "brew install git, or xcode-select --install",
        "windows": "winget install --id Git.Git -e --source winget",
    },
    "python3": _PYTHON,
    "python": _PYTHON,
    "py": _PYTHON,
    "node": _NODE,
    "npm": {
        **_NODE,
        "linux": "npm comes with Node.js; on Debian/Ubuntu it is a separate package: "
        "sudo apt install npm (or use nvm: nvm install --lts)",
    },
    "yarn": "npm install --global yarn (or: corepack enable)",
    "pnpm": "npm install --global pnpm (or: corepack enable)",
    "bun": "see https://bun.sh for the installer",
    "cargo": _RUST,
    "rustc": _RUST,
    "go": {
        "linux": "download Go from https://go.dev/dl/ (distribution packages are often old)",
        "macos": "brew install go, or https://go.dev/dl/",
        "windows": "winget install --id GoLang.Go -e",
    },
    "make": _MAKE,
    # Never ``pip install --user``: Debian's and Ubuntu's system Python refuse it (PEP 668).
    "tox": _PIPX.format(tool="tox"),
    "nox": _PIPX.format(tool="nox"),
    "poetry": "pipx install poetry (see https://python-poetry.org/docs/#installation)",
    "uv": "pipx install uv (or the installer at https://docs.astral.sh/uv/)",
    "pre-commit": _PIPX.format(tool="pre-commit"),
    "pipx": {
        "linux": "sudo apt install pipx (Debian, Ubuntu) or sudo dnf install pipx (Fedora)",
        "macos": "brew install pipx",
        "windows": "py -m pip install --user pipx",
    },
    "gh": "see https://cli.github.com for your system's package",
}

_UPGRADES = {
    "Python": "use https://www.python.org/downloads/ or pyenv "
    "(https://github.com/pyenv/pyenv), then recreate .venv with it",
    "Node.js": "nvm install {plain} && nvm use {plain} (https://github.com/nvm-sh/nvm)",
    "Rust": "rustup update (or: rustup install {plain})",
    "Go": "download it from https://go.dev/dl/",
}


def install_hint(executable: str, os_name: str) -> str:
    """How to install ``executable`` on ``os_name`` (linux/macos/windows), as one sentence.

    Commands are quoted exactly (never capitalised): they are meant to be copied.
    """
    hint = HINTS.get(executable)
    if isinstance(hint, dict):
        how = hint.get(os_name, hint["linux"])
    elif hint is not None:
        how = hint
    else:
        how = (
            "see the project's README or CONTRIBUTING guide, then open a new terminal so it is "
            "on your PATH"
        )
    return f"To install {executable}: {how}."


def upgrade_hint(tool: str, executable: str, wanted: str, os_name: str) -> str:
    """How to get a version of ``tool`` that fits ``wanted``."""
    template = _UPGRADES.get(tool)
    if template is None:
        return f"Get a version of {executable} that fits {wanted}. " + install_hint(
            executable, os_name
        )
    number = re.search(r"\d+(?:\.\d+)*", wanted)
    how = template.format(wanted=wanted, plain=number.group() if number else wanted)
    return f"To get {tool} {wanted}: {how}."
