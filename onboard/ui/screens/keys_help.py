"""``?``: every key of the screen you are on, and the app's, read from Textual's own bindings.

The list is made from ``Screen.active_bindings`` at the moment ``?`` is pressed: the bindings
Textual would act on right then (the focused widget's, the screen's, the app's), with those
that ``check_action`` hides left out and those it disables marked, so it can never fall behind
the code the way a hand-written list does. Keys are drawn by ``App.get_key_display``, as in the
footer. Textual's own key panel (``App.action_show_help_panel``) lists the bindings of the
screen it is mounted on, as a column that takes a third of an 80-column terminal; this dialog
lists the screen *beneath* it and goes away with Esc.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from rich.table import Table
from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import ActiveBinding, Binding
from textual.containers import Vertical, VerticalScroll
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Input, Log, Markdown, OptionList, Static, TextArea

#: What the keys of a focused widget are "in", by kind of widget.
_WIDGET_PLACES: tuple[tuple[type[DOMNode], str], ...] = (
    (DataTable, "In the list"),
    (OptionList, "In the list"),
    (Input, "While typing in a field"),
    (TextArea, "While editing the text"),
    (Log, "In the log"),
    (Markdown, "In the text"),
)


#: The actions every Textual screen binds (focus next and previous, copy).
_EVERY_SCREEN = frozenset(
    binding.action for binding in Screen.BINDINGS if isinstance(binding, Binding)
)


@dataclass(frozen=True)
class KeyRow:
    keys: str
    description: str
    tooltip: str
    enabled: bool


@dataclass(frozen=True)
class KeySection:
    title: str
    rows: tuple[KeyRow, ...]


def key_sections(
    screen: Screen[object],
    app: App[object],
    bindings: Mapping[str, ActiveBinding] | None = None,
) -> list[KeySection]:
    """The keys that work on ``screen`` now, grouped: this screen, the focused widget, the app.

    Keys bound to the same action are listed together ("? f3"); bindings without a description
    and Textual's system bindings are left out, as Textual's own key panel does.
    """
    active = screen.active_bindings if bindings is None else bindings
    by_place: dict[DOMNode, dict[str, list[tuple[Binding, bool]]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for namespace, binding, enabled, _tooltip in active.values():
        if binding.system or not binding.description:
            continue
        # Textual's own screen keys (Tab, copy) work on every screen: listed with the app's.
        place = app if namespace is screen and binding.action in _EVERY_SCREEN else namespace
        by_place[place][binding.action].append((binding, enabled))
    order = [node for node in by_place if node is screen]
    order += [node for node in by_place if node is not screen and node is not app]
    order += [node for node in by_place if node is app]
    sections: list[KeySection] = []
    for node in order:
        rows = tuple(_row(found, app.get_key_display) for found in by_place[node].values() if found)
        sections.append(KeySection(_place(node, screen, app), rows))
    return sections


def _row(found: list[tuple[Binding, bool]], key_display: Callable[[Binding], str]) -> KeyRow:
    binding = found[0][0]
    keys = " ".join(dict.fromkeys(key_display(each) for each, _enabled in found))
    return KeyRow(keys, binding.description, binding.tooltip, any(on for _b, on in found))


def _place(node: DOMNode, screen: Screen[object], app: App[object]) -> str:
    if node is screen:
        return "On this screen"
    if node is app:
        return "Everywhere"
    for kind, place in _WIDGET_PLACES:
        if isinstance(node, kind):
            return place
    return node.BINDING_GROUP_TITLE or "In the part you are in"


def render_sections(sections: list[KeySection]) -> Table:
    table = Table.grid(padding=(0, 2))
    table.add_column(justify="right", no_wrap=True)
    table.add_column(ratio=1)
    for index, section in enumerate(sections):
        if index:
            table.add_row("", "")
        table.add_row("", Text.assemble((section.title, "bold underline")))
        for row in section.rows:
            style = "" if row.enabled else "dim"
            what = Text(row.description, style=style, end="")
            if row.tooltip:
                what.append(f"  {row.tooltip}", style="dim")
            if not row.enabled:
                what.append("  (not now)", style="dim italic")
            table.add_row(Text(row.keys, style="bold" if row.enabled else "dim"), what)
    return table


class KeysScreen(ModalScreen[None]):
    """Lists :func:`key_sections` of the screen beneath; Esc (or ``?``) closes it."""

    CSS_PATH = "keys_help.tcss"
    BINDINGS = [
        Binding("escape", "dismiss(None)", "Close"),
        Binding("question_mark", "dismiss(None)", "Close", key_display="?", show=False),
    ]

    def __init__(self, sections: list[KeySection], screen_name: str) -> None:
        super().__init__()
        self.sections = sections
        self.screen_name = screen_name

    def compose(self) -> ComposeResult:
        with Vertical(id="keys-dialog") as dialog:
            dialog.border_title = f"Keys · {self.screen_name}" if self.screen_name else "Keys"
            dialog.border_subtitle = "Esc closes"
            with VerticalScroll(id="keys-scroll"):
                yield Static(render_sections(self.sections), id="keys-list")
            yield Static(
                "Ctrl+P: the command palette, to find any action by name.",
                id="keys-palette",
                classes="muted",
            )
