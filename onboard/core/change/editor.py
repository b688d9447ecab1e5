"""Which editor "Open in my editor" starts: ``$VISUAL``, ``$EDITOR``, else one that is installed.

Pure: the environment and a ``which`` are passed in. ``code`` needs ``--wait``, or it returns at
once and onboard would come back while the file is still open.
"""

from __future__ import annotations

import shlex
from collections.abc import Callable, Mapping

#: Tried in this order when neither variable is set: friendly first.
DETECTED: tuple[str, ...] = ("code", "nano", "vim", "vi")
_WAIT_FLAGS = {"code": "--wait", "codium": "--wait", "subl": "--wait", "gedit": "--wait"}


def editor_command(env: Mapping[str, str], which: Callable[[str], str | None]) -> list[str] | None:
    """The command (program and options) to run with a path appended, or None when none."""
    for variable in ("VISUAL", "EDITOR"):
        value = env.get(variable, "").strip()
        if value:
            try:
                words = shlex.split(value)
            except ValueError:
                continue
            if words and which(words[0]):
                return _with_wait(words)
    for name in DETECTED:
        found = which(name)
        if found:
            return _with_wait([found])
    return None


def _with_wait(words: list[str]) -> list[str]:
    program = words[0].rsplit("/", 1)[-1]
    flag = _WAIT_FLAGS.get(program)
    if flag and flag not in words and "-w" not in words:
        return [*words, flag]
    return words
