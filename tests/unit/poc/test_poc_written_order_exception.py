"""The 2025 exception: from 2025-01-01 the INITIAL certification needs no signature when a signed, dated
written order/referral is on file and the plan was sent to the physician/NPP within 30 days of the
evaluation. Recertifications always need a signature.

Sources: CY 2025 PFS final rule, 89 FR 97710 at 97912-97918; 42 CFR 424.24(c); Pub. 100-02 Ch. 15
§220.1.3. Interpretation tested: the plan's evaluation date decides whether the exception is in effect.
Dates by hand: evaluation 2025-01-06; day 30 = 2025-02-05 (25 days to 01-31, then 5), day 31 = 02-06;
the 90-day interval ends 2025-04-05 (25 + 28 + 31 + 5 = 89 days after), so 2025-04-06 is day 91.
"""

from __future__ import annotations

from datetime import date

import pytest

from otrcm_poc.domain import (
    CURRENT_POLICY_DATES,
    BillingRecords,
    CertificationMethod,
    InitialCertificationState,
    PlanRecertified,
    PlanSent,
    PolicyDates,
    ReasonCode,
    WrittenOrderFiled,
    initial_certification_status,
    written_order_exception_applies,
)
from tests.unit.poc.builders import CERTIFIED_PLAN, NPI, PLAN, decide, plan_of

pytestmark = pytest.mark.unit


def test_a_plan_evaluated_in_2024_needs_a_signature_despite_order_and_timely_sending() -> None:
    """Before 2025-01-01 the exception does not exist: a 2024-12-02 plan with an order on file, sent
    2024-12-05, unsigned, is held POC_NOT_CERTIFIED for 2024-12-10 and for 2025-01-06 alike."""
    plan = plan_of(date(2024, 12, 2), PlanSent(PLAN, date(2024, 12, 5)), written_order=True)
    assert not written_order_exception_applies(plan, CURRENT_POLICY_DATES)
    for day in (date(2024, 12, 10), date(2025, 1, 6)):
        decision = decide(CERTIFIED_PLAN, day, BillingRecords(plan=plan))
        assert decision.reason_codes == (ReasonCode.POC_NOT_CERTIFIED,)


def test_a_plan_evaluated_in_2025_with_an_order_and_sent_in_time_needs_no_signature() -> None:
    """From 2025-01-01: evaluation 2025-01-06, order on file, sent 2025-01-10: certified by the exception."""
    plan = plan_of(date(2025, 1, 6), PlanSent(PLAN, date(2025, 1, 10)), written_order=True)
    status = initial_certification_status(plan, policy=CURRENT_POLICY_DATES, today=date(2025, 1, 13))
    assert (status.state, status.method, status.certified_on) == (
        InitialCertificationState.WRITTEN_ORDER_EXCEPTION,
        CertificationMethod.WRITTEN_ORDER_EXCEPTION,
        date(2025, 1, 10),
    )
    assert decide(CERTIFIED_PLAN, date(2025, 1, 13), BillingRecords(plan=plan)).cleared


def test_the_effective_date_itself_is_in_and_the_day_before_is_out() -> None:
    """Effective 2025-01-01: a plan evaluated that day qualifies, one evaluated 2024-12-31 does not."""
    on_the_day = plan_of(date(2025, 1, 1), PlanSent(PLAN, date(2025, 1, 2)), written_order=True)
    day_before = plan_of(date(2024, 12, 31), PlanSent(PLAN, date(2025, 1, 2)), written_order=True)
    assert written_order_exception_applies(on_the_day, CURRENT_POLICY_DATES)
    assert not written_order_exception_applies(day_before, CURRENT_POLICY_DATES)


def test_the_effective_date_is_policy_data() -> None:
    """Moving the date in PolicyDates moves the rule: with 2024-12-01 the 2024-12-02 plan qualifies;
    with ``None`` even a 2025 plan does not."""
    plan_2024 = plan_of(date(2024, 12, 2), PlanSent(PLAN, date(2024, 12, 5)), written_order=True)
    plan_2025 = plan_of(date(2025, 1, 6), PlanSent(PLAN, date(2025, 1, 10)), written_order=True)
    assert written_order_exception_applies(plan_2024, PolicyDates(written_order_exception_from=date(2024, 12, 1)))
    assert not written_order_exception_applies(plan_2025, PolicyDates(written_order_exception_from=None))


def test_sent_on_day_30_qualifies_and_day_31_does_not() -> None:
    """ "Sent within 30 days of the evaluation": 2025-02-05 (day 30) qualifies; 2025-02-06 does not."""
    in_time = plan_of(date(2025, 1, 6), PlanSent(PLAN, date(2025, 2, 5)), written_order=True)
    too_late = plan_of(date(2025, 1, 6), PlanSent(PLAN, date(2025, 2, 6)), written_order=True)
    assert written_order_exception_applies(in_time, CURRENT_POLICY_DATES)
    assert not written_order_exception_applies(too_late, CURRENT_POLICY_DATES)


def test_without_a_written_order_on_file_the_exception_does_not_apply_until_one_is_filed() -> None:
    """Both conditions are needed: sent in time but no order -> held; the order filed later -> cleared."""
    sent = PlanSent(PLAN, date(2025, 1, 10))
    no_order = plan_of(date(2025, 1, 6), sent)
    with_order = plan_of(date(2025, 1, 6), sent, WrittenOrderFiled(PLAN, date(2025, 1, 20)))
    assert decide(CERTIFIED_PLAN, date(2025, 1, 13), BillingRecords(plan=no_order)).reason_codes == (
        ReasonCode.POC_NOT_CERTIFIED,
    )
    assert decide(CERTIFIED_PLAN, date(2025, 1, 13), BillingRecords(plan=with_order)).cleared


def test_a_recertification_never_uses_the_exception() -> None:
    """Recertifications still need a signature: the exception covers the initial interval (through
    2025-04-05) only; 2025-04-06 is held POC_EXPIRED until a signed recertification is on file."""
    plan = plan_of(date(2025, 1, 6), PlanSent(PLAN, date(2025, 1, 10)), written_order=True)
    assert decide(CERTIFIED_PLAN, date(2025, 4, 5), BillingRecords(plan=plan)).cleared
    expired = decide(CERTIFIED_PLAN, date(2025, 4, 6), BillingRecords(plan=plan))
    assert expired.reason_codes == (ReasonCode.POC_EXPIRED,)
    recertified = plan_of(
        date(2025, 1, 6),
        PlanSent(PLAN, date(2025, 1, 10)),
        PlanRecertified(PLAN, date(2025, 4, 1), NPI, "MD", duration_days=60),
        written_order=True,
    )
    assert decide(CERTIFIED_PLAN, date(2025, 4, 6), BillingRecords(plan=recertified)).cleared
