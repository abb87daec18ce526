"""Alerts: conditions on plans and authorizations that someone should act on before billing stalls.

Each alert carries a stable ``condition_id`` built from the record's id and the date or amount that
defines the condition, so the service raises each condition once however often it recomputes alerts.
Pure: everything comes from the arguments, "today" included.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from otrcm_poc.domain.authorization import (
    DEFAULT_NEARLY_USED_UP,
    Authorization,
    NearlyUsedUpThreshold,
    authorization_nearly_used_up,
)
from otrcm_poc.domain.certification_intervals import certification_intervals
from otrcm_poc.domain.certification_timeliness import InitialCertificationState, initial_certification_status
from otrcm_poc.domain.day_counting import days_after
from otrcm_poc.domain.plan import PlanOfCare
from otrcm_poc.domain.policy import PolicyDates
from otrcm_poc.domain.progress_reports import open_progress_period, progress_report_due_within

DEFAULT_RECERTIFICATION_NOTICE_DAYS = 10
DEFAULT_PROGRESS_REPORT_NOTICE_TREATMENT_DAYS = 2


class AlertKind(StrEnum):
    RECERTIFICATION_DUE = "recert-due"
    PROGRESS_REPORT_DUE = "progress-report-due"
    AUTHORIZATION_NEARLY_USED_UP = "auth-nearly-used-up"
    CERTIFICATION_LATE = "certification-late"


@dataclass(frozen=True, slots=True)
class Alert:
    """One condition to act on: a stable id, its kind, the plan or authorization id, a message (no PHI)."""

    condition_id: str
    kind: AlertKind
    subject_id: str
    message: str


def recertification_due_alert(plan: PlanOfCare, today: date, notice_days: int) -> Alert | None:
    """The plan's last interval ends within ``notice_days`` of ``today`` (0 = ends today) and no later
    recertification is on file; skipped once the plan is discontinued. Id: ``{plan}:recert-due:{end}``."""
    if plan.discontinued_on is not None and plan.discontinued_on <= today:
        return None
    last = certification_intervals(plan)[-1].dates
    left = days_after(today, last.last)
    if not last.covers(today) or left > notice_days:
        return None
    return Alert(
        f"{plan.plan_id}:{AlertKind.RECERTIFICATION_DUE.value}:{last.last.isoformat()}",
        AlertKind.RECERTIFICATION_DUE,
        plan.plan_id,
        f"plan {plan.plan_id} is certified through {last.last} ({left} days left): recertification due",
    )


def progress_report_due_alert(plan: PlanOfCare, today: date, within_treatment_days: int) -> Alert | None:
    """At most ``within_treatment_days`` more treatment days before the plan's next progress report
    (also when it is already due). Id: ``{plan}:progress-report-due:{period's first treatment day}``."""
    if plan.discontinued_on is not None and plan.discontinued_on <= today:
        return None
    period = open_progress_period(plan, today)
    if period is None or not progress_report_due_within(period, within_treatment_days):
        return None
    left = max(period.treatment_days_left, 0)
    return Alert(
        f"{plan.plan_id}:{AlertKind.PROGRESS_REPORT_DUE.value}:{period.first_treatment_day.isoformat()}",
        AlertKind.PROGRESS_REPORT_DUE,
        plan.plan_id,
        f"plan {plan.plan_id}: {period.treatment_days} treatment days since {period.first_treatment_day} "
        f"without a progress report; due within {left} more treatment days",
    )


def certification_late_alert(plan: PlanOfCare, today: date, policy: PolicyDates) -> Alert | None:
    """More than 30 days since the evaluation and the initial certification is missing, lapsed, or late
    without a recorded reason. Id: ``{plan}:certification-late:{deadline}``."""
    status = initial_certification_status(plan, policy=policy, today=today)
    late_states = (
        InitialCertificationState.NOT_CERTIFIED,
        InitialCertificationState.VERBAL_ORDER_LAPSED,
        InitialCertificationState.LATE_WITHOUT_REASON,
    )
    if today <= status.deadline or status.state not in late_states:
        return None
    what = "certified late without a recorded reason" if status.certified_on else "not certified"
    return Alert(
        f"{plan.plan_id}:{AlertKind.CERTIFICATION_LATE.value}:{status.deadline.isoformat()}",
        AlertKind.CERTIFICATION_LATE,
        plan.plan_id,
        f"plan {plan.plan_id} is {what}; the 30-day deadline was {status.deadline}",
    )


def authorization_nearly_used_up_alert(
    authorization: Authorization, today: date, threshold: NearlyUsedUpThreshold
) -> Alert | None:
    """A current authorization within the nearly-used-up threshold. Id:
    ``{authorization}:auth-nearly-used-up:{authorized}`` (a raised count is a new condition)."""
    if today > authorization.valid.last or not authorization_nearly_used_up(authorization, threshold):
        return None
    return Alert(
        f"{authorization.authorization_id}:{AlertKind.AUTHORIZATION_NEARLY_USED_UP.value}:{authorization.authorized}",
        AlertKind.AUTHORIZATION_NEARLY_USED_UP,
        authorization.authorization_id,
        f"authorization {authorization.authorization_id}: {authorization.remaining} of {authorization.authorized} "
        f"{authorization.unit.value} left (through {authorization.valid.last})",
    )


def alerts_on(
    today: date,
    *,
    plans: Iterable[PlanOfCare] = (),
    authorizations: Iterable[Authorization] = (),
    policy: PolicyDates,
    recertification_notice_days: int = DEFAULT_RECERTIFICATION_NOTICE_DAYS,
    progress_report_notice_treatment_days: int = DEFAULT_PROGRESS_REPORT_NOTICE_TREATMENT_DAYS,
    nearly_used_up: NearlyUsedUpThreshold = DEFAULT_NEARLY_USED_UP,
) -> tuple[Alert, ...]:
    """Every alert condition true on ``today``, plans first (in the order given), then authorizations."""
    found: list[Alert | None] = []
    for plan in plans:
        found.append(certification_late_alert(plan, today, policy))
        found.append(recertification_due_alert(plan, today, recertification_notice_days))
        found.append(progress_report_due_alert(plan, today, progress_report_notice_treatment_days))
    for authorization in authorizations:
        found.append(authorization_nearly_used_up_alert(authorization, today, nearly_used_up))
    return tuple(alert for alert in found if alert is not None)
