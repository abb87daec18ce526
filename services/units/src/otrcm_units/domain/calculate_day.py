"""Use case: turn one day's minutes lines into billable units by the payer's method.

Sources: CMS Pub. 100-04 Ch. 5 §20.2 (total-time method) and the AMA CPT time rule (per code);
docs/billing-rules.md#1-units (§1-2). The caller passes every line of one patient's discipline on one date of
service, from however many encounters, and the code catalog in effect on that date.
"""

from __future__ import annotations

from collections.abc import Sequence

from otrcm_shared.refdata import CodeCatalog
from otrcm_units.domain.ama_per_code import allocate_units_per_code
from otrcm_units.domain.cms_total_time import NO_CHOICES, allocate_units_by_total_time
from otrcm_units.domain.code_roles import code_roles_of
from otrcm_units.domain.day_units import DayUnits
from otrcm_units.domain.line_assignment import assign_units_to_lines
from otrcm_units.domain.model import MinutesLine, UnitMethod
from otrcm_units.domain.pooling import pool_timed_minutes_of_the_day
from otrcm_units.domain.unit_table import units_for_timed_minutes

NO_UNTIMED_CODES: tuple[str, ...] = ()


def calculate_day(lines: Sequence[MinutesLine], method: UnitMethod, catalog: CodeCatalog) -> DayUnits:
    """Units for one day's lines under ``method`` ("cms" total-time or "ama" per-code).

    ``lines`` are every line of one patient and discipline on one date of service (several visits
    included); ``catalog`` is the code catalog in effect on that date.

    Raises :class:`~otrcm_units.domain.errors.UnknownCode` naming a code the catalog does not list,
    :class:`~otrcm_units.domain.errors.NegativeMinutes` naming a line with negative minutes, and
    :class:`~otrcm_units.domain.errors.DuplicateLineId` when two lines share an id.
    """
    roles = code_roles_of(catalog)
    pooled = pool_timed_minutes_of_the_day(lines, roles)
    if method is UnitMethod.CMS:
        allocations, choices = allocate_units_by_total_time(pooled)
        timed_units = units_for_timed_minutes(pooled.total_timed_minutes)
    elif method is UnitMethod.AMA:
        allocations, choices = allocate_units_per_code(pooled), NO_CHOICES
        timed_units = sum([allocation.units for allocation in allocations])
    else:  # a plain "cms"/"ama" string from a payer profile; anything else is a ValueError
        return calculate_day(lines, UnitMethod(method), catalog)
    untimed_indexes = pooled.untimed_indexes
    untimed_codes = tuple([lines[i].code for i in untimed_indexes]) if untimed_indexes else NO_UNTIMED_CODES
    return DayUnits(
        method,
        pooled.total_timed_minutes,
        timed_units + len(untimed_codes),
        assign_units_to_lines(lines, pooled, allocations),
        choices,
        allocations,
        untimed_codes,
        roles.catalog_version,
    )
