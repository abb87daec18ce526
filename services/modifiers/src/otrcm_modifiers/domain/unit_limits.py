"""Medically unlikely edits (MUE): units of a code above its limit are held with the limit named.

Source: CMS Practitioner Services MUE table, updated quarterly; docs/billing-rules.md#8-ncci-and-mue. A limit with
adjudication indicator 1 applies to each claim line; 2 and 3 apply to the sum of the code's units on
the date of service. Limits come from the ``ncci_mue_limits`` dataset; the one shipped is a labelled
sample, so a held line names that too.
"""

from __future__ import annotations

from collections.abc import Sequence

from otrcm_modifiers.domain import sources
from otrcm_modifiers.domain.model import HeldReason
from otrcm_modifiers.domain.working_line import WorkingLine
from otrcm_shared.refdata.ncci_edits import MueLimit, MueLimits
from otrcm_shared.refdata.payer_modifier_policy import PayerModifierPolicy

RULE_ID = "units_above_the_mue_are_held"


def units_above_the_mue_are_held(
    lines: Sequence[WorkingLine], limits: MueLimits | None, policy: PayerModifierPolicy
) -> tuple[WorkingLine, ...]:
    """Rule: a line (MAI 1) or a day's units of a code (MAI 2/3) above the MUE value are held.

    Every line of the code is held for a date-of-service edit: which units to drop is a billing
    decision, not the rule's. Payers whose policy does not apply NCCI edits are not checked.
    """
    if limits is None or not policy.applies_ncci:
        return tuple(lines)
    day_units: dict[str, int] = {}
    for entry in lines:
        day_units[entry.code] = day_units.get(entry.code, 0) + entry.units
    result = []
    for entry in lines:
        limit = limits.get(entry.code)
        if limit is None or entry.units == 0:
            result.append(entry)
            continue
        per_day = limit.adjudication_indicator.per_date_of_service
        counted = day_units[entry.code] if per_day else entry.units
        if counted > limit.units:
            entry = entry.holding(
                HeldReason.MUE_EXCEEDED, RULE_ID, sources.MUE, _detail(entry.code, counted, limit, limits, per_day)
            )
        result.append(entry)
    return tuple(result)


def _detail(code: str, counted: int, limit: MueLimit, limits: MueLimits, per_day: bool) -> str:
    scope = "on the date of service" if per_day else "on the line"
    origin = "a SAMPLE value, not a CMS value" if limits.is_sample else f"MUE table {limits.version}"
    return (
        f"{counted} units of {code} {scope}; the MUE is {limit.units} "
        f"(adjudication indicator {limit.adjudication_indicator.value}, {origin})"
    )
