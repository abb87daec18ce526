"""A day's units as plain data (dicts, lists, str, int): ready for JSON, an event payload or a log."""

from __future__ import annotations

from dataclasses import fields, is_dataclass
from typing import Any

from otrcm_units.domain.day_units import DayUnits
from otrcm_units.domain.trace import TraceStep


def day_units_as_plain_data(day: DayUnits, *, include_trace: bool = False) -> dict[str, Any]:
    """The day's result with the keys the CLI prints; the trace too when ``include_trace``."""
    data: dict[str, Any] = {
        "method": day.method.value,
        "catalog_version": day.catalog_version,
        "total_timed_minutes": day.total_timed_minutes,
        "total_units": day.total_units,
        "lines": [
            {
                "line_id": line.line_id,
                "code": line.code,
                "billed_code": line.billed_code,
                "minutes": line.minutes,
                "units": line.units,
            }
            for line in day.lines
        ],
        "explanation": day.explanation,
        "choices": [
            {
                "tied_codes": list(choice.tied_codes),
                "leftover_minutes": choice.leftover_minutes,
                "units_available": choice.units_available,
                "chosen_codes": list(choice.chosen_codes),
            }
            for choice in day.choices
        ],
    }
    if include_trace:
        data["trace"] = [trace_step_as_plain_data(step) for step in day.trace]
    return data


def trace_step_as_plain_data(step: TraceStep) -> dict[str, Any]:
    """One trace step: its name, its source, and its fields."""
    return {"step": type(step).__name__, "source": step.SOURCE, **_fields_of(step)}


# Field names per record type, read once: every calculated day turns its trace into plain data.
_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _fields_of(record: Any) -> dict[str, Any]:
    """``dataclasses.asdict`` for the trace's records (frozen dataclasses of str, int and tuples of them),
    without its deep copy of every leaf: the leaves are immutable."""
    names = _FIELD_NAMES.get(type(record))
    if names is None:
        names = _FIELD_NAMES[type(record)] = tuple(field.name for field in fields(record))
    return {name: _plain(getattr(record, name)) for name in names}


_LEAVES = frozenset({str, int, bool, float, type(None)})  # most values: returned as they are, no further test


def _plain(value: Any) -> Any:
    if type(value) in _LEAVES:
        return value
    if isinstance(value, tuple):
        return tuple(_plain(item) for item in value)
    if is_dataclass(value) and not isinstance(value, type):
        return _fields_of(value)
    return value
