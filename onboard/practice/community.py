"""Which community health files a repository really has, found the way GitHub looks for them.

GitHub's community profile (``GET /repos/{o}/{r}/community/profile``) reports README,
CONTRIBUTING, CODE_OF_CONDUCT, LICENSE and the issue and pull request templates. It looks in the
repository root, in ``.github/`` and in ``docs/``, ignores case and extension, and accepts a
template folder (``.github/ISSUE_TEMPLATE/``) as well as a single file. The practice forge reads
the default branch's git tree, so adding a CODE_OF_CONDUCT.md in a practice pull request and
merging it changes the profile, as on GitHub.
"""

from __future__ import annotations

import re
from pathlib import Path

from onboard.practice.gitdaemon import run_git

#: Profile keys and the file names (without extension, upper case) that satisfy them.
KINDS: dict[str, tuple[str, ...]] = {
    "readme": ("README",),
    "contributing": ("CONTRIBUTING",),
    "code_of_conduct_file": ("CODE_OF_CONDUCT", "CODE-OF-CONDUCT"),
    "license": ("LICENSE", "LICENCE", "COPYING"),
    "issue_template": ("ISSUE_TEMPLATE",),
    "pull_request_template": ("PULL_REQUEST_TEMPLATE",),
}
#: Where each kind may live; a LICENSE only counts at the root, as in GitHub's licence detection.
_FOLDERS: dict[str, tuple[str, ...]] = {
    "license": ("",),
}
_DEFAULT_FOLDERS = ("", ".github/", "docs/")
_EXTENSIONS = re.compile(r"^(?P<stem>[^.]+)(?:\.(?:md|markdown|txt|rst|adoc|org))?$", re.IGNORECASE)


def _stem(name: str) -> str | None:
    match = _EXTENSIONS.match(name)
    return match.group("stem").upper() if match else None


def find_files(bare: Path, commit: str) -> dict[str, str | None]:
    """Path of each :data:`KINDS` file on ``commit`` of the bare repository, or ``None``.

    Folders are searched in GitHub's order (root, ``.github/``, ``docs/``); the first match wins.
    """
    listing = run_git(["ls-tree", "-r", "-t", "-z", "--name-only", commit], cwd=bare).stdout
    paths = [p.decode("utf-8", "replace") for p in listing.split(b"\0") if p]
    found: dict[str, str | None] = {}
    for kind, stems in KINDS.items():
        found[kind] = None
        for folder in _FOLDERS.get(kind, _DEFAULT_FOLDERS):
            match = next(
                (
                    path
                    for path in paths
                    if path.lower().startswith(folder)
                    and "/" not in path[len(folder) :]
                    and _stem(path[len(folder) :]) in stems
                ),
                None,
            )
            if match is not None:
                found[kind] = match
                break
    return found


def read_file(bare: Path, commit: str, path: str, limit: int = 64 * 1024) -> str:
    """The start of a file's text (enough to recognise a known code of conduct)."""
    proc = run_git(["cat-file", "blob", f"{commit}:{path}"], cwd=bare, check=False)
    return proc.stdout[:limit].decode("utf-8", "replace") if proc.returncode == 0 else ""
