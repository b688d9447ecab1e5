"""Which files this process opens: an audit hook, so no way of opening a file escapes it.

Used to prove that what a symbolic link points to is never read, not just never shown.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def files_opened() -> Iterator[list[str]]:
    """The paths opened inside the ``with`` block (audit hooks cannot be removed: switched off)."""
    paths: list[str] = []
    active = [True]

    def hook(event: str, args: tuple[object, ...]) -> None:
        if active[0] and event == "open" and args and isinstance(args[0], str | bytes | Path):
            paths.append(os.fsdecode(args[0]))  # type: ignore[arg-type]

    sys.addaudithook(hook)
    try:
        yield paths
    finally:
        active[0] = False
