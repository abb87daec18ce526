"""Progress reports: at least one every 10 treatment days; the evaluation is treatment day 1 of the first
period; a report starts a new period.

Source: Pub. 100-02 Ch. 15 §220.3; docs/billing-rules.md#5-plan-of-care. Treatment days by hand, from the evaluation on
2025-03-03 (day 1): 03-05 (2), 03-07 (3), 03-10 (4), 03-12 (5), 03-14 (6), 03-17 (7), 03-19 (8),
03-21 (9), 03-24 (10), 03-26 (11).
"""

from __future__ import annotations

from datetime import date

import pytest

from otrcm_poc.domain import (
    BillingRecords,
    PayerRequirements,
    PlanOfCare,
    ProgressReportFiled,
    ReasonCode,
    TreatmentDayRecorded,
    open_progress_period,
    progress_report_due_within,
    treatment_day_number,
)
from tests.unit.poc.builders import MEDICARE_LIKE, PLAN, decide, plan_of, signed

pytestmark = pytest.mark.unit

EVALUATION = date(2025, 3, 3)
DAYS_2_TO_10 = [date(2025, 3, d) for d in (5, 7, 10, 12, 14, 17, 19, 21, 24)]
DAY_10 = date(2025, 3, 24)
DAY_11 = date(2025, 3, 26)
REPORTS_ONLY = PayerRequirements(progress_reports_required=True)


def plan_with(days: list[date], *reports: date) -> PlanOfCare:
    events = [TreatmentDayRecorded(PLAN, day) for day in days] + [ProgressReportFiled(PLAN, r) for r in reports]
    return plan_of(EVALUATION, signed(date(2025, 3, 10)), *events)


def test_the_10th_treatment_day_is_not_overdue() -> None:
    """§220.3: "at least once every 10 treatment days": 2025-03-24 is day 10 (evaluation = day 1)."""
    plan = plan_with(DAYS_2_TO_10[:-1])
    assert treatment_day_number(plan, DAY_10) == 10
    assert decide(MEDICARE_LIKE, DAY_10, BillingRecords(plan=plan)).cleared


def test_the_11th_treatment_day_without_a_report_is_overdue() -> None:
    """§220.3: 2025-03-26 is day 11 with no report since the evaluation: PROGRESS_REPORT_OVERDUE."""
    plan = plan_with(DAYS_2_TO_10)
    decision = decide(MEDICARE_LIKE, DAY_11, BillingRecords(plan=plan))
    assert decision.reason_codes == (ReasonCode.PROGRESS_REPORT_OVERDUE,)
    assert "treatment day 11" in decision.reasons[0].message


def test_a_report_on_the_10th_day_starts_a_new_period() -> None:
    """A report dated 2025-03-24 closes the first period (days 1-10); 03-26 is day 1 of the next."""
    plan = plan_with(DAYS_2_TO_10, DAY_10)
    assert treatment_day_number(plan, DAY_11) == 1
    assert decide(REPORTS_ONLY, DAY_11, BillingRecords(plan=plan)).cleared


def test_a_report_dated_on_the_11th_day_is_one_day_late_for_it() -> None:
    """Interpretation (module docstring of progress_reports): a report dated 03-26 closes the period
    that contains 03-26, which then has 11 treatment days: that day stays overdue."""
    plan = plan_with(DAYS_2_TO_10, DAY_11)
    assert decide(REPORTS_ONLY, DAY_11, BillingRecords(plan=plan)).reason_codes == (ReasonCode.PROGRESS_REPORT_OVERDUE,)


def test_two_visits_on_one_date_are_one_treatment_day() -> None:
    """A treatment day is a date: recording 03-24 twice, or gating it again, still makes it day 10."""
    plan = plan_with([*DAYS_2_TO_10, DAY_10])
    assert treatment_day_number(plan, DAY_10) == 10


def test_the_evaluation_itself_is_never_overdue() -> None:
    """The evaluation is day 1 of the first period (§220.3; docs/billing-rules.md#5-plan-of-care)."""
    plan = plan_with([])
    assert decide(REPORTS_ONLY, EVALUATION, BillingRecords(plan=plan), is_evaluation=True).cleared
    assert treatment_day_number(plan, EVALUATION) == 1


def test_a_report_is_due_within_2_treatment_days_after_the_8th() -> None:
    """After day 8 (2025-03-19) two treatment days remain before the report: the alert window opens;
    after day 7 (03-17) three remain: not yet."""
    after_day_8 = open_progress_period(plan_with(DAYS_2_TO_10[:7]), date(2025, 3, 19))
    after_day_7 = open_progress_period(plan_with(DAYS_2_TO_10[:6]), date(2025, 3, 17))
    assert after_day_8 is not None
    assert after_day_7 is not None
    assert (after_day_8.first_treatment_day, after_day_8.treatment_days, after_day_8.treatment_days_left) == (
        EVALUATION,
        8,
        2,
    )
    assert progress_report_due_within(after_day_8, 2)
    assert not progress_report_due_within(after_day_7, 2)


def test_no_period_is_open_right_after_a_report() -> None:
    """A report dated 03-24 with no treatment after it: nothing counts yet on 03-25."""
    assert open_progress_period(plan_with(DAYS_2_TO_10, DAY_10), date(2025, 3, 25)) is None
