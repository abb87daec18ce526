"""The gate: cleared, or held with every reason at once; payer requirements are data; the evaluation is
billable before its plan is certified; an IEP is the plan for school-based services; no PHI in messages.

Sources: Pub. 100-02 Ch. 15 §220.1.3 B (the plan results from the evaluation, which is the first day of
the first interval), §220.3 (the referral/order certifies an evaluation); docs/billing-rules.md#5-plan-of-care, §9.
"""

from __future__ import annotations

from datetime import date

import pytest

from otrcm_poc.domain import (
    BillingRecords,
    IepPlan,
    InvalidIep,
    LateReasonRecorded,
    PayerRequirements,
    PlanDiscontinued,
    PlanSource,
    ReasonCode,
    plan_for_date_of_service,
)
from tests.unit.poc.builders import CERTIFIED_PLAN, MEDICARE_LIKE, PLAN, decide, plan_of, signed, visits

pytestmark = pytest.mark.unit

EVALUATION = date(2025, 3, 3)
EVERYTHING = PayerRequirements(
    requires_certified_plan=True, requires_authorization=True, requires_referral=True, progress_reports_required=True
)
IEP_PAYER = PayerRequirements(plan_source=PlanSource.IEP, evaluation_exempt_from_plan=False)
IEP = IepPlan("IEP-7", "student-key", date(2024, 8, 19), date(2025, 5, 30), "2 x 30 min/week")


def test_the_evaluation_is_billable_before_any_plan_exists() -> None:
    """§220.1.3 B: the plan is established from the evaluation, so the evaluation is not under it yet."""
    assert decide(MEDICARE_LIKE, EVALUATION, BillingRecords(), is_evaluation=True).cleared


def test_a_treatment_on_the_evaluation_day_still_needs_the_plan() -> None:
    """Only the evaluation itself is exempt: a treatment the same day with no plan is POC_MISSING."""
    decision = decide(MEDICARE_LIKE, EVALUATION, BillingRecords())
    assert decision.reason_codes == (ReasonCode.POC_MISSING,)


def test_the_evaluation_still_needs_the_authorization_and_referral_the_payer_asks_for() -> None:
    """The exemption is from the plan only."""
    decision = decide(EVERYTHING, EVALUATION, BillingRecords(), is_evaluation=True)
    assert decision.reason_codes == (ReasonCode.AUTH_MISSING, ReasonCode.REFERRAL_MISSING)


def test_every_reason_is_listed_at_once_in_a_fixed_order() -> None:
    """No plan, no authorization, no referral: three reasons in REASON_ORDER, one decision."""
    decision = decide(EVERYTHING, date(2025, 3, 10), BillingRecords())
    assert decision.held
    assert decision.reason_codes == (ReasonCode.POC_MISSING, ReasonCode.AUTH_MISSING, ReasonCode.REFERRAL_MISSING)


def test_a_payer_without_requirements_clears_everything() -> None:
    """Requirements are data: a payer needing nothing clears an encounter with nothing on file."""
    assert decide(PayerRequirements(), date(2025, 3, 10), BillingRecords()).cleared


def test_a_fully_documented_encounter_clears() -> None:
    plan = plan_of(EVALUATION, signed(date(2025, 3, 10)))
    records = BillingRecords(
        plan=plan, authorizations=(visits(12, EVALUATION, date(2025, 5, 31)),), referral_on_file=True
    )
    assert decide(EVERYTHING, date(2025, 3, 12), records).cleared


def test_a_date_before_the_evaluation_is_not_under_the_plan() -> None:
    plan = plan_of(EVALUATION, signed(date(2025, 3, 10)))
    assert decide(CERTIFIED_PLAN, date(2025, 3, 1), BillingRecords(plan=plan)).reason_codes == (ReasonCode.POC_MISSING,)


def test_services_after_discontinuation_are_held_as_expired() -> None:
    """A plan discontinued 2025-04-10 covers that day (the last visit) but not 04-11."""
    plan = plan_of(EVALUATION, signed(date(2025, 3, 10)), PlanDiscontinued(PLAN, date(2025, 4, 10)))
    assert decide(CERTIFIED_PLAN, date(2025, 4, 10), BillingRecords(plan=plan)).cleared
    held = decide(CERTIFIED_PLAN, date(2025, 4, 11), BillingRecords(plan=plan))
    assert held.reason_codes == (ReasonCode.POC_EXPIRED,)
    assert "discontinued on 2025-04-10" in held.reasons[0].message


