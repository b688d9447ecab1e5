"""A commit message exactly as git will store it, so the preview shows the real commit.

onboard commits with ``git commit --cleanup=whitespace`` (``#`` lines are kept: ``#123`` at the
start of a line is an issue reference, not a comment) and ``-s`` when the project asks for a
sign-off; :func:`final_message` applies the same two rules, and a test holds them to git's.
"""

from __future__ import annotations

import re

_TRAILER = re.compile(r"^[A-Za-z0-9-]+: \S")
SIGN_OFF = "Signed-off-by"


def normalise(message: str) -> str:
    """git's ``whitespace`` clean-up: no trailing spaces, one blank line at most, no edges."""
    lines = [line.rstrip() for line in message.replace("\r\n", "\n").split("\n")]
    kept: list[str] = []
    for line in lines:
        if not line and (not kept or not kept[-1]):
            continue
        kept.append(line)
    while kept and not kept[-1]:
        kept.pop()
    return "\n".join(kept) + "\n" if kept else ""


def sign_off_line(name: str, email: str) -> str:
    return f"{SIGN_OFF}: {name} <{email}>"


def is_signed_off(message: str) -> bool:
    return any(line.startswith(f"{SIGN_OFF}: ") for line in message.splitlines())


def final_message(message: str, *, sign_off: tuple[str, str] | None = None) -> str:
    """``message`` as the commit will hold it; ``sign_off`` is ``(name, email)`` for ``-s``.

    Like git, the trailer joins the last paragraph when that paragraph is all trailers, and is
    not repeated when it is already the last line.
    """
    text = normalise(message)
    if sign_off is None:
        return text
    line = sign_off_line(*sign_off)
    lines = text.rstrip("\n").split("\n") if text else []
    if lines and lines[-1] == line:
        return text
    last_paragraph: list[str] = []
    for item in reversed(lines):
        if not item:
            break
        last_paragraph.insert(0, item)
    joins = len(lines) > len(last_paragraph) and _is_trailer_block(last_paragraph)
    separator = "\n" if joins else "\n\n"
    return ("\n".join(lines) + separator if lines else "") + line + "\n"


def subject_of(message: str) -> str:
    return normalise(message).split("\n", 1)[0]


def _is_trailer_block(paragraph: list[str]) -> bool:
    """git's rule: all lines are trailers, or a quarter are and one is git's own sign-off."""
    trailers = [line for line in paragraph if _TRAILER.match(line)]
    if len(trailers) == len(paragraph):
        return True
    own = any(line.startswith(f"{SIGN_OFF}: ") for line in paragraph)
    return own and len(trailers) * 4 >= len(paragraph)
