"""Untrusted text made inert inside Markdown that people paste into forges, wikis and chats.

Reports carry learners' free text ("I'm stuck: ...") and names; a cohort summary carries text
from files other people sent. Rendered as Markdown (GitHub, GitLab, a wiki), such text could
inject links, images that call home, HTML, emphasis, or break a table. :func:`md_text` escapes
it so it shows exactly as typed, while staying readable as plain text:

- ``<`` ``>`` ``&`` become HTML entities, inert in every renderer (CommonMark or not);
- the characters that start inline constructs anywhere in a line (`````, ``*``, ``_``, ``[``,
  ``]``, ``|``, ``~``, ``$``, ``\\``) are backslash-escaped, so no link, image, emphasis, code,
  strike-through, math or table cell can begin;
- a leading ``#``, ``+``, ``-``, ``=`` or ``1.`` is escaped, so no heading or list can begin;
- line breaks fold into spaces, so nothing can start a new block.

Plain ``http://`` text may still be shown as a link by renderers that autolink; its text is
the address itself, so it cannot pretend to be something else.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from onboard.core.text.sanitize import clean

_INLINE = {ord(ch): "\\" + ch for ch in "\\`*_[]|~$"}
_INLINE.update({ord("<"): "&lt;", ord(">"): "&gt;", ord("&"): "&amp;"})
_BLOCK_START = re.compile(r"^(?:[#+\-=]|\d+(?=[.)]))")
#: What an http(s) autolink may contain here: no spaces, quotes, angle brackets, backslashes,
#: backticks or pipes, so ``<URL>`` can neither end early nor break out of a table cell.
_SAFE_URL = re.compile(
    r"https?://[A-Za-z0-9.\-]+(?::\d{1,5})?(?:/[A-Za-z0-9._~:/?#@!$&()*+,;=%\-]*)?"
)


def md_text(value: object, *, max_length: int = 1_000) -> str:
    """``value`` as one line of inert Markdown text (terminal controls removed too)."""
    text = clean(value, one_line=True, max_length=max_length).translate(_INLINE)
    match = _BLOCK_START.match(text)
    if match:
        end = match.end()
        if text[:1].isdigit():  # "1." or "1)": escape the delimiter after the digits
            return f"{text[:end]}\\{text[end:]}"
        return f"\\{text}"
    return text


def md_code(value: object, *, max_length: int = 200) -> str:
    """A short identifier shown as code; backticks inside cannot close it early."""
    text = clean(value, one_line=True, max_length=max_length).replace("`", "'")
    text = text.replace("|", "\\|")  # a pipe ends a table cell even inside code
    return f"`{text}`" if text else ""


def md_url(value: object) -> str:
    """A clickable ``<https://...>`` when the URL is plainly safe, else inert text."""
    text = clean(value, one_line=True, max_length=2_000)
    if _SAFE_URL.fullmatch(text):
        return f"<{text}>"
    return md_text(text, max_length=2_000)


def md_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    """A GitHub-flavoured table; cells must already be escaped (see :func:`md_text`)."""
    lines = [
        "| " + " | ".join(headers) + " |",
        "| " + " | ".join("---" for _ in headers) + " |",
    ]
    lines += ["| " + " | ".join(cell or " " for cell in row) + " |" for row in rows]
    return lines
