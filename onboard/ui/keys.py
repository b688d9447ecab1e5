"""Ids for options, rows and widgets that stand for data: unique and valid by construction.

Textual ends the app when an ``OptionList`` gets a second option with an id it already has
(``DuplicateID``), when a ``DataTable`` gets a second row with a key it already has
(``DuplicateKey``), and when a widget id is not an identifier (``BadIdentifier``). Names from
guide packs, forges and report files repeat in ways no screen can foresee: two packs naming the
same repository, a forge's page repeating an issue, two report paths that read alike once
cleaned. So a screen never uses such a name as an id directly: it asks :class:`Keys`, which
hands out the name itself while it is free (readable in tests), else the name with a counter,
and which maps each id back to what it stands for, so an id is never parsed back into data.
"""

from __future__ import annotations

import re
from typing import Generic, TypeVar

T = TypeVar("T")

_NOT_IDENTIFIER = re.compile(r"[^A-Za-z0-9_-]")


class Keys(Generic[T]):
    """Unique ids for the items of one list, and the item each id stands for.

    ``prefix`` makes every id a valid widget identifier (``prefix-1``, ``prefix-2``, …), for
    ids of widgets rather than of options or rows; without it the ids are the names.
    """

    def __init__(self, prefix: str | None = None) -> None:
        if prefix is not None and (
            not prefix or _NOT_IDENTIFIER.search(prefix) or prefix[0].isdigit()
        ):
            raise ValueError(f"{prefix!r} cannot start a widget id")
        self._prefix = prefix
        self._items: dict[str, T] = {}
        self._first: dict[str, str] = {}

    def add(self, name: str, item: T) -> str:
        """A fresh id for ``item``, called ``name``; a name given twice gets two ids."""
        if self._prefix is not None:
            key = f"{self._prefix}-{len(self._items) + 1}"
        else:
            key, count = name, 1
            while key in self._items:
                count += 1
                key = f"{name} ({count})"
        self._items[key] = item
        self._first.setdefault(name, key)
        return key

    def get(self, key: str | None) -> T | None:
        """What ``key`` stands for; None for an id this list did not hand out."""
        return None if key is None else self._items.get(key)

    def first_id(self, name: str) -> str | None:
        """The id handed out first for ``name`` (to highlight it again), if any."""
        return self._first.get(name)

    def clear(self) -> None:
        """Forget every id: call it together with clearing the list they were for."""
        self._items.clear()
        self._first.clear()

    def __len__(self) -> int:
        return len(self._items)
