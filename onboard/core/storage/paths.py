"""Where onboard keeps things on disk.

platformdirs picks each OS's convention and honours ``XDG_*`` on Linux, so tests (and users who
want a portable setup) redirect everything with environment variables alone.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "onboard"


def data_dir() -> Path:
    """Progress state, installed packs, the practice forge's repositories."""
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def cache_dir() -> Path:
    """Forge responses that can be thrown away and fetched again."""
    return Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False))


def state_path() -> Path:
    return data_dir() / "state.json"


def practice_dir() -> Path:
    return data_dir() / "practice-forge"


def workspace_dir() -> Path:
    """Where clones go: a visible folder in the home directory, since people edit code there.

    ``ONBOARD_WORKSPACE`` overrides it.
    """
    override = os.environ.get("ONBOARD_WORKSPACE")
    if override:
        return Path(override).expanduser()
    return Path.home() / "onboard-projects"


def display_path(path: str | Path) -> str:
    """``path`` with the home directory shown as ``~``: shorter, and no user name on screen."""
    target = Path(path)
    try:
        return str(Path("~") / target.relative_to(Path.home()))
    except ValueError:
        return str(target)
