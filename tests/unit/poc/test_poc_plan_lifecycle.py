"""The plan-of-care aggregate: events fold into a plan, impossible events are refused, a redelivered
event changes nothing, the status follows the life cycle, and the plan round-trips through plain data.

Sources: Pub. 100-02 Ch. 15 §220.1.2-220.1.3 (states: created from the evaluation, sent, certified,
recertified, expired, discontinued). Dates by hand from the evaluation 2025-03-03 (interval to 05-31).
"""

from __future__ import annotations

from datetime import date

import pytest

from otrcm_poc.domain import (
    CURRENT_POLICY_DATES,
    Authorization,
    AuthorizationUnit,
    DateRange,
    IepPlan,
    InvalidPlanEvent,
    LateReasonRecorded,
    PlanCreated,
    PlanDiscontinued,
    PlanEvent,
    PlanRecertified,
    PlanSent,
    PlanStatus,
    ProgressReportFiled,
    TreatmentDayRecorded,
    VerbalOrderReceived,
    VerbalOrderSigned,
    apply_plan_event,
    authorization_as_plain_data,
    authorization_from_plain_data,
    count_encounter,
    iep_as_plain_data,
    iep_from_plain_data,
    plan_as_plain_data,
    plan_from_plain_data,
    plan_status_on,
    replay_plan,
    start_plan,
)
from tests.unit.poc.builders import NPI, PLAN, created, plan_of, signed

pytestmark = pytest.mark.unit

EVALUATION = date(2025, 3, 3)


def test_the_status_follows_the_life_cycle() -> None:
    """created -> sent (03-05) -> certified (03-10) -> recertified (from 06-01) -> discontinued (07-01);
    without the recertification the plan is expired from 06-01 (day 91)."""
    plan = plan_of(EVALUATION, PlanSent(PLAN, date(2025, 3, 5)))
    assert plan_status_on(plan, date(2025, 3, 4), policy=CURRENT_POLICY_DATES) is PlanStatus.CREATED
    assert plan_status_on(plan, date(2025, 3, 6), policy=CURRENT_POLICY_DATES) is PlanStatus.SENT
    plan = apply_plan_event(plan, signed(date(2025, 3, 10)))
    assert plan_status_on(plan, date(2025, 3, 10), policy=CURRENT_POLICY_DATES) is PlanStatus.CERTIFIED
    assert plan_status_on(plan, date(2025, 6, 1), policy=CURRENT_POLICY_DATES) is PlanStatus.EXPIRED
    plan = apply_plan_event(plan, PlanRecertified(PLAN, date(2025, 5, 28), NPI, "MD", 60))
    assert plan_status_on(plan, date(2025, 6, 1), policy=CURRENT_POLICY_DATES) is PlanStatus.RECERTIFIED
    plan = apply_plan_event(plan, PlanDiscontinued(PLAN, date(2025, 7, 1)))
    assert plan_status_on(plan, date(2025, 7, 1), policy=CURRENT_POLICY_DATES) is PlanStatus.DISCONTINUED


def test_a_plan_needs_a_duration_or_an_end_date_but_not_both() -> None:
    with pytest.raises(InvalidPlanEvent, match="not both or neither"):
        start_plan(PlanCreated(PLAN, "k", EVALUATION))
    with pytest.raises(InvalidPlanEvent, match="not both or neither"):
        start_plan(PlanCreated(PLAN, "k", EVALUATION, duration_days=30, end_date=date(2025, 4, 1)))
    with pytest.raises(InvalidPlanEvent, match="before the evaluation"):
        start_plan(PlanCreated(PLAN, "k", EVALUATION, end_date=date(2025, 3, 2)))


def test_events_dated_before_the_evaluation_are_refused() -> None:
    plan = start_plan(created(EVALUATION))
    with pytest.raises(InvalidPlanEvent, match="signature dated 2025-03-01 is before the evaluation"):
        apply_plan_event(plan, signed(date(2025, 3, 1)))
    with pytest.raises(InvalidPlanEvent, match="treatment day dated"):
        apply_plan_event(plan, TreatmentDayRecorded(PLAN, date(2025, 3, 2)))


def test_an_event_of_another_plan_is_refused() -> None:
    with pytest.raises(InvalidPlanEvent, match="event for plan P-2 applied to the wrong plan"):
        apply_plan_event(start_plan(created(EVALUATION)), PlanSent("P-2", date(2025, 3, 5)))


def test_a_second_different_certification_is_refused_but_a_redelivered_one_is_harmless() -> None:
    plan = plan_of(EVALUATION, signed(date(2025, 3, 10)))
    assert apply_plan_event(plan, signed(date(2025, 3, 10))) == plan
    with pytest.raises(InvalidPlanEvent, match="already certified"):
        apply_plan_event(plan, signed(date(2025, 3, 12)))


