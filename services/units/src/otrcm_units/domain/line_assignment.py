"""Rule: a code's units for the day go back to the lines that reported it; a family splits its codes.

Source: docs/billing-rules.md#1-units (two visits on one day are one day) and CPT 2020 for 97129/97130.
- A code reported on several lines (e.g. morning and afternoon visits) shares its units among them
  the way §20.2 shares units among codes: whole 15-minute units first, then the rest by largest
  leftover minutes, then most minutes, then line id. Nothing here changes the code's total.
- A family (97129/97130) bills its first unit of the day as the first-of-day code and every other
  unit as the add-on code. The first unit goes to a line reported as 97129 when one earned a unit,
  otherwise to the family line with the most minutes. A line holding both is emitted twice: the
  first-of-day unit over its first 15 minutes, the add-on units over the rest.
- Untimed codes are 1 unit per line, billed as reported.
"""

from __future__ import annotations

from collections.abc import Sequence

from otrcm_units.domain.code_roles import FamilyBilling
from otrcm_units.domain.leftover_ranking import rank_by_leftover_minutes
from otrcm_units.domain.model import CodeAllocation, LineUnits, MinutesLine
from otrcm_units.domain.pooling import PooledDay
from otrcm_units.domain.unit_table import MINUTES_PER_UNIT


def assign_units_to_lines(
    lines: Sequence[MinutesLine], pooled: PooledDay, allocations: Sequence[CodeAllocation]
) -> tuple[LineUnits, ...]:
    """One :class:`LineUnits` per input line, in input order (two for a line split across a family)."""
    if _each_line_is_its_own_plain_code(lines, pooled, allocations):
        return tuple(
            [
                LineUnits(line.line_id, line.code, line.code, line.minutes, allocation.units)
                for line, allocation in zip(lines, allocations, strict=True)
            ]
        )
    assigned: list[LineUnits | None] = [None] * len(lines)
    second_parts: dict[int, LineUnits] = {}
    for indexes, allocation in zip(pooled.member_lines, allocations, strict=True):
        if len(indexes) == 1:
            shares = [allocation.units]
        else:
            shares = share_code_units_among_its_lines([lines[i] for i in indexes], allocation.units)
        billing = allocation.family_billing
        if billing is None:
            for index, units in zip(indexes, shares, strict=True):
                line = lines[index]
                assigned[index] = LineUnits(line.line_id, line.code, line.code, line.minutes, units)
        else:
            _bill_family_units(lines, indexes, shares, billing, assigned, second_parts)
    for index in pooled.untimed_indexes:
        line = lines[index]
        assigned[index] = LineUnits(line.line_id, line.code, line.code, line.minutes, 1)
    result: list[LineUnits] = []
    for index, entry in enumerate(assigned):
        assert entry is not None  # every line is timed (in a member) or untimed
        result.append(entry)
        if second_parts and index in second_parts:
            result.append(second_parts[index])
    return tuple(result)


def _each_line_is_its_own_plain_code(
    lines: Sequence[MinutesLine], pooled: PooledDay, allocations: Sequence[CodeAllocation]
) -> bool:
    """The common day: timed lines only, no code twice, no family; allocations are then in line order."""
    return not pooled.untimed_indexes and not pooled.has_family and len(allocations) == len(lines)


def share_code_units_among_its_lines(lines: Sequence[MinutesLine], units: int) -> list[int]:
    """Split one code's ``units`` over its lines: whole units per line, the rest by leftover ranking.

    ``units`` is never below the sum of the lines' whole units (a code's units are at least its
    pooled whole units), and at most one more per line with leftover minutes is ever needed.
    """
    shares = [line.minutes // MINUTES_PER_UNIT for line in lines]
    extra = units - sum(shares)
    if extra > 0:
        order = rank_by_leftover_minutes([line.line_id for line in lines], [line.minutes for line in lines])
        for step in range(extra):
            shares[order[step % len(order)]] += 1
    return shares


def _bill_family_units(
    lines: Sequence[MinutesLine],
    indexes: list[int],
    shares: list[int],
    billing: FamilyBilling,
    assigned: list[LineUnits | None],
    second_parts: dict[int, LineUnits],
) -> None:
    """Rule: a family's first unit of the day bills as its first-of-day code, the others as add-on."""
    order = sorted(
        range(len(indexes)),
        key=lambda k: (
            lines[indexes[k]].code != billing.first_of_day_code,
            -lines[indexes[k]].minutes,
            lines[indexes[k]].line_id,
        ),
    )
    first_unit_given = False
    for k in order:
        line = lines[indexes[k]]
        units = shares[k]
        if units == 0:
            entry = LineUnits(line.line_id, line.code, line.code, line.minutes, 0)
        elif first_unit_given:
            entry = LineUnits(line.line_id, line.code, billing.add_on_code, line.minutes, units)
        else:
            first_unit_given = True
            if units == 1:
                entry = LineUnits(line.line_id, line.code, billing.first_of_day_code, line.minutes, 1)
            else:
                first_minutes = min(line.minutes, MINUTES_PER_UNIT)
                entry = LineUnits(line.line_id, line.code, billing.first_of_day_code, first_minutes, 1)
                second_parts[indexes[k]] = LineUnits(
                    line.line_id, line.code, billing.add_on_code, line.minutes - first_minutes, units - 1
                )
        assigned[indexes[k]] = entry
