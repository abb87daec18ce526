"""AMA/CPT per-code method ("rule of eights"): each timed code's minutes earn units on their own.

Source: AMA CPT time rule for 15-minute codes (a unit needs more than half of 15 minutes) and
docs/billing-rules.md#1-units. The table is the same as the CMS one, but it is applied to each code's minutes
for the day separately; minutes are never pooled across codes, so a code under 8 minutes gets
nothing. 97129 and 97130 are one family and count as one code.
"""

from __future__ import annotations

from otrcm_units.domain.model import CodeAllocation
from otrcm_units.domain.pooling import PooledDay
from otrcm_units.domain.unit_table import MINUTES_PER_UNIT, units_for_timed_minutes


def allocate_units_per_code(pooled: PooledDay) -> tuple[CodeAllocation, ...]:
    """Units per timed code under the AMA/CPT method: the table applied to each code's own minutes."""
    return tuple(
        [
            CodeAllocation(
                role.pool_label,
                minutes,
                minutes // MINUTES_PER_UNIT,
                minutes % MINUTES_PER_UNIT,
                units_for_timed_minutes(minutes),
                role.family_billing,
            )
            for role, minutes in zip(pooled.member_roles, pooled.member_minutes, strict=True)
        ]
    )
