"""From a cleared billing day (the gate's ``DayJudged``) to the domain's BillingDay, and from its outcome to
the ``ClaimLinesReady`` event."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from otrcm_modifiers.domain.evaluate_day import DayOutcome
from otrcm_modifiers.domain.held_reasons import explain_holds
from otrcm_modifiers.domain.kx_threshold import YearLimits
from otrcm_modifiers.domain.model import Attestations, BillingDay, DayLine, LineResult
from otrcm_modifiers.domain.threshold_accrual import AccrualEstimate
from otrcm_shared.events.claim_lines import (
    ClaimLinesReady,
    HeldLine,
    HoldDetail,
    ReadyLine,
    RuleApplied,
    ThresholdStatus,
)
from otrcm_shared.events.day_verdict import DayJudged
from otrcm_shared.events.encounters import EncounterReceived, ServiceLine
from otrcm_shared.events.reference_data import DatasetUsed
from otrcm_shared.refdata.payer_modifier_policy import PayerModifierPolicy
from otrcm_shared.refdata.therapy_limits import ThresholdBucket

LINE_ID_SEPARATOR = "#"


def line_id(encounter_id: str, line_number: int, billed_code: str) -> str:
    """One claim line of the day: a 97129/97130 line can bill under two codes, so the code is part of it."""
    return f"{encounter_id}{LINE_ID_SEPARATOR}{line_number}{LINE_ID_SEPARATOR}{billed_code}"


def _origin(encounters: dict[str, EncounterReceived], key: str) -> tuple[EncounterReceived, ServiceLine]:
    encounter_id, line_number, _ = key.split(":")[0].rsplit(LINE_ID_SEPARATOR, 2)
    encounter = encounters[encounter_id]
    return encounter, next(line for line in encounter.lines if line.line_number == int(line_number))


def billing_day_of(cleared: DayJudged, policy: PayerModifierPolicy, locality: str) -> BillingDay:
    day = cleared.day
    encounters = {e.encounter_id: e for e in day.encounters}
    lines = []
    for result in day.lines:
        if result.units == 0:
            continue  # minutes that earned no unit are not billed
        encounter = encounters[result.encounter_id]
        documented = next(line for line in encounter.lines if line.line_number == result.line_number)
        lines.append(
            DayLine(
                line_id=line_id(result.encounter_id, result.line_number, result.billed_code),
                code=result.billed_code,
                units=result.units,
                minutes=result.minutes,
                assistant_minutes=min(documented.assistant_minutes, result.minutes),
                modifiers=documented.modifiers,
                discipline=day.discipline,
                attestations=Attestations(
                    medical_necessity_documented=encounter.attestations.medical_necessity_documented,
                    distinct_time_blocks=encounter.attestations.distinct_time_blocks,
                ),
            )
        )
    return BillingDay(day.patient_key, day.date_of_service, day.payer_id, policy, locality, tuple(lines))


def _rules(result: LineResult) -> tuple[RuleApplied, ...]:
    return tuple(RuleApplied(rule_id=r.rule_id, outcome=r.outcome, source=r.source) for r in result.rules)


def claim_lines_ready(
    cleared: DayJudged,
    outcome: DayOutcome,
    version: int,
    limits: Mapping[ThresholdBucket, YearLimits],
    reference_used: Sequence[DatasetUsed] = (),
) -> ClaimLinesReady:
    day = cleared.day
    encounters = {e.encounter_id: e for e in day.encounters}
    first = day.encounters[0]
    ready, held = [], []
    for result in outcome.lines:
        encounter, documented = _origin(encounters, result.line_key)
        if result.billable:
            ready.append(
                ReadyLine(
                    line_key=result.line_key,
                    encounter_id=encounter.encounter_id,
                    line_number=documented.line_number,
                    code=result.code,
                    modifiers=result.modifiers,
                    units=result.units,
                    diagnosis_codes=tuple(encounter.diagnoses[p - 1] for p in documented.diagnosis_pointers),
                    expected_allowed=result.expected_amount,
                    rules=_rules(result),
                    expected_provisional=bool(result.provisional),
                    expected_basis=result.basis,
                    rendering_provider_npi=encounter.rendering_provider.npi,
                )
            )
        else:
            explained = explain_holds(result)
            held.append(
                HeldLine(
                    line_key=result.line_key,
                    encounter_id=encounter.encounter_id,
                    line_number=documented.line_number,
                    code=result.code,
                    reasons=tuple(e.code for e in explained) or ("NO_UNITS",),
                    message=" ".join(e.message for e in explained) or "the line earned no units",
                    details=tuple(
                        HoldDetail(code=e.code, rule_id=e.rule_id, message=e.message, action=e.action, detail=e.detail)
                        for e in explained
                    ),
                )
            )
    ot = [e for e in outcome.accrual_estimates if e.bucket is ThresholdBucket.OT]
    threshold = threshold_status(ot[0], limits.get(ThresholdBucket.OT)) if ot else None
    used = {(u.dataset, u.version): u for r in outcome.lines for u in r.basis}
    used.update({(u.dataset, u.version): u for u in reference_used})
    return ClaimLinesReady(
        day_key=day.day_key,
        version=version,
        units_revision=day.revision,
        gate_revision=cleared.revision,
        patient_key=day.patient_key,
        payer_id=day.payer_id,
        date_of_service=day.date_of_service,
        place_of_service=first.place_of_service,
        billing_provider_npi=first.billing_provider_npi,
        rendering_provider=first.rendering_provider,
        location_id=first.location_id,
        referring_provider_npi=cleared.certifier_npi,
        encounter_ids=tuple(encounter.encounter_id for encounter in day.encounters),
        lines=tuple(ready),
        held_lines=tuple(held),
        threshold=threshold,
        reference_data=tuple(sorted(used.values(), key=lambda u: (u.dataset, u.version))),
    )


def threshold_status(estimate: AccrualEstimate, limits: YearLimits | None) -> ThresholdStatus:
    """The OT accrual after the day against the year's threshold and the targeted-review amount."""
    threshold = limits.threshold.amount if limits and limits.threshold else None
    review = limits.targeted_review.amount if limits and limits.targeted_review else None
    return ThresholdStatus(
        year=estimate.year,
        bucket=estimate.bucket.value,
        accrued=estimate.total,
        threshold=threshold,
        above_threshold=threshold is not None and estimate.total > threshold,
        targeted_review_flag=review is not None and estimate.total > review,
        provisional=estimate.provisional,
        threshold_provisional=bool(limits and limits.threshold and limits.threshold.provisional),
    )
