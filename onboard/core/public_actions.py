"""One rule for everything onboard does in public: say what, where and as whom, then ask.

Forking, claiming, pushing, opening or readying a pull request and posting a review are seen by
strangers and cannot be taken back quietly. Each is described by a :class:`PublicAction` (the
dialogs in the UI and the CLI's confirmation prompt both render it), and a text that still holds
one of onboard's template placeholders is refused with the reason, so "My plan: <one or two
sentences…>" never reaches a maintainer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum


class ActionKind(Enum):
    FORK = "fork"
    CLAIM = "claim"
    PUSH = "push"
    PULL = "pull"
    #: A pull request opened ready for review at once (``onboard pr --ready``), not as a draft.
    READY_PULL = "ready pull"
    READY = "ready"
    REVIEW = "review"
    COMMENT = "comment"


#: What each kind of action makes visible, in a newcomer's words.
CONSEQUENCES: dict[ActionKind, str] = {
    ActionKind.FORK: (
        "creates a public copy of the project in your account. Anyone can see it; the project's "
        "maintainers see that it was forked. Nothing in the project itself changes."
    ),
    ActionKind.CLAIM: "posts this comment publicly on the issue, under your name.",
    ActionKind.PUSH: "uploads your branch to your fork, where anyone can see it.",
    ActionKind.PULL: (
        "pushes your branch to your fork and opens a draft pull request on the project, under "
        "your name. Drafts invite early feedback and are never merged as they are."
    ),
    ActionKind.READY_PULL: (
        "pushes your branch to your fork and opens a pull request on the project, ready for "
        "review, under your name: maintainers are notified."
    ),
    ActionKind.READY: "marks your pull request ready for review: maintainers are notified.",
    ActionKind.REVIEW: (
        "posts this review publicly on the pull request, under your name (a comment: neither "
        "an approval nor a request for changes)."
    ),
    ActionKind.COMMENT: "posts this comment publicly, under your name.",
}


@dataclass(frozen=True)
class PublicAction:
    """A public action before it happens: shown to the newcomer, confirmed, then done."""

    kind: ActionKind
    #: Where it happens: ``pallets/flask#123`` or ``pallets/flask on GitHub``.
    where: str
    #: The account it happens as; None until the forge has said who is signed in.
    who: str | None = None

    @property
    def consequence(self) -> str:
        return CONSEQUENCES[self.kind]

    def summary(self) -> str:
        """One paragraph: what happens, where, as whom."""
        who = f" as {self.who}" if self.who else ""
        return f"On {self.where}{who}, this {self.consequence}"


# A template placeholder: <words with spaces>, such as "<one or two sentences on your plan>".
# HTML tags (<br>, <img src="…">, <!-- … -->) and autolinks (<https://…>) are not placeholders.
_PLACEHOLDER = re.compile(r"<(?![!/])([a-z][^<>=:/\n]*\s[^<>=:/\n]*)>", re.IGNORECASE)


def placeholders(text: str) -> list[str]:
    """The template placeholders still in ``text``, as written there."""
    return [match.group(0) for match in _PLACEHOLDER.finditer(text)]


def text_problem(text: str, *, what: str = "comment") -> str | None:
    """Why ``text`` must not be posted as it is, or None when it may."""
    if not text.strip():
        return f"The {what} is empty: write what you want to say first."
    left = placeholders(text)
    if left:
        first = left[0] if len(left[0]) <= 60 else left[0][:59] + "…>"
        more = f" (and {len(left) - 1} more)" if len(left) > 1 else ""
        return (
            f"Replace the placeholder {first}{more} with your own words first: it would be "
            "posted as it is."
        )
    return None
