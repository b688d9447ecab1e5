"""Guide packs written to disk for setup-step tests, loaded the way the app loads them."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import tomli_w

from onboard.core.packs.loading import Pack, load_pack

REPO = "practice/tiny-calc"


def python_argv(code: str) -> list[str]:
    """A step that runs ``code`` with this interpreter (one line: packs forbid control chars)."""
    return [sys.executable, "-c", code]


def write_pack(
    folder: Path,
    steps: list[dict[str, Any]],
    *,
    test_command: list[str] | None = None,
    guide: str = "# Welcome\n",
    name: str = "team",
    translations: dict[str, str] | None = None,
    repo: str = REPO,
) -> Pack:
    """Write ``pack.toml`` and its guide into ``folder`` (again, to change them) and load it."""
    folder.mkdir(parents=True, exist_ok=True)
    project: dict[str, Any] = {"repo": repo, "setup": steps}
    if test_command:
        project["test_command"] = test_command
    data: dict[str, Any] = {
        "format": 1,
        "name": name,
        "title": "A team's pack",
        "forge": "practice",
        "projects": [project],
        "guides": [{"id": "welcome", "title": "Welcome", "file": "welcome.md"}],
    }
    if translations:
        data["guides"][0]["translations"] = translations
    (folder / "pack.toml").write_text(tomli_w.dumps(data), encoding="utf-8")
    (folder / "welcome.md").write_text(guide, encoding="utf-8")
    return load_pack(folder)
