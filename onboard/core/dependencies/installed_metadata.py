"""Source links of Python packages installed on this computer, read from their metadata.

An installed package carries its ``Project-URL`` and ``Home-page`` headers in its
``.dist-info/METADATA``, so the question "where is the source of ``requests``?" needs no network
when ``requests`` is installed: in the environment onboard runs in, or in the project's own
virtual environment (``.venv``/``venv``), which is where a project's dependencies usually are.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from importlib.metadata import distributions
from pathlib import Path

from packaging.utils import canonicalize_name

#: Names of virtual environment folders tools create inside a project.
VENV_NAMES = (".venv", "venv", "env", ".env")


def project_site_packages(root: Path) -> list[str]:
    """The ``site-packages`` folders of virtual environments inside the project ``root``."""
    found: list[str] = []
    for name in VENV_NAMES:
        venv = root / name
        if not (venv / "pyvenv.cfg").is_file():
            continue
        candidates = [*venv.glob("lib/python3*/site-packages"), venv / "Lib" / "site-packages"]
        found += [str(path) for path in candidates if path.is_dir()]
    return found


def search_path_for(root: Path) -> list[str]:
    """Where to look for installed packages: the project's environments first, then ours."""
    return [*project_site_packages(root), *sys.path]


def installed_urls(
    name: str, search_path: Sequence[str] | None = None
) -> tuple[tuple[str, str], ...] | None:
    """Labelled links of the installed distribution ``name``, or None when it is not installed.

    ``Project-URL: Source, https://…`` becomes ``("Source", "https://…")``; ``Home-page``
    becomes ``("Homepage", …)``. A distribution with unreadable metadata counts as installed
    without links (it is there; it just does not say where it comes from).
    """
    wanted = canonicalize_name(name)
    path = list(search_path) if search_path is not None else sys.path
    try:
        found = next(iter(distributions(name=wanted, path=path)), None)
    except (OSError, ValueError):
        return None
    if found is None:
        return None
    try:
        metadata = found.metadata
        project_urls = metadata.get_all("Project-URL") or []
        home_page = metadata.get("Home-page")
    except (OSError, ValueError, UnicodeDecodeError):
        return ()
    urls: list[tuple[str, str]] = []
    for entry in project_urls:
        label, comma, url = str(entry).partition(",")
        if comma and url.strip():
            urls.append((label.strip(), url.strip()))
    if home_page and str(home_page).strip() and str(home_page).strip() != "UNKNOWN":
        urls.append(("Homepage", str(home_page).strip()))
    return tuple(urls)
