"""The command line's side of the one rule for public actions: show what, where, as whom; ask.

:class:`~onboard.core.public_actions.PublicAction` words the preview exactly as the app's dialog
does, so the same fork, comment or pull request is described the same way in both. On a
terminal the preview goes to standard error (standard output keeps only the result a script
reads) and the answer is read from standard input; only "y" or "yes" agrees, anything else,
an empty line included, is no. Without a terminal nobody can be asked, so nothing public
happens unless the command line itself said ``--yes``.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

from onboard.core.public_actions import PublicAction
from onboard.core.text.sanitize import clean

#: How much of a text the preview shows: a pasted log should not scroll the question away.
MAX_PREVIEW_CHARS = 4000


class NoTerminal(Exception):
    """A public action was asked for without ``--yes`` and with no terminal to ask on (exit 2)."""


class Declined(Exception):
    """The person at the terminal said no: nothing was done."""


def confirm_public(
    action: PublicAction,
    *,
    yes: bool,
    question: str,
    who: Callable[[], str | None] = lambda: None,
    heading: str | None = None,
    title: str | None = None,
    text: str | None = None,
) -> None:
    """Return when ``action`` may go ahead; raise :class:`NoTerminal` or :class:`Declined`.

    ``who`` names the signed-in account; it is asked only when there is someone to show it to.
    """
    if yes:
        return
    if not sys.stdin.isatty():
        raise NoTerminal(
            f"{action.kind.value}: nothing public happens without your confirmation, and there "
            "is no terminal to ask you on; pass --yes to confirm"
        )
    shown = PublicAction(action.kind, action.where, action.who or who())
    lines = [clean(heading, one_line=True, max_length=200)] if heading else []
    lines.append(clean(shown.summary(), one_line=True, max_length=1000))
    if title is not None:
        lines.append(f"Title: {clean(title, one_line=True, max_length=300)}")
    if text is not None:
        lines.append("----")
        lines.extend(f"  {line}" for line in clean(text, max_length=MAX_PREVIEW_CHARS).splitlines())
        lines.append("----")
    print("\n".join(lines), file=sys.stderr)
    print(f"{question} [y/N] ", end="", file=sys.stderr, flush=True)
    answer = sys.stdin.readline()
    if answer.strip().lower() not in {"y", "yes"}:
        raise Declined("Nothing was done.")
