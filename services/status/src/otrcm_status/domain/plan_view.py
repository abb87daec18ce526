"""What a biller sees of a plan of care: its certification periods, when a recertification is due, its progress
reports and how many treatment days are left before the next one, and the billing days it holds. Pure: the plan,
the patient's other plans, the patient's billing days and the business date in; a view out.

The counting rules are the gate's own (``otrcm_shared.rules.plan_periods``): a certification covers the plan's
duration or 90 calendar days from the evaluation, whichever is less, and each recertification the next interval;
a progress report is due at least every 10 treatment days (a treatment day is a date with a billing day of the
plan's discipline, as poc records them when a day's units arrive). The view does not judge again whether a
certification was in time: the gate does, and a plan that blocks billing shows it in ``holds``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from otrcm_shared.rules.plan_periods import (
    PROGRESS_REPORT_TREATMENT_DAYS,
    certification_interval_days,
    last_day_of_period,
    open_progress_period,
    plan_for_date_of_service,
    treatment_days_of,
)
from otrcm_status.domain.billing_days import BillingDay, HeldDay
from otrcm_status.domain.plan_record import Certification, Plan

# The gate's reasons that a plan (or an IEP) resolves: a day held for one of them waits on the plan it falls under.
PLAN_REASONS = frozenset({"POC_NOT_CERTIFIED", "POC_EXPIRED", "POC_CERTIFICATION_LATE", "PROGRESS_REPORT_OVERDUE"})
IEP_REASONS = frozenset({"IEP_EXPIRED"})
UNCERTIFIED_DAYS = 90  # a plan created without a duration: the longest interval a certification may cover


@dataclass(frozen=True, slots=True)
class CertificationPeriod:
    """Interval ``number`` (0: the initial certification, n: the n-th recertification) and who certified it."""

    number: int
    start: date
    end: date
    method: str | None  # signature | verbal_order | recertification; None while not certified
    certified_on: date | None
    signed_on: date | None
    certifier_npi: str | None
    certifier_credential: str | None


@dataclass(frozen=True, slots=True)
class ProgressReports:
    filed: int
    last_filed_on: date | None
    period_started_on: date | None  # the first treatment day since the last report (None: none since)
    treatment_days_in_period: int
    treatment_days_left: int  # treatment days that may still be furnished before the report is due (0: due now)
    overdue: bool  # more than 10 treatment days without a report


@dataclass(frozen=True, slots=True)
class PlanView:
    plan: Plan
    certification_periods: tuple[CertificationPeriod, ...]
    certified_through: date | None
    recertification_due_on: date | None
    treatment_days: int
    progress_reports: ProgressReports | None
    holds: tuple[HeldDay, ...]


def certification_periods(plan: Plan) -> tuple[CertificationPeriod, ...]:
    """The initial interval from the evaluation (the certified duration wins when given), then one per
    recertification, each starting the day after the previous one ends (Pub. 100-02 Ch. 15 §220.1.3 B-C)."""
    if plan.is_iep:
        return ()
    initial = plan.certification
    duration = (initial.duration_days if initial else None) or plan.duration_days or UNCERTIFIED_DAYS
    first = _period(0, plan.evaluation_date, duration, initial)
    periods = [first]
    for number, recert in enumerate(plan.recertifications, start=1):
        start = periods[-1].end + timedelta(days=1)
        periods.append(_period(number, start, recert.duration_days or UNCERTIFIED_DAYS, recert))
    return tuple(periods)


def _period(number: int, start: date, duration: int, by: Certification | None) -> CertificationPeriod:
    end = last_day_of_period(start, certification_interval_days(duration))
    if by is None:
        return CertificationPeriod(number, start, end, None, None, None, None, None)
    return CertificationPeriod(
        number, start, end, by.method, by.dated_on, by.signed_on, by.certifier_npi, by.certifier_credential
    )


def treatment_dates(plan: Plan, plans: Sequence[Plan], days: Sequence[BillingDay]) -> tuple[date, ...]:
    """The dates of the patient's billing days of the plan's discipline that fall under this plan."""
    peers = [other for other in plans if not other.is_iep and other.discipline == plan.discipline]
    return tuple(sorted({
        day.date_of_service for day in days
        if day.discipline == plan.discipline and _owner(peers, day.date_of_service) == plan.plan_id
    }))  # fmt: skip


def _owner(plans: Sequence[Plan], day: date) -> str | None:
    found = plan_for_date_of_service(plans, day)
    return found.plan_id if found is not None else None


def progress_reports(plan: Plan, dates: Sequence[date], today: date) -> ProgressReports:
    reports = tuple(report for report in plan.progress_report_dates if report <= today)
    period = open_progress_period(plan.evaluation_date, dates, reports, today)
    started, so_far = period if period is not None else (None, 0)
    return ProgressReports(
        filed=len(reports),
        last_filed_on=max(reports) if reports else None,
        period_started_on=started,
        treatment_days_in_period=so_far,
        treatment_days_left=max(PROGRESS_REPORT_TREATMENT_DAYS - so_far, 0),
        overdue=so_far > PROGRESS_REPORT_TREATMENT_DAYS,
    )


def holds(plan: Plan, plans: Sequence[Plan], days: Sequence[BillingDay]) -> tuple[HeldDay, ...]:
    """The patient's held days waiting on this plan: held (newest verdict) for a reason a plan resolves, on a date
    that falls under this plan (an IEP: under this IEP, whatever the discipline). Oldest first."""
    wanted = IEP_REASONS if plan.is_iep else PLAN_REASONS
    peers = [o for o in plans if o.is_iep] if plan.is_iep else [
        o for o in plans if not o.is_iep and o.discipline == plan.discipline
    ]  # fmt: skip
    found = []
    for day in sorted(days, key=lambda d: (d.date_of_service, d.day_key)):
        verdict = day.verdict
        if verdict is None or verdict.cleared or not wanted & set(verdict.reason_codes):
            continue
        if not plan.is_iep and day.discipline != plan.discipline:
            continue
        if _owner(peers, day.date_of_service) != plan.plan_id:
            continue
        reasons = [reason for reason in verdict.reasons if reason.code in wanted]
        found.append(HeldDay(
            day.day_key, day.date_of_service, day.encounter_ids, tuple(dict.fromkeys(r.code for r in reasons)),
            tuple(dict.fromkeys(r.message for r in reasons)),
        ))  # fmt: skip
    return tuple(found)


def plan_view(plan: Plan, plans: Sequence[Plan], days: Sequence[BillingDay], today: date) -> PlanView:
    """The plan as a biller reads it on ``today`` (the business date). ``plans`` are the patient's plans, this one
    included; ``days`` the patient's billing days."""
    periods = certification_periods(plan)
    certified = [period for period in periods if period.certified_on is not None]
    through = certified[-1].end if certified else None
    ended = plan.discontinued_on is not None and plan.discontinued_on <= today
    # due on the first day the certified periods no longer cover (a recertification certifies from that day)
    due = through + timedelta(days=1) if through is not None and not ended else None
    dates = () if plan.is_iep else treatment_dates(plan, plans, days)
    return PlanView(
        plan=plan,
        certification_periods=periods,
        certified_through=through,
        recertification_due_on=due,
        treatment_days=0 if plan.is_iep else len(treatment_days_of(plan.evaluation_date, dates)),
        progress_reports=None if plan.is_iep else progress_reports(plan, dates, today),
        holds=holds(plan, plans, days),
    )
