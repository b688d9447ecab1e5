"""The one door through which untrusted text reaches the screen.

Textual treats plain ``str`` in most widgets as markup: a title containing ``[/]`` crashes the app
and ``[@click=app.quit]`` becomes a live action. A Rich :class:`~rich.text.Text` is never parsed
for markup, and :func:`onboard.core.text.sanitize.clean` removes terminal escapes and reveals bidi
controls, so the pair makes any string inert.
"""

from __future__ import annotations

from rich.text import Text

from onboard.core.text.sanitize import DEFAULT_MAX_LENGTH, clean


def safe_text(
    value: object,
    *,
    style: str = "",
    one_line: bool = True,
    max_length: int = DEFAULT_MAX_LENGTH,
) -> Text:
    """``value`` as inert text: no markup, no control sequences, bounded length."""
    return Text(clean(value, one_line=one_line, max_length=max_length), style=style, end="")


def safe_markdown(value: object, *, max_length: int = 100_000) -> str:
    """Markdown source for the Markdown widget (which never interprets Rich markup)."""
    return clean(value, one_line=False, max_length=max_length)
