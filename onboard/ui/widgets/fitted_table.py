"""A ``DataTable`` whose columns fit their words and the room the table has.

Screens hand it whole cells (``set_rows``); it sizes the columns with
:func:`onboard.ui.columns.fit_widths` for its current width, shortens what does not fit with
:func:`onboard.ui.columns.elide` (at a word, with "…"), and does it again when its width changes,
keeping the highlighted row. An optional column without room is left out (the screen shows its
words elsewhere). The cells a screen reads back (``get_cell``) are the ones shown.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rich.text import Text
from textual import events
from textual.widgets import DataTable

from onboard.ui.columns import ColumnSpec, elide, fit_widths, natural_widths


@dataclass(frozen=True)
class FittedRow:
    """One row: its key (from :class:`onboard.ui.keys.Keys` when it stands for data) and cells."""

    key: str
    cells: Sequence[Text]


class FittedTable(DataTable[Text]):
    """A row table laid out by :class:`~onboard.ui.columns.ColumnSpec`s (see the module)."""

    def __init__(self, columns: Sequence[ColumnSpec], **options: object) -> None:
        options.setdefault("cursor_type", "row")
        options.setdefault("zebra_stripes", True)
        super().__init__(**options)  # type: ignore[arg-type]
        self.specs = tuple(columns)
        self._source: list[FittedRow] = []
        self._fitted_width: int | None = None

    def on_mount(self) -> None:
        self._redraw()

    def set_rows(self, rows: Iterable[FittedRow]) -> None:
        """Show ``rows`` (one cell per column) in place of the current ones.

        Like ``DataTable.clear``, the cursor goes back to the first row.
        """
        self._source = list(rows)
        self._redraw()

    def on_resize(self, _event: events.Resize) -> None:
        if self._available() != self._fitted_width:
            self._redraw(keep_cursor=True)

    def _available(self) -> int:
        """Cells for the columns: the width less the vertical scrollbar, when there is one."""
        width = self.size.width
        rows_shown = self.size.height - (self.header_height if self.show_header else 0)
        if len(self._source) > rows_shown:
            width -= self.styles.scrollbar_size_vertical
        return max(width, 0)

    def _redraw(self, *, keep_cursor: bool = False) -> None:
        available = self._available()
        self._fitted_width = available
        natural = natural_widths(self.specs, (row.cells for row in self._source))
        widths = fit_widths(self.specs, natural, available, self.cell_padding)
        cursor_key = None
        if keep_cursor and self.row_count:
            cursor_key = self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value
        self.clear(columns=True)
        shown = [index for index, spec in enumerate(self.specs) if spec.key in widths]
        for index in shown:
            spec = self.specs[index]
            self.add_column(Text(spec.label, end=""), key=spec.key, width=widths[spec.key])
        for row in self._source:
            fitted = [elide(row.cells[index], widths[self.specs[index].key]) for index in shown]
            self.add_row(*fitted, key=row.key)
        if cursor_key is not None and cursor_key in self.rows:
            self.move_cursor(row=self.get_row_index(cursor_key))
