"""CO (OT) / CQ (PT): a service furnished in whole or in part by an assistant, split per unit when timed.

Sources: CMS Pub. 100-04 Ch. 5 §20.1; CMS "Billing Examples Using CQ/CO Modifiers for Services Furnished
In Whole or In Part by PTAs and OTAs"; CY 2020 PFS final rule (10% de minimis, 84 FR 62702-62707);
CY 2022 PFS final rule (final unit, two remaining units); docs/billing-rules.md#6-assistants-co. Modifier required from
2020-01-01; the 85% payment applies from 2022-01-01 (see :mod:`payment`).

Interpretation (documented choice): the "service" whose minutes the 10% de minimis test reads is one
documented line (one code on one day). When the assistant furnished 10% of its minutes or less, no unit
of it carries CO ("more than 10 percent": exactly 10% is not more). Above 10%, the units are split:

1. whole 15-minute blocks go to whoever furnished them (assistant blocks with CO, therapist blocks without);
2. two units left after the blocks (both did 9-14 leftover minutes): one with CO and one without;
3. one unit left: without CO when the therapist alone furnished 8+ of the leftover minutes, with CO
   when the assistant alone did, else with CO when the assistant furnished more than 10% of the leftover;
4. any other leftover (only possible when the units service gave the code a unit from pooled minutes of
   other codes) goes unit by unit as in 3, and is flagged for review: CMS's examples do not show it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from otrcm_modifiers.domain import sources
from otrcm_modifiers.domain.model import LinePart
from otrcm_modifiers.domain.working_line import ModifierRank, WorkingLine
from otrcm_shared.refdata.discipline_modifiers import DisciplineModifiers
from otrcm_shared.refdata.payer_modifier_policy import PayerModifierPolicy

RULE_ID = "co_applies_when_assistant_over_ten_percent"
MINUTES_PER_UNIT = 15
MINUTES_FOR_A_UNIT = 8
SHARED_UNIT_LOW, SHARED_UNIT_HIGH = 9, 14


@dataclass(frozen=True, slots=True)
class AssistantSplit:
    """How many of a line's units bill with the assistant modifier, how many without, and why."""

    with_assistant: int
    without_assistant: int
    reason: str
    outside_cms_examples: bool = False


def assistant_exceeds_de_minimis(minutes: int, assistant_minutes: int) -> bool:
    """More than 10% of the service's minutes were the assistant's (10% exactly is de minimis)."""
    return assistant_minutes * 10 > minutes


def split_units_by_who_furnished_them(units: int, minutes: int, assistant_minutes: int, timed: bool) -> AssistantSplit:
    """The CO/non-CO split of one line's ``units`` (see the module docstring for the steps)."""
    if units <= 0:
        return AssistantSplit(0, 0, "no units")
    share = f"the assistant furnished {assistant_minutes} of {minutes} minutes"
    if not assistant_exceeds_de_minimis(minutes, assistant_minutes):
        return AssistantSplit(0, units, f"{share}: 10% or less (de minimis), no unit with the assistant modifier")
    if not timed:
        return AssistantSplit(units, 0, f"{share}: more than 10% of an untimed service")
    assistant_blocks, assistant_left = divmod(assistant_minutes, MINUTES_PER_UNIT)
    therapist_blocks, therapist_left = divmod(minutes - assistant_minutes, MINUTES_PER_UNIT)
    with_assistant = min(assistant_blocks, units)
    without_assistant = min(therapist_blocks, units - with_assistant)
    remaining = units - with_assistant - without_assistant
    steps = [
        f"{share}; whole 15-minute blocks: {with_assistant} by the assistant, {without_assistant} by the therapist"
    ]
    if remaining == 0:
        return AssistantSplit(with_assistant, without_assistant, "; ".join(steps))
    if remaining == 2 and all(SHARED_UNIT_LOW <= m <= SHARED_UNIT_HIGH for m in (assistant_left, therapist_left)):
        steps.append(
            f"two units left, therapist {therapist_left} and assistant {assistant_left} minutes (each 9-14): "
            "one with and one without"
        )
        return AssistantSplit(with_assistant + 1, without_assistant + 1, "; ".join(steps))
    outside = remaining != 1
    therapist_unused, assistant_unused = True, True
    leftover = f"{assistant_left} of {assistant_left + therapist_left} leftover minutes"
    for _ in range(remaining):
        if therapist_unused and therapist_left >= MINUTES_FOR_A_UNIT:
            therapist_unused = False
            without_assistant += 1
            steps.append(f"a unit without: the therapist alone furnished {therapist_left} leftover minutes")
        elif assistant_unused and assistant_left >= MINUTES_FOR_A_UNIT:
            assistant_unused = False
            with_assistant += 1
            steps.append(f"a unit with: the assistant alone furnished {assistant_left} leftover minutes")
        elif assistant_exceeds_de_minimis(assistant_left + therapist_left, assistant_left):
            with_assistant += 1
            steps.append(f"a unit with: the assistant furnished {leftover}")
        else:
            without_assistant += 1
            steps.append(f"a unit without: the assistant furnished {leftover}")
    return AssistantSplit(with_assistant, without_assistant, "; ".join(steps), outside)


def co_applies_when_assistant_over_ten_percent(
    entry: WorkingLine, disciplines: DisciplineModifiers, policy: PayerModifierPolicy
) -> tuple[WorkingLine, ...]:
    """Rule: the line's units with the assistant carry CO (CQ on PT), possibly splitting it in two parts.

    Payers whose policy does not use the assistant modifier get none. Lines without units pass as they are.
    """
    assistant = entry.line.assistant_minutes
    if entry.units == 0 or assistant == 0:
        return (entry,)
    modifier = disciplines.of(entry.line.discipline).assistant_modifier
    if not policy.uses_co or modifier is None:
        why = "the payer's policy does not use it" if not policy.uses_co else "the discipline has no assistant modifier"
        return (entry.noting(RULE_ID, sources.PAYER_POLICY, "no assistant modifier", why),)
    split = split_units_by_who_furnished_them(entry.units, entry.line.minutes, assistant, entry.info.timed)
    detail = split.reason
    flag = split.outside_cms_examples
    if split.with_assistant == 0:
        return (entry.noting(RULE_ID, sources.ASSISTANT_CO, f"no {modifier}", detail, flag=flag),)
    if split.without_assistant == 0:
        return (entry.adding(ModifierRank.ASSISTANT, modifier, RULE_ID, sources.ASSISTANT_CO, detail),)
    without = replace(entry, part=LinePart.WITHOUT_ASSISTANT, units=split.without_assistant)
    with_ = replace(entry, part=LinePart.WITH_ASSISTANT, units=split.with_assistant)
    outcome = f"split: {split.without_assistant} unit(s) without {modifier}, {split.with_assistant} with"
    return (
        without.noting(RULE_ID, sources.ASSISTANT_CO, outcome, detail, flag=flag),
        with_.noting(RULE_ID, sources.ASSISTANT_CO, outcome, detail, flag=flag).adding(
            ModifierRank.ASSISTANT, modifier, RULE_ID, sources.ASSISTANT_CO, detail
        ),
    )