def test_every_event_applied_twice_gives_the_same_plan() -> None:
    """Redelivery (at-least-once topics) must not change the plan."""
    events: list[PlanEvent] = [
        PlanSent(PLAN, date(2025, 3, 5)),
        VerbalOrderReceived(PLAN, date(2025, 3, 6), NPI, "NP"),
        VerbalOrderSigned(PLAN, date(2025, 3, 12)),
        TreatmentDayRecorded(PLAN, date(2025, 3, 5)),
        ProgressReportFiled(PLAN, date(2025, 3, 14)),
        PlanRecertified(PLAN, date(2025, 5, 28), NPI, "CNS", 45),
        LateReasonRecorded(PLAN, "r", certification_number=1),
        PlanDiscontinued(PLAN, date(2025, 6, 20)),
    ]
    plan = start_plan(created(EVALUATION))
    for event in events:
        once = apply_plan_event(plan, event)
        assert apply_plan_event(once, event) == once
        plan = once
    assert apply_plan_event(plan, created(EVALUATION)) == plan


def test_the_earliest_sent_date_is_kept() -> None:
    """The exception reads when the plan was first sent; a later re-send does not move it."""
    plan = plan_of(EVALUATION, PlanSent(PLAN, date(2025, 3, 8)), PlanSent(PLAN, date(2025, 3, 5)))
    assert plan.sent_on == date(2025, 3, 5)


def test_a_verbal_order_signature_needs_a_verbal_order() -> None:
    with pytest.raises(InvalidPlanEvent, match="needs a verbal order on file"):
        apply_plan_event(start_plan(created(EVALUATION)), VerbalOrderSigned(PLAN, date(2025, 3, 10)))


def test_a_plan_signed_event_completes_a_pending_verbal_order() -> None:
    plan = plan_of(EVALUATION, VerbalOrderReceived(PLAN, date(2025, 3, 6), NPI, "MD"), signed(date(2025, 3, 12)))
    assert plan.certification is not None
    assert (plan.certification.dated_on, plan.certification.signed_on) == (date(2025, 3, 6), date(2025, 3, 12))


def test_a_late_reason_for_a_missing_recertification_is_refused() -> None:
    with pytest.raises(InvalidPlanEvent, match="no recertification number 2"):
        apply_plan_event(start_plan(created(EVALUATION)), LateReasonRecorded(PLAN, "r", certification_number=2))


def test_replay_starts_with_creation() -> None:
    with pytest.raises(InvalidPlanEvent, match="the first event must create the plan"):
        replay_plan([PlanSent(PLAN, date(2025, 3, 5))])


def test_plans_authorizations_and_ieps_round_trip_through_plain_data() -> None:
    plan = plan_of(
        EVALUATION,
        PlanSent(PLAN, date(2025, 3, 5)),
        VerbalOrderReceived(PLAN, date(2025, 3, 6), NPI, "MD", duration_days=60),
        VerbalOrderSigned(PLAN, date(2025, 3, 12)),
        PlanRecertified(PLAN, date(2025, 4, 30), NPI, "PA", 30, starts_on=date(2025, 5, 1)),
        LateReasonRecorded(PLAN, "late", certification_number=1),
        TreatmentDayRecorded(PLAN, date(2025, 3, 5)),
        ProgressReportFiled(PLAN, date(2025, 3, 14)),
        written_order=True,
    )
    data = plan_as_plain_data(plan)
    assert data["certification"]["dated_on"] == "2025-03-06"
    assert plan_from_plain_data(data) == plan
    authorization = count_encounter(
        Authorization("A-1", "payer-x", "k", AuthorizationUnit.UNITS, 20, DateRange(EVALUATION, date(2025, 5, 31))),
        "E-1",
        EVALUATION,
        3,
    )
    assert authorization_from_plain_data(authorization_as_plain_data(authorization)) == authorization
    iep = IepPlan("IEP-1", "k", date(2024, 8, 19), date(2025, 5, 30), "weekly")
    assert iep_from_plain_data(iep_as_plain_data(iep)) == iep


def test_an_identical_recertification_is_a_redelivery_and_distinct_starts_are_two() -> None:
    """Same signature date, certifier and duration, no start: one interval (the redelivery would add an
    uncertified one). Two intervals signed on one document state their starts: two intervals."""
    recert = PlanRecertified(PLAN, date(2025, 7, 15), NPI, "MD", 30)
    assert len(plan_of(EVALUATION, signed(date(2025, 3, 10)), recert, recert).recertifications) == 1
    both = plan_of(
        EVALUATION,
        signed(date(2025, 3, 10)),
        PlanRecertified(PLAN, date(2025, 7, 15), NPI, "MD", 30, starts_on=date(2025, 6, 1)),
        PlanRecertified(PLAN, date(2025, 7, 15), NPI, "MD", 30, starts_on=date(2025, 7, 1)),
    )
    assert len(both.recertifications) == 2
