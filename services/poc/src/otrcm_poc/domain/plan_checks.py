"""The plan-side reasons to hold an encounter: plan of care (certified, in its interval, in time),
progress reports, and the IEP when the IEP is the plan. Each returns the reasons found, none when fine.

Sources: Pub. 100-02 Ch. 15 §220.1.3 (certification), §220.3 (progress reports);
docs/billing-rules.md#9-missouri-payers (IEP).
"""

from __future__ import annotations

from datetime import date

from otrcm_poc.domain.certification_intervals import interval_covering, last_certified_day
from otrcm_poc.domain.certification_timeliness import (
    InitialCertificationState,
    initial_certification_status,
    recertification_is_timely,
)
from otrcm_poc.domain.day_counting import deadline_after
from otrcm_poc.domain.iep import IepPlan
from otrcm_poc.domain.plan import PlanOfCare
from otrcm_poc.domain.policy import PROGRESS_REPORT_TREATMENT_DAYS, RECERTIFICATION_GRACE_DAYS, PolicyDates
from otrcm_poc.domain.progress_reports import treatment_day_number
from otrcm_poc.domain.reasons import HoldReason, ReasonCode


def plan_of_care_hold_reasons(
    plan: PlanOfCare | None, day: date, *, policy: PolicyDates, decided_on: date
) -> list[HoldReason]:
    """Why a treatment on ``day`` is not covered by a certified plan (empty when it is).

    POC_MISSING: no plan, or ``day`` before its evaluation. POC_EXPIRED: after the plan was discontinued,
    or outside every certification interval. POC_NOT_CERTIFIED: in the initial interval without a
    documented certification (or the 2025 exception), or with a verbal order left unsigned past 14 days
    on ``decided_on``. POC_CERTIFICATION_LATE: certified late and no reason for the delay recorded.
    """
    if plan is None:
        return [HoldReason(ReasonCode.POC_MISSING, f"no plan of care on file for the date of service {day}")]
    if day < plan.evaluation_date:
        return [
            HoldReason(
                ReasonCode.POC_MISSING,
                f"date of service {day} is before the evaluation ({plan.evaluation_date}) of plan {plan.plan_id}",
            )
        ]
    if plan.discontinued_on is not None and day > plan.discontinued_on:
        return [
            HoldReason(
                ReasonCode.POC_EXPIRED,
                f"plan {plan.plan_id} was discontinued on {plan.discontinued_on}, before the date of service {day}",
            )
        ]
    interval = interval_covering(plan, day)
    if interval is None:
        return [
            HoldReason(
                ReasonCode.POC_EXPIRED,
                f"date of service {day} is outside the certification intervals of plan {plan.plan_id} "
                f"(last covered day {last_certified_day(plan)}): a recertification is needed",
            )
        ]
    if interval.recertification is not None:
        recert = interval.recertification
        if recertification_is_timely(interval.dates.first, recert.signed_on) or recert.late_reason:
            return []
        deadline = deadline_after(interval.dates.first, RECERTIFICATION_GRACE_DAYS)
        return [
            HoldReason(
                ReasonCode.POC_CERTIFICATION_LATE,
                f"recertification {interval.number} of plan {plan.plan_id} was signed on {recert.signed_on}, after "
                f"{deadline}, and no reason for the delay is recorded",
            )
        ]
    status = initial_certification_status(plan, policy=policy, today=decided_on)
    if status.billable:
        return []
    if status.state is InitialCertificationState.LATE_WITHOUT_REASON:
        message = (
            f"plan {plan.plan_id} was certified on {status.certified_on}, after the 30-day deadline "
            f"{status.deadline}, and no reason for the delay is recorded"
        )
        return [HoldReason(ReasonCode.POC_CERTIFICATION_LATE, message)]
    if status.state is InitialCertificationState.VERBAL_ORDER_LAPSED and plan.certification is not None:
        message = (
            f"the verbal order of {plan.certification.dated_on} to certify plan {plan.plan_id} "
            "was not signed within 14 days"
        )
        return [HoldReason(ReasonCode.POC_NOT_CERTIFIED, message)]
    message = (
        f"plan {plan.plan_id} (evaluation {plan.evaluation_date}) is not certified by a physician/NPP; "
        f"timely until {status.deadline}"
    )
    return [HoldReason(ReasonCode.POC_NOT_CERTIFIED, message)]


def progress_report_hold_reasons(plan: PlanOfCare | None, day: date) -> list[HoldReason]:
    """PROGRESS_REPORT_OVERDUE when ``day`` is the 11th or later treatment day without a report."""
    if plan is None or day < plan.evaluation_date:
        return []
    number = treatment_day_number(plan, day)
    if number <= PROGRESS_REPORT_TREATMENT_DAYS:
        return []
    message = (
        f"date of service {day} is treatment day {number} of plan {plan.plan_id} without a progress report "
        f"(one is due at least every {PROGRESS_REPORT_TREATMENT_DAYS} treatment days)"
    )
    return [HoldReason(ReasonCode.PROGRESS_REPORT_OVERDUE, message)]


def iep_hold_reasons(iep: IepPlan | None, day: date) -> list[HoldReason]:
    """IEP_MISSING without an IEP; IEP_EXPIRED when ``day`` is outside its dates (before its start
    included, with a message saying it was not yet in effect)."""
    if iep is None:
        return [HoldReason(ReasonCode.IEP_MISSING, f"no IEP on file for the date of service {day}")]
    if day < iep.starts_on:
        message = f"IEP {iep.plan_id} is not yet in effect on {day} (it starts on {iep.starts_on})"
        return [HoldReason(ReasonCode.IEP_EXPIRED, message)]
    if day > iep.ends_on:
        message = f"IEP {iep.plan_id} ended on {iep.ends_on}, before the date of service {day}"
        return [HoldReason(ReasonCode.IEP_EXPIRED, message)]
    return []
