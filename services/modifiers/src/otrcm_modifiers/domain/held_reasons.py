"""What a held line says to a biller: the reason code, the rule that held it, a plain sentence, the fix.

Sentences and actions are written for billers; the rule result's detail (with the figures) goes along.
"""

from __future__ import annotations

from dataclasses import dataclass

from otrcm_modifiers.domain.model import HeldReason, LineResult

SENTENCE_AND_ACTION: dict[HeldReason, tuple[str, str]] = {
    HeldReason.KX_NEEDS_ATTESTATION: (
        "This line takes the beneficiary's therapy spend for the year above the Medicare therapy threshold, "
        "and the encounter does not attest that the services are medically necessary.",
        "Document medical necessity in the record and resubmit the encounter with "
        "attestations.medical_necessity_documented = true; the line then bills with KX.",
    ),
    HeldReason.NCCI_PAIR_NOT_DISTINCT: (
        "These two codes are an NCCI pair: the second may be billed the same day only when it was done in a "
        "separate time block.",
        "If the services were done in distinct time blocks, resubmit the encounter with "
        "attestations.distinct_time_blocks = true (59/XU is then added); otherwise bill only the first code.",
    ),
    HeldReason.NCCI_PAIR_NOT_BYPASSABLE: (
        "These two codes are an NCCI pair that no modifier can bypass on the same day.",
        "Correct the encounter so only one of the two codes is billed, and resubmit it.",
    ),
    HeldReason.TWO_EVALUATIONS_SAME_DAY: (
        "Only one evaluation or re-evaluation per discipline can be billed on one day.",
        "Correct the encounter so it bills a single evaluation code, and resubmit it.",
    ),
    HeldReason.MUE_EXCEEDED: (
        "The units exceed the most a payer accepts for this code on one day (medically unlikely edit).",
        "Check the minutes and units; correct and resubmit the encounter, or appeal with documentation.",
    ),
    HeldReason.CODE_NOT_OF_PLAN_DISCIPLINE: (
        "The code does not belong to the discipline of the plan of care that covers the day.",
        "Correct the code or the discipline of the encounter, and resubmit it.",
    ),
    HeldReason.EXPECTED_AMOUNT_UNKNOWN: (
        "The expected amount could not be estimated (older events only: an estimate no longer holds a line).",
        "Nothing to do: the line is billed once it is evaluated again.",
    ),
    HeldReason.THRESHOLD_UNKNOWN: (
        "No Medicare therapy threshold is recorded for the year or any earlier year, so KX cannot be decided.",
        "Import the year's therapy threshold with otrcm-refdata import, then re-send the day.",
    ),
}


@dataclass(frozen=True, slots=True)
class HeldExplanation:
    code: str
    rule_id: str
    message: str
    action: str
    detail: str


def explain_holds(result: LineResult) -> tuple[HeldExplanation, ...]:
    """One explanation per reason the line is held, naming the rule that held it."""
    explained = []
    for reason in result.held:
        rule = next((r for r in result.rules if r.outcome == f"held {reason.value}"), None)
        sentence, action = SENTENCE_AND_ACTION[reason]
        explained.append(
            HeldExplanation(
                code=reason.value,
                rule_id=rule.rule_id if rule else "unknown",
                message=sentence,
                action=action,
                detail=rule.detail if rule else "",
            )
        )
    return tuple(explained)
