"""The reports a mentor points at: files, and folders that learners drop their reports into.

In a workshop the simplest collection point is a shared folder (a network share, a synced
folder, a USB stick going round): every learner writes ``onboard report --format json --output
FOLDER/NAME.json``. :func:`report_files` turns the mentor's paths into the files to read (every
``*.json`` directly in a folder; files named explicitly are always kept, so a missing one is
reported rather than dropped), and :func:`fingerprint` lets a live dashboard re-read them only
when something was added, removed or rewritten, at the cost of one ``stat`` per file.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from onboard.core.sessions.cohort import ReportFileError

#: Files read from one folder at most: a cohort is dozens of learners, not an archive.
MAX_FOLDER_FILES = 1_000

#: One file's identity for change detection: (path, modification time in ns, size); -1 when
#: the file cannot be looked at (it then counts as changed once it can).
Fingerprint = tuple[tuple[str, int, int], ...]


def report_files(paths: Sequence[Path]) -> tuple[list[Path], list[ReportFileError]]:
    """The report files ``paths`` name, in a stable order, and why a folder could not be listed.

    Hidden files (``.NAME.json``) are skipped: they are what editors and file-syncing tools
    write while a file is on its way, not reports.
    """
    files: list[Path] = []
    problems: list[ReportFileError] = []
    for path in paths:
        if not path.is_dir():
            files.append(path)
            continue
        try:
            with os.scandir(path) as entries:
                names = sorted(
                    entry.name
                    for entry in entries
                    if entry.name.endswith(".json") and not entry.name.startswith(".")
                )
        except OSError as error:
            problems.append(ReportFileError(path, f"folder cannot be read: {error.strerror}"))
            continue
        if len(names) > MAX_FOLDER_FILES:
            problems.append(
                ReportFileError(
                    path,
                    f"holds {len(names):,} .json files; only the first {MAX_FOLDER_FILES:,} "
                    "(by name) are read",
                )
            )
        files.extend(path / name for name in names[:MAX_FOLDER_FILES])
    unique = list(dict.fromkeys(files))  # a file named and also in a named folder: read once
    return unique, problems


def fingerprint(files: Sequence[Path]) -> Fingerprint:
    """What changes when any of ``files`` is added, removed, rewritten or replaced."""
    marks = []
    for file in files:
        try:
            info = file.stat()
        except OSError:
            marks.append((str(file), -1, -1))
        else:
            marks.append((str(file), info.st_mtime_ns, info.st_size))
    return tuple(marks)
