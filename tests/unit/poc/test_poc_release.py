"""Releasing held encounters when the records change: a certification, a late reason, a progress report,
an authorization. A release is a fresh gate decision, so it never disagrees with the gate.

Sources: as for the gate (Pub. 100-02 Ch. 15 §220.1.3, §220.3). Dates by hand from the evaluation on
2025-03-03: 30-day deadline 2025-04-02.
"""

from __future__ import annotations

from datetime import date

import pytest

from otrcm_poc.domain import (
    CURRENT_POLICY_DATES,
    BillingRecords,
    EncounterFacts,
    LateReasonRecorded,
    PayerRequirements,
    ProgressReportFiled,
    ReasonCode,
    StateChange,
    TreatmentDayRecorded,
    apply_plan_event,
    check_release,
    count_encounter,
    worth_rechecking,
)
from tests.unit.poc.builders import CERTIFIED_PLAN, MEDICARE_LIKE, PLAN, decide, plan_of, signed, visits

pytestmark = pytest.mark.unit

EVALUATION = date(2025, 3, 3)
TREATMENT = EncounterFacts("E-9", date(2025, 3, 10))


def test_an_encounter_held_for_certification_is_released_once_the_plan_is_signed() -> None:
    """Held POC_NOT_CERTIFIED on 2025-03-10; signed 2025-03-20 (day 17, timely): releasable."""
    unsigned = plan_of(EVALUATION)
    held = decide(CERTIFIED_PLAN, TREATMENT.date_of_service, BillingRecords(plan=unsigned), encounter_id="E-9")
    assert held.reason_codes == (ReasonCode.POC_NOT_CERTIFIED,)
    assert worth_rechecking(held.reason_codes, StateChange.PLAN_CERTIFIED)
    signed_plan = apply_plan_event(unsigned, signed(date(2025, 3, 20)))
    check = check_release(
        held.reason_codes,
        CERTIFIED_PLAN,
        TREATMENT,
        BillingRecords(plan=signed_plan),
        policy=CURRENT_POLICY_DATES,
        decided_on=date(2025, 3, 20),
    )
    assert check.releasable
    assert (check.resolved, check.still_held, check.new) == ((ReasonCode.POC_NOT_CERTIFIED,), (), ())


def test_a_late_signature_turns_not_certified_into_late_and_a_reason_releases_it() -> None:
    """Signed 2025-04-20 (after 04-02): still held, now POC_CERTIFICATION_LATE (new); with the reason
    recorded it is releasable (§220.1.3 D)."""
    late = plan_of(EVALUATION, signed(date(2025, 4, 20)))
    check = check_release(
        [ReasonCode.POC_NOT_CERTIFIED],
        CERTIFIED_PLAN,
        TREATMENT,
        BillingRecords(plan=late),
        policy=CURRENT_POLICY_DATES,
        decided_on=date(2025, 4, 20),
    )
    assert not check.releasable
    assert (check.resolved, check.new) == ((ReasonCode.POC_NOT_CERTIFIED,), (ReasonCode.POC_CERTIFICATION_LATE,))
    excused = apply_plan_event(late, LateReasonRecorded(PLAN, "referring physician unreachable"))
    again = check_release(
        check.decision.reason_codes,
        CERTIFIED_PLAN,
        TREATMENT,
        BillingRecords(plan=excused),
        policy=CURRENT_POLICY_DATES,
        decided_on=date(2025, 4, 21),
    )
    assert again.releasable


def test_a_report_dated_before_the_held_day_but_recorded_late_releases_it() -> None:
    """Day 11 (2025-03-26) held overdue; the report the OT dated 03-24 (day 10) arrives afterwards: 03-26
    becomes day 1 of the next period (§220.3)."""
    days = [date(2025, 3, d) for d in (5, 7, 10, 12, 14, 17, 19, 21, 24)]
    plan = plan_of(EVALUATION, signed(date(2025, 3, 4)), *(TreatmentDayRecorded(PLAN, d) for d in days))
    encounter = EncounterFacts("E-11", date(2025, 3, 26))
    held = decide(MEDICARE_LIKE, encounter.date_of_service, BillingRecords(plan=plan), encounter_id="E-11")
    assert held.reason_codes == (ReasonCode.PROGRESS_REPORT_OVERDUE,)
    assert not worth_rechecking(held.reason_codes, StateChange.PLAN_CERTIFIED)
    with_report = apply_plan_event(plan, ProgressReportFiled(PLAN, date(2025, 3, 24)))
    check = check_release(
        held.reason_codes,
        MEDICARE_LIKE,
        encounter,
        BillingRecords(plan=with_report),
        policy=CURRENT_POLICY_DATES,
        decided_on=date(2025, 3, 27),
    )
    assert check.releasable


def test_a_new_authorization_releases_an_exhausted_encounter_unless_used_up_meanwhile() -> None:
    """E-7 held AUTH_EXHAUSTED on a used-up authorization (1 visit, counted by E-1); a new 12-visit one
    from 03-15 releases it and is the one to count it on; if the new one is used up too (1 visit, counted
    by E-8), E-7 stays held and the reason is reported as still held, not new."""
    requirements = PayerRequirements(requires_authorization=True)
    used_up = visits(1, date(2025, 3, 1), date(2025, 5, 31))
    used_up = count_encounter(used_up, "E-1", date(2025, 3, 3), 1)
    encounter = EncounterFacts("E-7", date(2025, 3, 17))
    fresh = visits(12, date(2025, 3, 15), date(2025, 6, 30), "A-2")
    released = check_release(
        [ReasonCode.AUTH_EXHAUSTED],
        requirements,
        encounter,
        BillingRecords(authorizations=(used_up, fresh)),
        policy=CURRENT_POLICY_DATES,
        decided_on=date(2025, 3, 18),
    )
    assert released.releasable
    assert released.decision.authorization_id == "A-2"
    tiny = count_encounter(visits(1, date(2025, 3, 15), date(2025, 6, 30), "A-3"), "E-8", date(2025, 3, 16), 1)
    still = check_release(
        [ReasonCode.AUTH_EXHAUSTED],
        requirements,
        encounter,
        BillingRecords(authorizations=(used_up, tiny)),
        policy=CURRENT_POLICY_DATES,
        decided_on=date(2025, 3, 18),
    )
    assert not still.releasable
    assert still.still_held == (ReasonCode.AUTH_EXHAUSTED,)


@pytest.mark.parametrize(
    ("change", "reason", "expected"),
    [
        (StateChange.PLAN_RECERTIFIED, ReasonCode.POC_EXPIRED, True),
        (StateChange.PROGRESS_REPORT_FILED, ReasonCode.PROGRESS_REPORT_OVERDUE, True),
        (StateChange.AUTHORIZATION_RECORDED, ReasonCode.AUTH_MISSING, True),
        (StateChange.PLAN_SENT, ReasonCode.POC_NOT_CERTIFIED, True),
        (StateChange.REFERRAL_RECORDED, ReasonCode.POC_MISSING, False),
        (StateChange.LATE_REASON_RECORDED, ReasonCode.POC_NOT_CERTIFIED, False),
    ],
)
def test_which_changes_are_worth_a_recheck(change: StateChange, reason: ReasonCode, expected: bool) -> None:
    assert worth_rechecking([reason], change) is expected
