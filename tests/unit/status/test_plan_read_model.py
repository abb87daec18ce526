"""The plan-of-care read model: the same plan whatever order its steps arrive in, certification periods by the
90-day rule, progress reports by the 10-treatment-day rule, and the billing days the plan holds."""

from __future__ import annotations

from datetime import date, timedelta
from itertools import permutations

import pytest

from otrcm_shared.events.plans import PlanEventKind
from otrcm_status.domain.billing_days import BillingDay
from otrcm_status.domain.plan_record import fold, with_step
from otrcm_status.domain.plan_view import plan_view
from tests.unit.status.read_model_samples import EVALUATION, MD, PATIENT, created, day, judged, plan_of, step

pytestmark = pytest.mark.unit

K = PlanEventKind


def billing_day(encounter_id: str, on: date, *reasons: tuple[str, str], payer: str = "medicare-wps-j5") -> BillingDay:
    units = day(encounter_id, on, payer)
    verdict = judged(units, 1, *reasons)
    found = BillingDay.of(units).with_verdict(verdict)
    assert found is not None
    return found


STEPS = (
    created(),
    step(K.CERTIFIED, date(2026, 3, 10), **MD),
    step(K.PROGRESS_REPORT_FILED, date(2026, 3, 20)),
    step(K.RECERTIFIED, date(2026, 5, 25), duration_days=60, certifier_npi="1234567893", certifier_credential="DO"),
    step(K.SENT, date(2026, 3, 3)),
)


def test_the_plan_is_the_same_whatever_order_its_steps_arrive_in() -> None:
    plans = {plan_of(*order) for order in permutations(STEPS)}
    assert len(plans) == 1
    assert fold("plan-1", PATIENT, (STEPS[1],)) is None, "no plan until its creation is read"
    assert with_step((STEPS[1],), STEPS[1]) is None, "a redelivered step is kept once"


def test_certification_periods_follow_the_ninety_day_rule_and_each_recertification() -> None:
    view = plan_view(plan_of(*STEPS), [plan_of(*STEPS)], [], date(2026, 6, 15))
    initial, recert = view.certification_periods
    # 120 days asked, 90 covered: the evaluation is day 1, so day 90 is 2026-05-30 (Pub. 100-02 Ch. 15 §220.1.3)
    assert (initial.start, initial.end, initial.method, initial.certified_on) == (
        EVALUATION, date(2026, 5, 30), "signature", date(2026, 3, 10))  # fmt: skip
    assert (initial.certifier_credential, initial.certifier_npi) == ("MD", "1234567893")
    assert (recert.start, recert.end, recert.certifier_credential) == (date(2026, 5, 31), date(2026, 7, 29), "DO")
    assert view.certified_through == date(2026, 7, 29)
    assert view.recertification_due_on == date(2026, 7, 30)


def test_a_certified_duration_a_verbal_order_and_a_refused_certifier() -> None:
    shorter = plan_of(created(), step(K.CERTIFIED, date(2026, 3, 4), duration_days=30, **MD))
    assert plan_view(shorter, [shorter], [], EVALUATION).certification_periods[0].end == date(2026, 3, 31)
    verbal = plan_of(created(), step(K.SIGNED, date(2026, 3, 9)), step(K.VERBAL_ORDER, date(2026, 3, 5), **MD))
    period = plan_view(verbal, [verbal], [], EVALUATION).certification_periods[0]
    assert (period.method, period.certified_on, period.signed_on) == (
        "verbal_order",
        date(2026, 3, 5),
        date(2026, 3, 9),
    )
    chiropractor = plan_of(created(), step(K.CERTIFIED, date(2026, 3, 4), certifier_npi="1234567893",
                                           certifier_credential="DC"))  # fmt: skip
    view = plan_view(chiropractor, [chiropractor], [], EVALUATION)
    assert chiropractor.ignored_steps == ("certified",), "poc refuses it; the plan is not certified by it"
    assert (view.certification_periods[0].certified_on, view.certified_through, view.recertification_due_on) == (
        None, None, None)  # fmt: skip


