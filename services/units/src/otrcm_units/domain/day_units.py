"""The result of one day: units per line, the choices left to the clinician, the trace, the words."""

from __future__ import annotations

from dataclasses import dataclass

from otrcm_units.domain.explanation import explain_the_day
from otrcm_units.domain.model import CodeAllocation, LineUnits, UnitChoice, UnitMethod
from otrcm_units.domain.trace import TraceStep, trace_the_day


class _AuditCache:
    """Slots for the trace and explanation, filled on first access (not dataclass fields: an unset
    slot costs nothing when a day is calculated and never audited)."""

    __slots__ = ("_explanation_cache", "_trace_cache")
    _explanation_cache: str
    _trace_cache: tuple[TraceStep, ...]


@dataclass(frozen=True, slots=True)
class DayUnits(_AuditCache):
    """Billable units for one patient, one discipline, one date of service.

    ``lines`` follow the input order (a family line that holds both 97129 and 97130 units appears
    twice, see :class:`LineUnits`). ``allocations`` are the units per timed code (or family);
    ``untimed_codes`` the untimed lines' codes, 1 unit each. ``trace`` and ``explanation`` are built
    on first access and then kept: most days are never audited.
    """

    method: UnitMethod
    total_timed_minutes: int
    total_units: int
    lines: tuple[LineUnits, ...]
    choices: tuple[UnitChoice, ...]
    allocations: tuple[CodeAllocation, ...]
    untimed_codes: tuple[str, ...]
    catalog_version: str

    @property
    def timed_units(self) -> int:
        """Units earned by timed codes (the total less one per untimed line)."""
        return self.total_units - len(self.untimed_codes)

    @property
    def trace(self) -> tuple[TraceStep, ...]:
        """The steps from minutes to units, for an auditor (see :mod:`otrcm_units.domain.trace`)."""
        try:
            return self._trace_cache
        except AttributeError:
            steps = trace_the_day(self.method, self.total_timed_minutes, self.allocations, self.untimed_codes)
            object.__setattr__(self, "_trace_cache", steps)
            return steps

    @property
    def explanation(self) -> str:
        """One paragraph of plain English: minutes, units, why each code got them, choices left."""
        try:
            return self._explanation_cache
        except AttributeError:
            text = explain_the_day(self.method, self.trace, self.choices)
            object.__setattr__(self, "_explanation_cache", text)
            return text
