"""Timeliness of the initial certification: signed within 30 days of the first treatment; a verbal order
signed within 14 days; late certification billable only with a recorded reason.

Sources: Pub. 100-02 Ch. 15 §220.1.3 B ("dated in the 30 days following the first day of treatment
(including evaluation)"; verbal order "followed within 14 days by a signature"), §220.1.3 D and
42 CFR 424.11(d)(3) (delayed certification accepted with a reason). Day counting: days *after* the
event; the evaluation is day 0. Dates by hand from the evaluation on 2025-03-03: day 30 = 2025-04-02
(28 days to 03-31, then 2), day 31 = 2025-04-03. Verbal order on day 20 = 2025-03-23; 14 days later =
2025-04-06 (8 days to 03-31, then 6), 15 days later = 2025-04-07 — both after day 30, so only the
verbal order can make them timely.
"""

from __future__ import annotations

from datetime import date

import pytest

from otrcm_poc.domain import (
    CURRENT_POLICY_DATES,
    BillingRecords,
    CertificationMethod,
    InitialCertificationState,
    LateReasonRecorded,
    PlanEvent,
    PlanRecertified,
    ReasonCode,
    VerbalOrderReceived,
    VerbalOrderSigned,
    initial_certification_status,
    recertification_is_timely,
)
from tests.unit.poc.builders import CERTIFIED_PLAN, NPI, PLAN, decide, plan_of, signed

pytestmark = pytest.mark.unit

EVALUATION = date(2025, 3, 3)
DAY_30 = date(2025, 4, 2)
DAY_31 = date(2025, 4, 3)
VERBAL = date(2025, 3, 23)
TREATMENT = date(2025, 3, 10)


def state_of(*events: PlanEvent, today: date = date(2025, 5, 1)) -> InitialCertificationState:
    plan = plan_of(EVALUATION, *events)
    return initial_certification_status(plan, policy=CURRENT_POLICY_DATES, today=today).state


def test_a_signature_on_day_30_is_timely() -> None:
    """§220.1.3 B: signed 2025-04-02, 30 days after the 2025-03-03 evaluation: timely, billable."""
    plan = plan_of(EVALUATION, signed(DAY_30))
    status = initial_certification_status(plan, policy=CURRENT_POLICY_DATES, today=DAY_30)
    assert (status.state, status.method, status.certified_on, status.deadline) == (
        InitialCertificationState.TIMELY,
        CertificationMethod.SIGNATURE,
        DAY_30,
        DAY_30,
    )
    assert decide(CERTIFIED_PLAN, TREATMENT, BillingRecords(plan=plan)).cleared


def test_a_signature_on_day_31_is_late_and_held_without_a_reason() -> None:
    """§220.1.3 B/D: signed 2025-04-03, day 31: late; without a recorded reason the treatment is held
    POC_CERTIFICATION_LATE; the message names the dates, not the patient."""
    plan = plan_of(EVALUATION, signed(DAY_31))
    assert state_of(signed(DAY_31)) is InitialCertificationState.LATE_WITHOUT_REASON
    decision = decide(CERTIFIED_PLAN, TREATMENT, BillingRecords(plan=plan))
    assert decision.reason_codes == (ReasonCode.POC_CERTIFICATION_LATE,)
    assert "2025-04-03" in decision.reasons[0].message
    assert "2025-04-02" in decision.reasons[0].message


def test_a_late_certification_with_a_recorded_reason_is_billable() -> None:
    """§220.1.3 D: delayed certification is accepted with a reason for the delay; therapy is not denied
    only because certification was late. The reason text never appears in a message."""
    reason = LateReasonRecorded(PLAN, "physician on leave; plan re-sent twice")
    plan = plan_of(EVALUATION, signed(DAY_31), reason)
    assert state_of(signed(DAY_31), reason) is InitialCertificationState.LATE_WITH_REASON
    assert decide(CERTIFIED_PLAN, TREATMENT, BillingRecords(plan=plan)).cleared


def test_a_verbal_order_signed_14_days_later_is_timely() -> None:
    """§220.1.3 B: verbal order 2025-03-23 (day 20), signed 2025-04-06 (14 days later): the
    certification counts from the order's date, inside the 30 days: timely, method verbal order."""
    events = (VerbalOrderReceived(PLAN, VERBAL, NPI, "DO"), VerbalOrderSigned(PLAN, date(2025, 4, 6)))
    plan = plan_of(EVALUATION, *events)
    status = initial_certification_status(plan, policy=CURRENT_POLICY_DATES, today=date(2025, 4, 6))
    assert (status.state, status.method, status.certified_on) == (
        InitialCertificationState.TIMELY,
        CertificationMethod.VERBAL_ORDER,
        VERBAL,
    )


