"""Column widths that fit the words: short columns whole, long ones sharing what is left.

A table of issues has columns that must never be cut ("● free", "#12", "10 days ago") and
columns that can be as long as a stranger likes (a title, the reasons a row is suggested). Fixed
widths cut both kinds mid-word and, on a narrow terminal, push the last columns off-screen. Here
each column is as wide as its widest cell; when the table is too wide for the room it has, only
the *flexible* columns give way, in proportion to their weight, and a cell too long for its
column is shortened at a word boundary and ends with "…". Pure functions (Rich text only, no
Textual), so they are tested without a terminal; :class:`~onboard.ui.widgets.fitted_table.
FittedTable` applies them to a ``DataTable`` whenever its rows or its width change.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from rich.cells import cell_len, get_character_cell_size
from rich.text import Text

ELLIPSIS = "…"
#: Characters that should not end a shortened cell ("no PR ·…" reads better as "no PR…").
_TRAILING = " \t·,;:-–—/|"


@dataclass(frozen=True)
class ColumnSpec:
    """One column: its key and heading, and whether it may give way when room is short.

    ``flex`` 0 means the column is always as wide as its widest cell (never cut); a positive
    ``flex`` is the column's share of the room left by the others. ``min_width`` is the least a
    flexible column gets: below that the table scrolls sideways rather than show nothing, or,
    for an ``optional`` column (one whose words the screen also shows elsewhere), the column is
    left out and its room goes to the others. ``max_width`` caps a column that would otherwise
    grow with one very long cell.
    """

    key: str
    label: str
    flex: int = 0
    min_width: int = 8
    max_width: int | None = None
    optional: bool = False


def natural_widths(
    specs: Sequence[ColumnSpec], rows: Iterable[Sequence[Text | str]]
) -> dict[str, int]:
    """Each column's width if nothing were cut: its widest cell or heading, up to its cap."""
    widths = {spec.key: cell_len(spec.label) for spec in specs}
    for row in rows:
        for spec, cell in zip(specs, row, strict=False):
            length = cell.cell_len if isinstance(cell, Text) else cell_len(cell)
            widths[spec.key] = max(widths[spec.key], length)
    for spec in specs:
        if spec.max_width is not None:
            widths[spec.key] = min(widths[spec.key], spec.max_width)
    return widths


def fit_widths(
    specs: Sequence[ColumnSpec], natural: Mapping[str, int], available: int, padding: int = 1
) -> dict[str, int]:
    """Widths of the columns shown in ``available`` cells, each taking ``2 * padding`` more.

    Fixed columns keep their natural width. Flexible columns share the rest: one that needs less
    than its share keeps its natural width and leaves the difference to the others (so a short
    "Why" never wastes room a long title could use); the others split what remains by weight,
    never below ``min_width``. An optional column that would get less than its ``min_width`` is
    left out (absent from the result), the last one first.
    """
    shown = list(specs)
    while True:
        widths = _shares(shown, natural, available, padding)
        starved = [spec for spec in shown if spec.optional and widths[spec.key] < spec.min_width]
        if not starved:
            break
        shown.remove(starved[-1])
    return {
        spec.key: max(widths[spec.key], spec.min_width if spec.flex > 0 else 0) for spec in shown
    }


def _shares(
    specs: Sequence[ColumnSpec], natural: Mapping[str, int], available: int, padding: int
) -> dict[str, int]:
    """Each column's width before minimums: natural, or a flexible column's share of the room."""
    widths = {spec.key: natural.get(spec.key, 0) for spec in specs}
    flexible = [spec for spec in specs if spec.flex > 0]
    fixed_room = sum(widths[spec.key] for spec in specs if spec.flex <= 0)
    room = available - fixed_room - 2 * padding * len(specs)
    if sum(widths[spec.key] for spec in flexible) <= room:
        return widths
    waiting = list(flexible)
    while waiting:
        weight = sum(spec.flex for spec in waiting)
        settled = [
            spec for spec in waiting if widths[spec.key] <= room * spec.flex // max(weight, 1)
        ]
        if not settled:
            break
        for spec in settled:
            room -= widths[spec.key]
            waiting.remove(spec)
    weight = sum(spec.flex for spec in waiting)
    left = max(room, 0)
    shares = {spec.key: left * spec.flex // max(weight, 1) for spec in waiting}
    spare = left - sum(shares.values())
    for spec in waiting:  # the rounding's remainder goes to the first (the most important)
        extra = min(spare, widths[spec.key] - shares[spec.key])
        if extra > 0:
            shares[spec.key] += extra
            spare -= extra
        widths[spec.key] = min(shares[spec.key], widths[spec.key])
    return widths


def elide(text: Text, width: int) -> Text:
    """``text`` in at most ``width`` cells: whole when it fits, else cut at a word and "…".

    The cut falls after the last whole word that fits, unless that would throw away more than
    half the width (one very long word), when the word itself is cut. Styles are kept.
    """
    if text.cell_len <= width:
        return text
    if width <= 1:
        return Text(ELLIPSIS[:width], end="")
    plain = text.plain
    used, cut = 0, 0
    for index, character in enumerate(plain):
        size = get_character_cell_size(character)
        if used + size > width - 1:
            break
        used += size
        cut = index + 1
    boundary = plain.rfind(" ", 0, cut + 1)
    if boundary > 0 and cell_len(plain[:boundary]) >= width // 2:
        cut = boundary
    while cut > 0 and plain[cut - 1] in _TRAILING:
        cut -= 1
    if cut == 0:  # nothing but separators fitted: cut the text itself
        cut = max(1, min(len(plain), width - 1))
    shortened = text[:cut]
    shortened.end = ""
    shortened.append(ELLIPSIS)
    return shortened