def test_progress_reports_count_treatment_days_since_the_last_report() -> None:
    plan = plan_of(created(), step(K.CERTIFIED, EVALUATION, **MD))
    ten_more = [billing_day(f"e{n}", EVALUATION + timedelta(days=n)) for n in range(1, 11)]
    overdue = plan_view(plan, [plan], ten_more, date(2026, 3, 20)).progress_reports
    assert overdue is not None
    # the evaluation and ten more dates: 11 treatment days without a report (Pub. 100-02 Ch. 15 §220.3)
    assert (overdue.treatment_days_in_period, overdue.treatment_days_left, overdue.overdue) == (11, 0, True)
    reported = plan_of(created(), step(K.CERTIFIED, EVALUATION, **MD), step(K.PROGRESS_REPORT_FILED, date(2026, 3, 10)))
    after = plan_view(reported, [reported], ten_more, date(2026, 3, 20))
    assert after.progress_reports is not None
    assert (after.progress_reports.filed, after.progress_reports.period_started_on) == (1, date(2026, 3, 11))
    assert (after.progress_reports.treatment_days_in_period, after.progress_reports.treatment_days_left) == (2, 8)
    assert after.treatment_days == 11
    two_visits_one_date = [
        billing_day("a", date(2026, 3, 3)),
        billing_day("b", date(2026, 3, 3), payer="mo-healthnet-ffs"),
    ]
    same = plan_view(plan, [plan], two_visits_one_date, date(2026, 3, 20))
    assert same.treatment_days == 2, "two billing days on one date are one treatment day"


def test_a_later_plan_takes_the_days_after_its_evaluation() -> None:
    first, second = plan_of(created()), plan_of(created("plan-2", date(2026, 4, 1)), plan_id="plan-2")
    days = [billing_day("a", date(2026, 3, 10)), billing_day("b", date(2026, 4, 2))]
    assert plan_view(first, [first, second], days, date(2026, 5, 1)).treatment_days == 2  # evaluation and 03-10
    assert plan_view(second, [first, second], days, date(2026, 5, 1)).treatment_days == 2  # evaluation and 04-02


def test_the_plan_holds_the_days_held_for_a_reason_a_plan_resolves() -> None:
    plan = plan_of(created())
    overdue = ("PROGRESS_REPORT_OVERDUE", "treatment day 11 without a progress report")
    days = [
        billing_day("held-report", date(2026, 3, 20), overdue, ("AUTH_MISSING", "no authorization")),
        billing_day("held-auth", date(2026, 3, 21), ("AUTH_MISSING", "no authorization")),
        billing_day("cleared", date(2026, 3, 22)),
        billing_day("before-plan", date(2026, 2, 27), ("POC_MISSING", "no plan of care")),
    ]
    view = plan_view(plan, [plan], days, date(2026, 4, 1))
    assert [(h.date_of_service, h.encounter_ids, h.reason_codes) for h in view.holds] == [
        (date(2026, 3, 20), ("held-report",), ("PROGRESS_REPORT_OVERDUE",))]  # fmt: skip
    assert view.holds[0].messages == ("treatment day 11 without a progress report",)
    released = days[0].with_verdict(judged(day("held-report", date(2026, 3, 20), "medicare-wps-j5"), 2))
    assert released is not None
    assert plan_view(plan, [plan], [released], date(2026, 4, 1)).holds == (), "a released day no longer waits"


def test_an_iep_has_no_certification_and_holds_its_expired_days() -> None:
    iep = plan_of(step(K.CREATED, date(2025, 9, 1), "iep-1", is_iep=True, iep_start=date(2025, 9, 1),
                       iep_end=date(2026, 2, 28)), step(K.CERTIFIED, date(2025, 9, 2), "iep-1", **MD),
                  plan_id="iep-1")  # fmt: skip
    days = [billing_day("school", date(2026, 3, 3), ("IEP_EXPIRED", "the IEP ended on 2026-02-28"), payer="school-iep")]
    view = plan_view(iep, [iep], days, date(2026, 3, 5))
    assert (view.certification_periods, view.progress_reports, iep.ignored_steps) == ((), None, ("certified",))
    assert [h.reason_codes for h in view.holds] == [("IEP_EXPIRED",)]
