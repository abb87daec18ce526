"""The values the units rules take and give: a method, minutes lines, units per line, choices."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import NamedTuple

from otrcm_units.domain.code_roles import FamilyBilling


class UnitMethod(StrEnum):
    """How a payer turns timed minutes into units (a field of the payer profile).

    ``cms``: total-time method, CMS Pub. 100-04 Ch. 5 §20.2 (Medicare and payers that follow it).
    ``ama``: AMA/CPT per-code "substantial portion" method, the "rule of eights".
    """

    CMS = "cms"
    AMA = "ama"


@dataclass(frozen=True, slots=True)
class MinutesLine:
    """One documented service of the day: an opaque line id, the reported code and its minutes.

    A day may hold lines of several encounters (two visits on one date are one day); untimed codes
    may carry minutes, which the rules ignore.
    """

    line_id: str
    code: str
    minutes: int


class LineUnits(NamedTuple):
    """Units given to one input line, and the code they are billed under (an immutable record).

    ``billed_code`` equals ``code`` except in a code family: the first unit of 97129/97130 in a day
    bills as 97129 and every other unit as 97130, whichever of the two the line reported. When one
    line carries both, it appears twice with the same ``line_id``: 1 unit of 97129 over its first
    15 minutes, then the rest as 97130 over the remaining minutes, so a line's minutes and units
    still add up to what it reported and earned.
    """

    line_id: str
    code: str
    billed_code: str
    minutes: int
    units: int


@dataclass(frozen=True, slots=True)
class UnitChoice:
    """A tie the clinician may resolve differently: codes with equal leftover minutes for fewer units.

    Source: CMS Pub. 100-04 Ch. 5 §20.2 (when the time for each service is the same, either code may
    take the extra unit). ``chosen_codes`` got the unit(s) here (most minutes, then code order);
    any ``units_available`` of ``tied_codes`` would be as correct.
    """

    tied_codes: tuple[str, ...]
    leftover_minutes: int
    units_available: int
    chosen_codes: tuple[str, ...]


class CodeAllocation(NamedTuple):
    """The units one timed code (or code family) earned on the day, and how (an immutable record).

    ``code`` is the pool label ("97110" or "97129/97130"); ``full_units`` are its whole 15-minute
    blocks and ``leftover_minutes`` what remains (``minutes % 15``); ``units`` is the final count.
    """

    code: str
    minutes: int
    full_units: int
    leftover_minutes: int
    units: int
    family_billing: FamilyBilling | None = None
