"""KX: the line that takes the year's bucket total above the therapy threshold, and every later line.

Source: CMS Pub. 100-04 Ch. 5 §10.3; docs/billing-rules.md#4-threshold-and-kx (thresholds by year in the
``therapy_thresholds`` dataset, 2019-2026). KX attests that services above the threshold are medically
necessary and documented: lines above it without KX are denied, and KX where the threshold is not being
exceeded is improper. So a line above the threshold gets KX only when its encounter attests medical
necessity; otherwise it is held ``KX_NEEDS_ATTESTATION``.

Interpretation of the edge (documented choice): CMS's wording is "exceeds"/"above" the threshold, so the
running total must be strictly greater. A line that brings the total to exactly the threshold does not get
KX; the next line with any amount does, and so does every later line that year (even one of $0).

What counts (documented choice): the expected allowed amounts of the day's billed therapy lines, in line
order, after MPPR and the assistant share, added to the year's earlier days and seeds
(:func:`accrued_before`). A line without an expected amount is not held (an estimate never holds a
claim): it adds nothing, and KX is decided on the total so far. Lines held for KX attestation still
count (the service was furnished and bills once documented); lines held for other reasons do not
(they are not on the claim). Passing the targeted medical review amount ($3,000, 2018-2027) is a flag, not a hold.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from otrcm_modifiers.domain import sources
from otrcm_modifiers.domain.discipline_modifier import THERAPY_STATUSES
from otrcm_modifiers.domain.model import HeldReason, RuleResult
from otrcm_modifiers.domain.threshold_accrual import (
    ZERO,
    DayContribution,
    LineAmount,
    ThresholdAccrual,
    accrued_before,
)
from otrcm_modifiers.domain.working_line import ModifierRank, WorkingLine
from otrcm_shared.refdata.discipline_modifiers import DisciplineModifiers
from otrcm_shared.refdata.payer_modifier_policy import PayerModifierPolicy
from otrcm_shared.refdata.therapy_limits import SourcedAmount, ThresholdBucket

KX_RULE = "kx_required_once_threshold_exceeded"
REVIEW_RULE = "targeted_review_amount_passed"


@dataclass(frozen=True, slots=True)
class YearLimits:
    """The KX threshold and the targeted review amount of one bucket for the day's year (None: unknown).

    ``provisional_margin``: the share of the threshold (e.g. 0.05) within which a provisional total is
    decided as if it crossed the threshold (dataset ``kx_provisional_margin``; None: no margin).
    """

    threshold: SourcedAmount | None
    targeted_review: SourcedAmount | None
    provisional_margin: Decimal | None = None


@dataclass(frozen=True, slots=True)
class KxOutcome:
    lines: tuple[WorkingLine, ...]
    contributions: tuple[DayContribution, ...]
    day_rules: tuple[RuleResult, ...]


def kx_required_once_threshold_exceeded(
    lines: Sequence[WorkingLine],
    billing_day: date,
    accrual: ThresholdAccrual,
    limits: Mapping[ThresholdBucket, YearLimits],
    disciplines: DisciplineModifiers,
    policy: PayerModifierPolicy,
) -> KxOutcome:
    """Rule: walk the day's priced therapy lines, accrue their amounts and decide KX for each.

    Returns the lines, the day's contribution per bucket (to replace the day's earlier one), and the
    day-level rule results (the targeted-review flag). A payer that does not use the threshold leaves
    lines and accrual as they are.
    """
    if not policy.uses_threshold:
        return KxOutcome(tuple(lines), (), ())
    earlier = {bucket: accrued_before(accrual, billing_day, bucket) for bucket in ThresholdBucket}
    running = {bucket: estimate.total for bucket, estimate in earlier.items()}
    uncertain = {bucket: estimate.provisional for bucket, estimate in earlier.items()}
    counted: dict[ThresholdBucket, list[LineAmount]] = {bucket: [] for bucket in ThresholdBucket}
    result: list[WorkingLine] = []
    day_rules: list[RuleResult] = []
    for entry in lines:
        if entry.info.therapy_status not in THERAPY_STATUSES or not entry.billed:
            result.append(entry)
            continue
        bucket = disciplines.of(entry.line.discipline).threshold_bucket
        before = running[bucket]
        running[bucket] = before + (entry.amount or ZERO)
        provisional = any(used.provisional for used in entry.basis)
        uncertain[bucket] = uncertain[bucket] or provisional
        if entry.amount is not None:
            counted[bucket].append(LineAmount(entry.key, entry.amount, provisional))
        year_limits = limits.get(bucket, YearLimits(None, None))
        position = _Position(before, running[bucket], uncertain[bucket], year_limits.provisional_margin)
        entry = _decide_kx(entry, bucket, position, year_limits.threshold, policy)
        review = year_limits.targeted_review
        if review is not None and before <= review.amount < running[bucket]:
            entry, flag = _review_flag(entry, bucket, running[bucket], review)
            day_rules.append(flag)
        result.append(entry)
    contributions = tuple(DayContribution(billing_day, b, tuple(counted[b])) for b in ThresholdBucket)
    return KxOutcome(tuple(result), contributions, tuple(day_rules))


@dataclass(frozen=True, slots=True)
class _Position:
    """The bucket's total before and after a line, whether it rests on provisional estimates, the margin."""

    before: Decimal
    after: Decimal
    provisional: bool
    margin: Decimal | None


