"""Small builders for the modifier rule tests: a day of lines, its reference values, and fixture policies."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal

from otrcm_modifiers.domain import (
    Attestations,
    BillingDay,
    DayLine,
    DayOutcome,
    DayReference,
    LineResult,
    ThresholdAccrual,
    YearLimits,
    empty_accrual,
    evaluate_billing_day,
)
from otrcm_shared.events.encounters import Discipline
from otrcm_shared.refdata import CodeCatalog
from otrcm_shared.refdata.discipline_modifiers import DisciplineModifiers
from otrcm_shared.refdata.medicare_pfs import MedicarePfsValues
from otrcm_shared.refdata.ncci_edits import MueLimits, PtpEdits
from otrcm_shared.refdata.payer_modifier_policy import DistinctModifier, PayerModifierPolicy, PricingMethod
from otrcm_shared.refdata.therapy_limits import (
    ThresholdBucket,
    kx_provisional_margin,
    kx_threshold,
    targeted_review_threshold,
)

BENEFICIARY = "pk-1"
ATTESTED = Attestations(medical_necessity_documented=True, distinct_time_blocks=True)
NOT_ATTESTED = Attestations()

# A Medicare-like policy priced from a fixture fee schedule, so KX tests use round dollar amounts.
THRESHOLD_POLICY_FIXTURE_PRICES = PayerModifierPolicy(
    uses_threshold=True,
    uses_kx=True,
    uses_co=True,
    distinct_modifier=DistinctModifier.XU,
    pricing=PricingMethod.FEE_SCHEDULE,
)
MEDICAID_LIKE_POLICY = PayerModifierPolicy(
    uses_threshold=False,
    uses_kx=False,
    uses_co=False,
    distinct_modifier=DistinctModifier.MODIFIER_59,
    pricing=PricingMethod.FEE_SCHEDULE,
)
# Fixture amounts per unit (not any payer's rates), written here so the tests' arithmetic can be checked by hand.
FIXTURE_FEES = {
    "97530": Decimal("40.00"),
    "97110": Decimal("35.00"),
    "97140": Decimal("33.00"),
    "97165": Decimal("100.00"),
    "97166": Decimal("100.00"),
    "97168": Decimal("70.00"),
    "92526": Decimal("50.00"),
}


def line(
    line_id: str,
    code: str,
    units: int,
    minutes: int | None = None,
    *,
    assistant: int = 0,
    modifiers: tuple[str, ...] = (),
    discipline: Discipline = Discipline.OT,
    attestations: Attestations = ATTESTED,
) -> DayLine:
    return DayLine(
        line_id=line_id,
        code=code,
        units=units,
        minutes=15 * units if minutes is None else minutes,
        assistant_minutes=assistant,
        modifiers=modifiers,
        discipline=discipline,
        attestations=attestations,
    )


def shipped_limits(on: date) -> Mapping[ThresholdBucket, YearLimits]:
    """The shipped KX threshold and targeted review amount of both buckets for ``on``'s year."""
    margin = kx_provisional_margin(on).amount
    return {
        bucket: YearLimits(kx_threshold(bucket, on), targeted_review_threshold(bucket, on), margin)
        for bucket in ThresholdBucket
    }


def reference(
    on: date,
    *,
    fees: Mapping[str, Decimal] = FIXTURE_FEES,
    ptp: PtpEdits | None = None,
    mue: MueLimits | None = None,
    medicare: MedicarePfsValues | None = None,
    limits: Mapping[ThresholdBucket, YearLimits] | None = None,
) -> DayReference:
    return DayReference(
        catalog=CodeCatalog.builtin(on),
        disciplines=DisciplineModifiers.builtin(on),
        limits=shipped_limits(on) if limits is None else limits,
        ptp_edits=ptp,
        mue_limits=mue,
        medicare=medicare,
        fee_schedule=fees,
    )


def run_day(
    on: date,
    *lines: DayLine,
    policy: PayerModifierPolicy = THRESHOLD_POLICY_FIXTURE_PRICES,
    accrual: ThresholdAccrual | None = None,
    ref: DayReference | None = None,
    locality: str = "MO-01",
    payer_id: str = "medicare-wps-j5",
) -> DayOutcome:
    day = BillingDay(BENEFICIARY, on, payer_id, policy, locality, tuple(lines))
    return evaluate_billing_day(day, accrual or empty_accrual(BENEFICIARY), ref or reference(on))


def by_key(outcome: DayOutcome) -> dict[str, LineResult]:
    return {result.line_key: result for result in outcome.lines}


def seeded_ot(amount: str, year: int) -> ThresholdAccrual:
    """An accrual seeded with ``amount`` of OT spend for ``year`` (manual entry)."""
    from otrcm_modifiers.domain import SeededAmount, SeedOrigin, seed

    spend = SeededAmount("seed", year, ThresholdBucket.OT, Decimal(amount), SeedOrigin.MANUAL_ENTRY)
    return seed(empty_accrual(BENEFICIARY), spend)
