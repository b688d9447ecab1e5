"""Where a command's text goes: standard output, a file written whole or not at all, or a line
on standard error.

``onboard report``, ``onboard session summary`` and ``onboard session new`` all offer
``--output``; the file is written atomically (a half-written report is worse than none) and a
failure is one line a newcomer can act on, naming the file and the reason, never a traceback.
Much of what the commands print comes from files and servers onboard does not control, so the
helpers here print it as inert text (:func:`~onboard.core.text.sanitize.clean`).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from onboard.core.storage.fsutil import atomic_write_text
from onboard.core.text.sanitize import clean

if TYPE_CHECKING:
    from onboard.core.schemas.problems import Problem


def write_output(path: Path | None, text: str) -> bool:
    """Write ``text`` to ``path``, or to standard output when ``path`` is None.

    Returns False after telling standard error why the file could not be written; the caller
    then exits with status 1. Saying what was written is left to the caller: each command
    words its own next step.
    """
    if path is None:
        sys.stdout.write(text)
        return True
    try:
        atomic_write_text(path, text)
    except OSError as error:
        reason = (error.strerror or type(error).__name__).lower()
        print(f"onboard: cannot write {path}: {reason}", file=sys.stderr)
        return False
    return True


def print_json(data: object) -> None:
    """``--json``: ``data`` indented, non-ASCII text as itself (a name in another script)."""
    print(json.dumps(data, indent=2, ensure_ascii=False))


def tell(message: object, *, one_line: bool = False) -> None:
    """``onboard: MESSAGE`` on standard error, as inert text."""
    print(f"onboard: {clean(message, one_line=one_line)}", file=sys.stderr)


def fail(message: object, *, one_line: bool = False) -> int:
    """:func:`tell` ``message`` and return exit status 1: ``return fail(error)``."""
    tell(message, one_line=one_line)
    return 1


def problem_line(problem: object) -> str:
    """A problem in a file (a pack's, a session's, a manifest's) as one line of inert text."""
    return clean(str(problem), one_line=True, max_length=1000)


def print_validation(
    what: str,
    path: Path,
    problems: Sequence[Problem],
    *,
    valid: bool,
    counted: int,
    as_json: bool,
) -> int:
    """A ``validate`` command's result; returns its exit status (0 valid, 1 invalid).

    ``--json``: ``{WHAT: PATH, "valid": ..., "problems": [...]}``. Otherwise one line per
    problem on standard output, then the verdict on standard error: ``PATH: valid``, or
    ``PATH: invalid (COUNTED problems)``.
    """
    if as_json:
        print_json({what: str(path), "valid": valid, "problems": [p.to_json() for p in problems]})
    else:
        for problem in problems:
            print(problem_line(problem))
        verdict = "valid" if valid else f"invalid ({counted} problems)"
        print(f"{path}: {verdict}", file=sys.stderr)
    return 0 if valid else 1
