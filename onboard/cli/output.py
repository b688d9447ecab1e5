"""Where a command's text goes: standard output, or a file written whole or not at all.

``onboard report``, ``onboard session summary`` and ``onboard session new`` all offer
``--output``; the file is written atomically (a half-written report is worse than none) and a
failure is one line a newcomer can act on, naming the file and the reason, never a traceback.
"""

from __future__ import annotations

import sys
from pathlib import Path

from onboard.core.storage.fsutil import atomic_write_text


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
