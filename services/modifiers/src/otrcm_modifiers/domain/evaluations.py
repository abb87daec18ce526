"""One evaluation or re-evaluation per discipline per date of service.

Source: docs/billing-rules.md#8-ncci-and-mue (confidence H): the OT evaluation codes 97165-97167 and the re-evaluation
97168 are reported once per day per discipline; CPT describes each as one encounter. In effect for the
whole period the datasets cover.
"""

from __future__ import annotations

from collections.abc import Sequence

from otrcm_modifiers.domain import sources
from otrcm_modifiers.domain.model import HeldReason
from otrcm_modifiers.domain.working_line import WorkingLine

RULE_ID = "one_evaluation_per_discipline_per_day"


def one_evaluation_per_discipline_per_day(lines: Sequence[WorkingLine]) -> tuple[WorkingLine, ...]:
    """Rule: the first evaluation line of a discipline stands; any later one that day is held.

    A single evaluation line with more than one unit is held too (two evaluations in one line). The
    billing team keeps whichever evaluation was documented and removes the other; the rule does not
    choose between them beyond line order.
    """
    first_of: dict[str, WorkingLine] = {}
    result = []
    for entry in lines:
        if not entry.info.evaluation or entry.units == 0:
            result.append(entry)
            continue
        discipline = str(entry.line.discipline)
        earlier = first_of.get(discipline)
        if earlier is not None:
            entry = entry.holding(
                HeldReason.TWO_EVALUATIONS_SAME_DAY,
                RULE_ID,
                sources.ONE_EVALUATION,
                f"{entry.code} is a second {discipline} evaluation on the day (line {earlier.line.line_id} "
                f"already bills {earlier.code}); keep the one documented and remove the other",
            )
        elif entry.units > 1:
            entry = entry.holding(
                HeldReason.TWO_EVALUATIONS_SAME_DAY,
                RULE_ID,
                sources.ONE_EVALUATION,
                f"{entry.code} reports {entry.units} units; an evaluation is one per discipline per day",
            )
        first_of.setdefault(discipline, entry)
        result.append(entry)
    return tuple(result)
