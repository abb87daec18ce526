"""The audit trace: the steps a day's calculation took, as small records an auditor can read.

The calculation itself keeps only what it decided (a :class:`CodeAllocation` per timed code); the
trace is rebuilt from those decisions when someone asks for it, with the same ranking rule, so it
costs nothing on the hot path. Each step names its source in ``SOURCE``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from otrcm_units.domain.leftover_ranking import rank_by_leftover_minutes
from otrcm_units.domain.model import CodeAllocation, UnitMethod
from otrcm_units.domain.unit_table import (
    MINUTES_FOR_FIRST_UNIT,
    minutes_range_for_units,
    units_for_timed_minutes,
)

CMS_SECTION = "CMS Pub. 100-04 Ch. 5 §20.2"
AMA_RULE = "AMA CPT time rule for 15-minute codes (rule of eights)"
FAMILY_RULE = "CPT 2020: 97129 first 15 minutes once a day, 97130 each additional 15 minutes"


@dataclass(frozen=True, slots=True)
class CodeMinutes:
    """A code (or family label) and a number of minutes."""

    code: str
    minutes: int


@dataclass(frozen=True, slots=True)
class TimedMinutesPooled:
    """The timed codes' minutes of the day were added up (untimed codes add none)."""

    SOURCE: ClassVar[str] = CMS_SECTION
    minutes_by_code: tuple[CodeMinutes, ...]
    total_minutes: int


@dataclass(frozen=True, slots=True)
class UnitTableLookup:
    """Minutes looked up in the unit table; ``code`` is None for the day's pooled total (CMS)."""

    SOURCE: ClassVar[str] = f"{CMS_SECTION} chart; {AMA_RULE}"
    code: str | None
    minutes: int
    units: int
    range_low: int
    range_high: int


@dataclass(frozen=True, slots=True)
class FullUnits:
    """A code's whole 15-minute units and the minutes left over."""

    code: str
    minutes: int
    full_units: int
    leftover_minutes: int


@dataclass(frozen=True, slots=True)
class FullUnitsGiven:
    """Each code first got its whole 15-minute units (a code done 15+ minutes gets at least one)."""

    SOURCE: ClassVar[str] = CMS_SECTION
    entries: tuple[FullUnits, ...]


@dataclass(frozen=True, slots=True)
class LeftoverUnitsRanked:
    """The units left after whole units went one each to the largest leftovers (``ranking`` order)."""

    SOURCE: ClassVar[str] = f"{CMS_SECTION} (Examples 3 and 4)"
    units_to_place: int
    ranking: tuple[CodeMinutes, ...]
    receivers: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ShortServicesCombined:
    """Codes each done 7 minutes or less reached 8+ minutes together: their unit(s) go to the longest."""

    SOURCE: ClassVar[str] = CMS_SECTION
    codes: tuple[str, ...]
    total_minutes: int
    units: int
    billed_under: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class FamilyUnitsSplit:
    """A family's units: the first of the day under the first-of-day code, the rest as add-on."""

    SOURCE: ClassVar[str] = FAMILY_RULE
    code: str
    family: str
    units: int
    first_of_day_code: str
    first_of_day_units: int
    add_on_code: str
    add_on_units: int


@dataclass(frozen=True, slots=True)
class UntimedLinesBilled:
    """Untimed codes: 1 unit per line, minutes not counted."""

    SOURCE: ClassVar[str] = CMS_SECTION
    codes: tuple[str, ...]
    units: int


@dataclass(frozen=True, slots=True)
class CodeUnits:
    """A code's minutes for the day and the units it ends with."""

    code: str
    minutes: int
    units: int


@dataclass(frozen=True, slots=True)
class UnitsAllocated:
    """The outcome: units per timed code, untimed units, and the day's total."""

    SOURCE: ClassVar[str] = CMS_SECTION
    timed: tuple[CodeUnits, ...]
    timed_units: int
    untimed_units: int
    total_units: int


TraceStep = (
    TimedMinutesPooled
    | UnitTableLookup
    | FullUnitsGiven
    | LeftoverUnitsRanked
    | ShortServicesCombined
    | FamilyUnitsSplit
    | UntimedLinesBilled
    | UnitsAllocated
)


def trace_the_day(
    method: UnitMethod,
    total_timed_minutes: int,
    allocations: Sequence[CodeAllocation],
    untimed_codes: Sequence[str],
) -> tuple[TraceStep, ...]:
    """The steps that lead from the day's minutes to its units, in the order the rules apply."""
    steps: list[TraceStep] = []
    if method is UnitMethod.CMS:
        steps.extend(_total_time_steps(total_timed_minutes, allocations))
    else:
        steps.extend(_lookup(a.code, a.minutes) for a in allocations)
    for allocation in allocations:
        billing = allocation.family_billing
        if billing is not None and allocation.units > 0:
            steps.append(
                FamilyUnitsSplit(
                    allocation.code,
                    billing.family,
                    allocation.units,
                    billing.first_of_day_code,
                    1,
                    billing.add_on_code,
                    allocation.units - 1,
                )
            )
    if untimed_codes:
        steps.append(UntimedLinesBilled(tuple(untimed_codes), len(untimed_codes)))
    timed_units = sum(a.units for a in allocations)
    steps.append(
        UnitsAllocated(
            tuple(CodeUnits(a.code, a.minutes, a.units) for a in allocations),
            timed_units,
            len(untimed_codes),
            timed_units + len(untimed_codes),
        )
    )
    return tuple(steps)


def _lookup(code: str | None, minutes: int) -> UnitTableLookup:
    units = units_for_timed_minutes(minutes)
    low, high = minutes_range_for_units(units)
    return UnitTableLookup(code, minutes, units, low, high)


def _total_time_steps(total: int, allocations: Sequence[CodeAllocation]) -> list[TraceStep]:
    steps: list[TraceStep] = [
        TimedMinutesPooled(tuple(CodeMinutes(a.code, a.minutes) for a in allocations), total),
    ]
    if not allocations:
        return steps
    lookup = _lookup(None, total)
    steps.append(lookup)
    if lookup.units == 0:
        return steps
    steps.append(
        FullUnitsGiven(tuple(FullUnits(a.code, a.minutes, a.full_units, a.leftover_minutes) for a in allocations))
    )
    remaining = lookup.units - sum(a.full_units for a in allocations)
    order = rank_by_leftover_minutes([a.code for a in allocations], [a.minutes for a in allocations])
    ranked = [allocations[i] for i in order]
    if remaining > 0:
        steps.append(
            LeftoverUnitsRanked(
                remaining,
                tuple(CodeMinutes(a.code, a.leftover_minutes) for a in ranked if a.leftover_minutes > 0),
                tuple(a.code for a in ranked if a.units > a.full_units),
            )
        )
    if len(allocations) > 1 and all(a.minutes < MINUTES_FOR_FIRST_UNIT for a in allocations):
        steps.append(
            ShortServicesCombined(
                tuple(a.code for a in allocations),
                total,
                lookup.units,
                tuple(a.code for a in ranked if a.units > 0),
            )
        )
    return steps