def decided_as_crossing(after: Decimal, threshold: SourcedAmount, provisional: bool, margin: Decimal | None) -> bool:
    """A provisional total (or threshold) within ``margin`` x threshold below the threshold counts as crossing it:
    with estimates carried from an earlier year, "not above" cannot be trusted that close to the line."""
    uncertain = provisional or threshold.provisional
    if not uncertain or margin is None or after > threshold.amount:
        return False
    return after >= threshold.amount - threshold.amount * margin


def _decide_kx(
    entry: WorkingLine,
    bucket: ThresholdBucket,
    position: _Position,
    threshold: SourcedAmount | None,
    policy: PayerModifierPolicy,
) -> WorkingLine:
    before, after = position.before, position.after
    label = "OT" if bucket is ThresholdBucket.OT else "PT+SLP"
    if threshold is None:
        return entry.holding(
            HeldReason.THRESHOLD_UNKNOWN,
            KX_RULE,
            sources.THRESHOLD_KX,
            f"no {label} therapy threshold is recorded for the year; KX cannot be decided",
        )
    amount = f"${entry.amount}" if entry.amount is not None else "$0 (this line could not be priced)"
    totals = (
        f"year's {label} total ${before} + {amount} = ${after} against the ${threshold.amount} threshold "
        f"({threshold.version}); totals are estimates"
    )
    as_crossing = decided_as_crossing(after, threshold, position.provisional, position.margin)
    if after <= threshold.amount and not as_crossing:
        return entry.noting(KX_RULE, sources.THRESHOLD_KX, "no KX", f"{totals}: not above it")
    where = "above it"
    if as_crossing:
        margin = threshold.amount * (position.margin or ZERO)
        where = (
            f"not above it, but the total is provisional (priced or limited by data carried forward from an "
            f"earlier year) and within the ${margin:.2f} margin of the threshold: decided as if crossing it"
        )
    if not policy.uses_kx:
        return entry.noting(KX_RULE, sources.PAYER_POLICY, "no KX", f"{totals}: {where}, but the payer does not use KX")
    if entry.line.attestations.medical_necessity_documented:
        outcome_source = (
            f"{sources.THRESHOLD_KX}; {sources.PROVISIONAL_MARGIN}" if as_crossing else sources.THRESHOLD_KX
        )
        return entry.adding(
            ModifierRank.THRESHOLD, "KX", KX_RULE, outcome_source, f"{totals}: {where}, medical necessity attested"
        )
    return entry.holding(
        HeldReason.KX_NEEDS_ATTESTATION,
        KX_RULE,
        f"{sources.THRESHOLD_KX}; {sources.PROVISIONAL_MARGIN}" if as_crossing else sources.THRESHOLD_KX,
        f"{totals}: {where}, and the encounter does not attest medical necessity; document it to bill with KX",
    )


def _review_flag(
    entry: WorkingLine, bucket: ThresholdBucket, after: Decimal, review: SourcedAmount
) -> tuple[WorkingLine, RuleResult]:
    label = "OT" if bucket is ThresholdBucket.OT else "PT+SLP"
    detail = (
        f"the year's {label} total reaches ${after}, past the ${review.amount} targeted medical review amount "
        f"(estimate): make sure the documentation is review-ready"
    )
    flagged = entry.noting(REVIEW_RULE, sources.TARGETED_REVIEW, "flagged for review readiness", detail, flag=True)
    return flagged, flagged.rules[-1]
