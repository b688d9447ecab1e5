"""Turn text written by strangers into inert, printable text.

Issue titles, bodies, repository descriptions and pack contents reach the terminal. Left alone,
escape sequences could retitle the window, write to the clipboard (OSC 52) or fake links (OSC 8),
and bidi overrides could make text read differently from what it is. This module removes or
reveals all of that; the UI layer adds the markup-neutral wrapping on top.
"""

from __future__ import annotations

import re

# ESC-introduced sequences: CSI, OSC (ended by BEL or ST), DCS/SOS/PM/APC strings, and 2-byte forms.
_ESCAPE_SEQUENCE = re.compile(
    r"""
    \x1b\[[0-?]*[ -/]*[@-~]?            # CSI ... final byte
  | \x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?  # OSC ... BEL or ST
  | \x1b[PX^_][^\x1b]*(?:\x1b\\)?       # DCS, SOS, PM, APC ... ST
  | \x1b[@-Z\\-_]?                      # other 2-character escapes (or a lone ESC)
  | \x9b[0-?]*[ -/]*[@-~]?              # 8-bit CSI
  | \x9d[^\x07\x9c]*[\x07\x9c]?         # 8-bit OSC
    """,
    re.VERBOSE,
)
# C0 controls except tab and newline, DEL, and C1 controls.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Characters that reorder or hide text; shown as a visible marker instead.
_INVISIBLE_FORMAT = re.compile(r"[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
_WHITESPACE_RUN = re.compile(r"\s+")

DEFAULT_MAX_LENGTH = 10_000


def _reveal(match: re.Match[str]) -> str:
    return f"<U+{ord(match.group()):04X}>"


def clean(text: object, *, one_line: bool = False, max_length: int = DEFAULT_MAX_LENGTH) -> str:
    """Return ``text`` without terminal controls, with bidi/invisible characters made visible.

    ``one_line`` folds all whitespace (for titles and table cells); ``max_length`` truncates with
    an ellipsis so a 1 MB title cannot stall the renderer.
    """
    if text is None:
        return ""
    value = str(text)
    if len(value) > 4 * max_length + 64:
        # Cleaning only removes or reveals characters, so what stays visible of a 5 MB body is in
        # its first few max_lengths: do not run the expressions over megabytes that are cut anyway.
        value = value[: 4 * max_length + 64]
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    value = _ESCAPE_SEQUENCE.sub("", value)
    value = _CONTROL.sub("", value)
    value = _INVISIBLE_FORMAT.sub(_reveal, value)
    if one_line:
        value = _WHITESPACE_RUN.sub(" ", value).strip()
    if len(value) > max_length:
        value = value[: max_length - 1] + "…" if max_length > 0 else ""
    return value
