"""Units domain: minutes of one date of service -> billable units, by CMS total time or AMA per code.

Pure: imports only the standard library and ``otrcm_shared.refdata``. Sources: CMS Pub. 100-04 Ch. 5
§20.2, the AMA CPT time rule for 15-minute codes, docs/billing-rules.md#1-units (§1-2).
"""

from otrcm_units.domain.calculate_day import calculate_day
from otrcm_units.domain.code_roles import CodeRole, CodeRoles, FamilyBilling, code_roles_of
from otrcm_units.domain.day_units import DayUnits
from otrcm_units.domain.errors import DuplicateLineId, NegativeMinutes, UnitsError, UnknownCode
from otrcm_units.domain.model import CodeAllocation, LineUnits, MinutesLine, UnitChoice, UnitMethod
from otrcm_units.domain.plain_data import day_units_as_plain_data
from otrcm_units.domain.trace import (
    CodeMinutes,
    CodeUnits,
    FamilyUnitsSplit,
    FullUnits,
    FullUnitsGiven,
    LeftoverUnitsRanked,
    ShortServicesCombined,
    TimedMinutesPooled,
    TraceStep,
    UnitsAllocated,
    UnitTableLookup,
    UntimedLinesBilled,
)
from otrcm_units.domain.unit_table import minutes_range_for_units, units_for_timed_minutes

__all__ = [
    "CodeAllocation",
    "CodeMinutes",
    "CodeRole",
    "CodeRoles",
    "CodeUnits",
    "DayUnits",
    "DuplicateLineId",
    "FamilyBilling",
    "FamilyUnitsSplit",
    "FullUnits",
    "FullUnitsGiven",
    "LeftoverUnitsRanked",
    "LineUnits",
    "MinutesLine",
    "NegativeMinutes",
    "ShortServicesCombined",
    "TimedMinutesPooled",
    "TraceStep",
    "UnitChoice",
    "UnitMethod",
    "UnitTableLookup",
    "UnitsAllocated",
    "UnitsError",
    "UnknownCode",
    "UntimedLinesBilled",
    "calculate_day",
    "code_roles_of",
    "day_units_as_plain_data",
    "minutes_range_for_units",
    "units_for_timed_minutes",
]
