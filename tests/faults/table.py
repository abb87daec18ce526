"""The one table the fault suite ends with."""

from __future__ import annotations

from collections.abc import Iterable


def render(title: str, rows: Iterable[tuple[str, object]]) -> str:
    rows = list(rows)
    width = max(len(label) for label, _ in rows)
    rule = "-" * (width + 12)
    lines = [title, rule, *(f"{label:<{width}}  {value:>9}" for label, value in rows), rule]
    return "\n".join(lines)
