"""How a plan of care's periods are counted: certification intervals, progress-report periods, and which plan a
date of service falls under. The poc service gates billing days with these rules and the status service shows
plans with them, so both count the same days (services never import each other; the rules live here).

Sources: CMS Pub. 100-02 Ch. 15 §220.1.3 B-C (a certification covers the plan's duration or 90 calendar days
from the first treatment, the evaluation included, whichever is less; a recertification at most 90 days) and
§220.3 (a progress report at least once every 10 treatment days, the first period starting with the
evaluation); docs/billing-rules.md#5-plan-of-care.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from typing import Protocol, TypeVar

MAX_CERTIFICATION_INTERVAL_DAYS = 90
"""A certification covers the plan's duration or 90 calendar days, whichever is less.
Source: Pub. 100-02 Ch. 15 §220.1.3 B (initial) and C (recertification, "up to 90 days")."""

PROGRESS_REPORT_TREATMENT_DAYS = 10
"""A progress report is due at least once every 10 treatment days; the first period starts with the
evaluation. Source: Pub. 100-02 Ch. 15 §220.3 (progress report); docs/billing-rules.md#5-plan-of-care."""


def certification_interval_days(duration_days: int) -> int:
    """Rule: an interval lasts its duration or 90 calendar days, whichever is less (Pub. 100-02 Ch. 15 §220.1.3 B-C)."""
    return min(duration_days, MAX_CERTIFICATION_INTERVAL_DAYS)


def last_day_of_period(first_day: date, days: int) -> date:
    """The last day of a period of ``days`` calendar days whose day 1 is ``first_day`` (``first + days - 1``)."""
    if days < 1:
        raise ValueError(f"a period needs at least one day (got {days})")
    return first_day + timedelta(days=days - 1)


def treatment_days_of(evaluation_date: date, treatment_dates: Iterable[date]) -> tuple[date, ...]:
    """A plan's distinct treatment days, sorted, the evaluation date first: two visits on one date are one day."""
    return tuple(sorted({evaluation_date, *(day for day in treatment_dates if day >= evaluation_date)}))


def open_progress_period(
    evaluation_date: date, treatment_dates: Iterable[date], report_dates: Iterable[date], today: date
) -> tuple[date, int] | None:
    """The reporting period open on ``today``: its first treatment day and how many treatment days it holds so
    far (those after the last report dated on or before ``today``); None when no treatment day followed it.

    A report dated ``r`` closes the period that contains ``r``; the next one starts with the first treatment
    day after ``r``. Day 10 of a period is still covered; an 11th without a report is overdue (§220.3).
    """
    reports = [report for report in report_dates if report <= today]
    after = max(reports) if reports else None
    treated = treatment_days_of(evaluation_date, treatment_dates)
    days = [day for day in treated if day <= today and (after is None or day > after)]
    return (days[0], len(days)) if days else None


class StartedPlan(Protocol):
    """Anything with a plan id and the evaluation date that starts it."""

    @property
    def plan_id(self) -> str: ...

    @property
    def evaluation_date(self) -> date: ...


Plan = TypeVar("Plan", bound=StartedPlan)


def plan_for_date_of_service(plans: Sequence[Plan], day: date) -> Plan | None:
    """The plan a date of service falls under: the latest-evaluated plan evaluated on or before ``day`` (an
    episode's plan replaces the previous one); ties go to the higher plan id. None when every plan starts later."""
    started = [plan for plan in plans if plan.evaluation_date <= day]
    return max(started, key=lambda plan: (plan.evaluation_date, plan.plan_id)) if started else None
