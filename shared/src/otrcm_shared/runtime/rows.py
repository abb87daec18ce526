"""A statement's result, read at once (what :mod:`.prepared` returns on every database)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any


class Rows:
    """A statement's result, read at once: ``all()``, ``first()``, ``scalar()``, ``scalars()``, ``mappings()``."""

    __slots__ = ("_rows", "keys", "rowcount")

    def __init__(self, keys: Sequence[str], rows: list[Any], rowcount: int) -> None:
        self.keys = tuple(keys)
        self._rows = rows
        self.rowcount = rowcount

    def __iter__(self) -> Iterator[Any]:
        return iter(self._rows)

    def all(self) -> list[Any]:
        return self._rows

    def first(self) -> Any | None:
        return self._rows[0] if self._rows else None

    def one(self) -> Any:
        if len(self._rows) != 1:
            raise LookupError(f"expected exactly one row, found {len(self._rows)}")
        return self._rows[0]

    def one_or_none(self) -> Any | None:
        if len(self._rows) > 1:
            raise LookupError(f"expected at most one row, found {len(self._rows)}")
        return self.first()

    def scalar(self) -> Any | None:
        return self._rows[0][0] if self._rows else None

    def scalar_one(self) -> Any:
        return self.one()[0]

    def scalars(self) -> list[Any]:
        return [row[0] for row in self._rows]

    def mappings(self) -> list[dict[str, Any]]:
        return [dict(zip(self.keys, row, strict=True)) for row in self._rows]
