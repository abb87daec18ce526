"""Progress reports: at least one every 10 treatment days, the evaluation being day 1 of the first period.

Source: Pub. 100-02 Ch. 15 §220.3 (progress report period); docs/billing-rules.md#5-plan-of-care.

Counting, as implemented:

* A treatment day is a distinct date of service furnished under the plan; two visits on one date are
  one treatment day. The evaluation date is always treatment day 1 of the first period.
* A report dated ``r`` closes the period that contains ``r`` (a treatment on ``r`` belongs to the closed
  period); the next period starts with the first treatment day after ``r``.
* A date of service ``d`` is treatment day ``n`` of its period, where ``n`` counts the treatment days
  after the last report dated before ``d``, up to and including ``d`` (``d`` counts even before it is
  recorded). Day 10 is still covered; day 11 without a report is overdue.
* A report dated on the 11th treatment day itself is one day late: that day stays overdue. A report
  dated on or before the 10th day but recorded late (events arrive out of order) does release it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from otrcm_poc.domain.plan import PlanOfCare
from otrcm_poc.domain.policy import PROGRESS_REPORT_TREATMENT_DAYS
from otrcm_shared.rules.plan_periods import open_progress_period as shared_open_progress_period
from otrcm_shared.rules.plan_periods import treatment_days_of as shared_treatment_days_of


@dataclass(frozen=True, slots=True)
class ProgressPeriod:
    """The reporting period open on a day: its first treatment day, the treatment days so far, and how
    many more treatment days may be furnished before a report is required."""

    plan_id: str
    first_treatment_day: date
    treatment_days: int

    @property
    def treatment_days_left(self) -> int:
        return PROGRESS_REPORT_TREATMENT_DAYS - self.treatment_days


def treatment_days_of(plan: PlanOfCare) -> tuple[date, ...]:
    """The plan's distinct treatment days, sorted, with the evaluation date as the first."""
    return shared_treatment_days_of(plan.evaluation_date, plan.treatment_dates)


def _last_report_before(plan: PlanOfCare, day: date) -> date | None:
    earlier = [report for report in plan.progress_report_dates if report < day]
    return max(earlier) if earlier else None


def treatment_day_number(plan: PlanOfCare, day: date) -> int:
    """Which treatment day of its reporting period ``day`` is (``day`` counted as a treatment day)."""
    after = _last_report_before(plan, day)
    days = {d for d in treatment_days_of(plan) if d <= day and (after is None or d > after)}
    days.add(day)
    return len(days)


def progress_report_overdue_on(plan: PlanOfCare, day: date) -> bool:
    """Rule: a progress report is due at least once every 10 treatment days.

    Source: Pub. 100-02 Ch. 15 §220.3. True when ``day`` would be the 11th (or later) treatment day since
    the period began; the 10th is not overdue.
    """
    return treatment_day_number(plan, day) > PROGRESS_REPORT_TREATMENT_DAYS


def open_progress_period(plan: PlanOfCare, today: date) -> ProgressPeriod | None:
    """The period open on ``today`` from the recorded treatment days up to ``today``, or ``None`` when no
    treatment day has been furnished since the last report."""
    period = shared_open_progress_period(plan.evaluation_date, plan.treatment_dates, plan.progress_report_dates, today)
    if period is None:
        return None
    return ProgressPeriod(plan.plan_id, *period)


def progress_report_due_within(period: ProgressPeriod, treatment_days: int) -> bool:
    """True when at most ``treatment_days`` more treatment days may be furnished before the report
    (also when the report is already due or overdue)."""
    return period.treatment_days_left <= treatment_days
