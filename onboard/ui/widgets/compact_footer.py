"""Textual's Footer in its compact style, with each key styled once instead of twice.

The footer rebuilds its keys whenever the bindings change: at every focus change and screen
switch. In ``Footer(compact=True)`` each new key learns it is compact only after it is built
(a data binding), and adding the ``-compact`` class then restyles that key on the spot, on
top of the styling it gets when it mounts. With a dozen keys that is a dozen extra style
passes per keystroke that moves the focus: an eighth of a focus change's CPU time and
function calls (``python benchmarks/footer.py``). Here each key carries the class from the
start, so the binding finds nothing to change. What is shown is exactly Textual's compact
footer.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Footer

# FooterKey is not exported from textual.widgets; the class is what Footer.compose yields.
from textual.widgets._footer import FooterKey


class CompactFooter(Footer):
    """``Footer(compact=True)``: short descriptions, little padding, fits 80 columns."""

    def __init__(self) -> None:
        super().__init__(compact=True)

    def compose(self) -> ComposeResult:
        for child in super().compose():
            if isinstance(child, FooterKey):
                child.set_class(True, "-compact", update=False)
            yield child
