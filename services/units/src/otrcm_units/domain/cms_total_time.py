"""CMS total-time method: units come from the day's pooled timed minutes, then go to the codes.

Source: CMS Pub. 100-04, Medicare Claims Processing Manual, Ch. 5 §20.2; docs/billing-rules.md#1-units.
1. Add the minutes of every timed code of the day (:mod:`pooling`).
2. Look the total up in the table (:func:`units_for_timed_minutes`): that is the day's timed units.
3. Each code first gets its whole 15-minute units (``minutes // 15``), so a code done 15 minutes or
   more always gets at least one.
4. The units left go one each to the codes with the largest leftover minutes (:mod:`leftover_ranking`).
   Several codes each done 7 minutes or less that together reach 8 minutes earn one unit this way,
   billed under the code with the most minutes. A tie at the cut is reported as a clinician's choice.
"""

from __future__ import annotations

from collections.abc import Sequence

from otrcm_units.domain.leftover_ranking import rank_by_leftover_minutes
from otrcm_units.domain.model import CodeAllocation, UnitChoice
from otrcm_units.domain.pooling import PooledDay
from otrcm_units.domain.unit_table import MINUTES_PER_UNIT, units_for_timed_minutes

NO_CHOICES: tuple[UnitChoice, ...] = ()


def allocate_units_by_total_time(pooled: PooledDay) -> tuple[tuple[CodeAllocation, ...], tuple[UnitChoice, ...]]:
    """Units per timed code under the CMS total-time method, and any tie left to the clinician.

    The remaining units never exceed the number of codes with leftover minutes: the leftovers sum
    to at most 14 per code, and ``(leftovers + 7) // 15`` units remain after the whole units.
    """
    roles = pooled.member_roles
    minutes = pooled.member_minutes
    units = [each // MINUTES_PER_UNIT for each in minutes]
    remaining = units_for_timed_minutes(pooled.total_timed_minutes) - sum(units)
    choices = NO_CHOICES
    if remaining > 0 and len(units) == 1:
        units[0] += remaining
    elif remaining > 0:
        labels = [role.pool_label for role in roles]
        order = rank_by_leftover_minutes(labels, minutes)
        for i in order[:remaining]:
            units[i] += 1
        if remaining < len(order) and (
            minutes[order[remaining]] % MINUTES_PER_UNIT == minutes[order[remaining - 1]] % MINUTES_PER_UNIT
        ):
            choices = the_tie_across_the_last_unit(labels, minutes, order, remaining)
    allocations = [
        CodeAllocation(
            role.pool_label,
            member_minutes,
            member_minutes // MINUTES_PER_UNIT,
            member_minutes % MINUTES_PER_UNIT,
            member_units,
            role.family_billing,
        )
        for role, member_minutes, member_units in zip(roles, minutes, units, strict=True)
    ]
    return tuple(allocations), choices


def the_tie_across_the_last_unit(
    labels: Sequence[str], minutes: Sequence[int], order: Sequence[int], remaining: int
) -> tuple[UnitChoice, ...]:
    """Rule: codes whose leftovers tie across the last remaining unit may each take it.

    Source: CMS Pub. 100-04 Ch. 5 §20.2 Example 2 ("since the time for each is the same, choose
    either code"). ``order`` is the leftover ranking; the first ``remaining`` codes got a unit and
    the next one has the same leftover minutes as the last of them.
    """
    cut = minutes[order[remaining - 1]] % MINUTES_PER_UNIT
    tied = [i for i in order if minutes[i] % MINUTES_PER_UNIT == cut]
    chosen = [i for i in order[:remaining] if minutes[i] % MINUTES_PER_UNIT == cut]
    return (UnitChoice(tuple(labels[i] for i in tied), cut, len(chosen), tuple(labels[i] for i in chosen)),)