def test_the_iep_is_the_plan_within_its_own_dates() -> None:
    """docs/billing-rules.md#9-missouri-payers: the IEP serves as the plan of care; its dates (2024-08-19..2025-05-30,
    both included) replace the certification rules."""
    records = BillingRecords(iep=IEP)
    assert decide(IEP_PAYER, date(2025, 3, 4), records).cleared
    assert decide(IEP_PAYER, date(2025, 5, 30), records).cleared
    ended = decide(IEP_PAYER, date(2025, 6, 2), records)
    assert ended.reason_codes == (ReasonCode.IEP_EXPIRED,)
    assert "IEP IEP-7 ended on 2025-05-30" in ended.reasons[0].message
    early = decide(IEP_PAYER, date(2024, 8, 16), records)
    assert early.reason_codes == (ReasonCode.IEP_EXPIRED,)
    assert "not yet in effect" in early.reasons[0].message


def test_without_an_iep_the_school_service_is_held_iep_missing() -> None:
    """No plan-of-care reason appears for an IEP payer, even with no plan of care on file. Whether the
    evaluation needs the IEP is payer data: this payer says so; the default exempts it."""
    assert decide(IEP_PAYER, date(2025, 3, 4), BillingRecords()).reason_codes == (ReasonCode.IEP_MISSING,)
    assert decide(IEP_PAYER, date(2025, 3, 4), BillingRecords(), is_evaluation=True).reason_codes == (
        ReasonCode.IEP_MISSING,
    )
    default_iep_payer = PayerRequirements(plan_source=PlanSource.IEP)
    assert decide(default_iep_payer, date(2025, 3, 4), BillingRecords(), is_evaluation=True).cleared


def test_an_iep_cannot_end_before_it_starts() -> None:
    with pytest.raises(InvalidIep, match="IEP I-1: ends on 2024-08-18"):
        IepPlan("I-1", "k", date(2024, 8, 19), date(2024, 8, 18))


def test_payer_requirements_come_from_plain_data() -> None:
    """The service fills requirements from payer-profile data, not from payer names."""
    data = {"requires_certified_plan": True, "progress_reports_required": True}
    assert PayerRequirements.from_mapping(data) == MEDICARE_LIKE
    assert PayerRequirements.from_mapping(IEP_PAYER.as_mapping()) == IEP_PAYER
    with pytest.raises(ValueError, match="unknown payer requirement"):
        PayerRequirements.from_mapping({"requires_prior_blessing": True})
    with pytest.raises(ValueError, match="must be true or false"):
        PayerRequirements.from_mapping({"requires_referral": "yes"})


def test_messages_carry_no_patient_key_and_no_late_reason_text() -> None:
    """No PHI: messages name plan/authorization ids and dates only, never the patient key or free text."""
    plan = plan_of(EVALUATION, signed(date(2025, 4, 20)), LateReasonRecorded(PLAN, "Mrs Smith was in hospital"))
    late = plan_of(EVALUATION, signed(date(2025, 4, 20)))
    decisions = [
        decide(EVERYTHING, date(2025, 3, 10), BillingRecords(plan=late)),
        decide(EVERYTHING, date(2025, 6, 10), BillingRecords(plan=plan)),
        decide(EVERYTHING, date(2025, 3, 10), BillingRecords()),
    ]
    messages = [reason.message for decision in decisions for reason in decision.reasons]
    assert messages
    assert not any("patient-key-1" in message or "Smith" in message for message in messages)


def test_the_plan_for_a_date_is_the_latest_one_started_by_then() -> None:
    first = plan_of(EVALUATION)
    second = plan_of(date(2025, 7, 1))
    assert plan_for_date_of_service([first, second], date(2025, 6, 30)) is first
    assert plan_for_date_of_service([first, second], date(2025, 7, 1)) is second
    assert plan_for_date_of_service([first, second], date(2025, 3, 2)) is None
