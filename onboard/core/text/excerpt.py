"""The first part of a long Markdown text, cut where a reader would not notice the seam.

Textual's Markdown widget builds one widget per block: an issue body of a few thousand
paragraphs (a pasted log, an emoji storm) takes seconds to show, and the app does not answer
meanwhile. The issue screen shows an excerpt, bounded in characters and in blocks, and says that
the rest is on the forge. The cut falls on a paragraph boundary when one is near, and a code
block left open by the cut is closed, so the excerpt renders as the author meant.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})", re.MULTILINE)


@dataclass(frozen=True)
class Limits:
    """How much to show: characters, and blank-line-separated blocks."""

    max_chars: int
    max_blocks: int


@dataclass(frozen=True)
class Excerpt:
    """``text`` to show; ``left_out`` characters of the original were not shown (0: all was)."""

    text: str
    left_out: int

    @property
    def cut(self) -> bool:
        return self.left_out > 0


def excerpt(markdown: str, limits: Limits) -> Excerpt:
    """At most ``limits.max_chars`` characters and ``limits.max_blocks`` blocks of ``markdown``."""
    max_blocks = limits.max_blocks
    end = min(len(markdown), limits.max_chars)
    at_block = False
    blocks = 0
    position = 0
    while position < end:
        gap = markdown.find("\n\n", position, end)
        if gap < 0:
            break
        blocks += 1
        if blocks >= max_blocks:
            end, at_block = gap, True
            break
        position = gap + 2
    if end >= len(markdown):
        return Excerpt(markdown, 0)
    paragraph = -1 if at_block else markdown.rfind("\n\n", 0, end)
    if paragraph > end // 2:  # a boundary in the second half: cut there, not mid-sentence
        end = paragraph
    text = markdown[:end].rstrip()
    fences = _FENCE.findall(text)
    if len(fences) % 2:  # the cut fell inside a code block: close it with the same fence
        text += "\n" + fences[-1]
    return Excerpt(text, len(markdown) - end)