def test_a_verbal_order_signed_15_days_later_is_late() -> None:
    """§220.1.3 B: signed 2025-04-07, 15 days after the order: the order is not timely followed, so
    the certification is the signature of 2025-04-07, day 35: late, held without a reason."""
    events = (VerbalOrderReceived(PLAN, VERBAL, NPI, "DO"), VerbalOrderSigned(PLAN, date(2025, 4, 7)))
    plan = plan_of(EVALUATION, *events)
    status = initial_certification_status(plan, policy=CURRENT_POLICY_DATES, today=date(2025, 4, 7))
    assert (status.state, status.certified_on) == (InitialCertificationState.LATE_WITHOUT_REASON, date(2025, 4, 7))
    decision = decide(CERTIFIED_PLAN, TREATMENT, BillingRecords(plan=plan), decided_on=date(2025, 4, 7))
    assert decision.reason_codes == (ReasonCode.POC_CERTIFICATION_LATE,)


def test_a_verbal_order_signed_late_but_within_30_days_is_timely_by_its_signature() -> None:
    """A signature dated 2025-03-30 (day 27) is timely on its own, even 17 days after a 03-13 order."""
    events = (VerbalOrderReceived(PLAN, date(2025, 3, 13), NPI, "PA"), VerbalOrderSigned(PLAN, date(2025, 3, 30)))
    plan = plan_of(EVALUATION, *events)
    status = initial_certification_status(plan, policy=CURRENT_POLICY_DATES, today=date(2025, 4, 10))
    assert (status.state, status.method) == (InitialCertificationState.TIMELY, CertificationMethod.SIGNATURE)


def test_an_unsigned_verbal_order_certifies_for_14_days_then_lapses() -> None:
    """§220.1.3 B: a dated verbal order documents the certification while its signature can still be
    timely: billable on 2025-04-06 (14 days after 03-23), held POC_NOT_CERTIFIED on 04-07."""
    plan = plan_of(EVALUATION, VerbalOrderReceived(PLAN, VERBAL, NPI, "NP"))
    records = BillingRecords(plan=plan)
    assert state_of(VerbalOrderReceived(PLAN, VERBAL, NPI, "NP"), today=date(2025, 4, 6)) is (
        InitialCertificationState.AWAITING_VERBAL_ORDER_SIGNATURE
    )
    assert decide(CERTIFIED_PLAN, TREATMENT, records, decided_on=date(2025, 4, 6)).cleared
    lapsed = decide(CERTIFIED_PLAN, TREATMENT, records, decided_on=date(2025, 4, 7))
    assert lapsed.reason_codes == (ReasonCode.POC_NOT_CERTIFIED,)
    assert "not signed within 14 days" in lapsed.reasons[0].message


def test_a_plan_never_certified_is_held_not_certified() -> None:
    """§220.1.3 B: no certification and no written order on file (so no 2025 exception): held."""
    plan = plan_of(EVALUATION)
    assert state_of() is InitialCertificationState.NOT_CERTIFIED
    assert decide(CERTIFIED_PLAN, TREATMENT, BillingRecords(plan=plan)).reason_codes == (ReasonCode.POC_NOT_CERTIFIED,)


def test_a_recertification_signed_within_30_days_of_its_interval_needs_no_reason() -> None:
    """§220.1.3 D (delayed certification: no justification needed in the 30 days after it is due; our
    reading, medium confidence); due on the first day of its interval, 2025-06-01: signed 2025-07-01
    (30 days: 29 of June + 1) is timely, 2025-07-02 is not; signed early is timely."""
    assert recertification_is_timely(date(2025, 6, 1), date(2025, 7, 1))
    assert not recertification_is_timely(date(2025, 6, 1), date(2025, 7, 2))
    assert recertification_is_timely(date(2025, 6, 1), date(2025, 5, 20))


def test_a_late_recertification_is_held_until_its_reason_is_recorded() -> None:
    """A recertification signed 2025-07-02 for the interval from 2025-06-01: treatment on 06-05 is held
    POC_CERTIFICATION_LATE; recording reason number 1 (the first recertification) releases it."""
    recert = PlanRecertified(PLAN, date(2025, 7, 2), NPI, "MD", duration_days=60)
    plan = plan_of(EVALUATION, signed(date(2025, 3, 10)), recert)
    held = decide(CERTIFIED_PLAN, date(2025, 6, 5), BillingRecords(plan=plan))
    assert held.reason_codes == (ReasonCode.POC_CERTIFICATION_LATE,)
    assert "recertification 1" in held.reasons[0].message
    excused = plan_of(
        EVALUATION, signed(date(2025, 3, 10)), recert, LateReasonRecorded(PLAN, "fax lost", certification_number=1)
    )
    assert decide(CERTIFIED_PLAN, date(2025, 6, 5), BillingRecords(plan=excused)).cleared
