"""Alerts (``otrcm.alerts.raised.v1``) and whether each is still open. Pure.

An alert is raised once per condition and no event closes it, so the read model decides from the records it
keeps whether the thing the alert asked for has happened since. The condition id ends with the kind and the date
or amount that defines the condition (``{subject}:{kind}:{value}``, poc's alerts), which is what is compared:

- ``recert-due`` (value: the last certified day): closed once the plan is certified beyond that day, or
  discontinued.
- ``progress-report-due`` (value: the first treatment day of the reporting period): closed once a progress report
  is filed on or after that day, or the plan is discontinued.
- ``certification-late`` (value: the 30-day deadline): closed once the plan's initial certification is on file
  and either dated by the deadline or with a late reason recorded (a delayed certification), or the plan is
  discontinued.
- ``auth-nearly-used-up`` (value: the amount authorized): closed once the authorization is recorded again with
  another amount, or the patient has a newer authorization from the same payer that ends later.
- Any other kind (a reference dataset carried into a year it has no version for, ...): open; nothing the status
  service reads closes it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from otrcm_status.domain.authorizations import Authorization
from otrcm_status.domain.plan_view import PlanView


@dataclass(frozen=True, slots=True)
class Alert:
    condition_id: str
    kind: str
    subject_id: str
    patient_key: str | None
    message: str
    due_on: date | None
    dataset: str | None
    year: int | None
    raised_at: datetime

    @property
    def value(self) -> str:
        """What defines the condition: the last part of its id (``{subject}:{kind}:{value}``)."""
        head, _, value = self.condition_id.rpartition(":")
        return value if head.endswith(f":{self.kind}") else ""


def _date(value: str) -> date | None:
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def _plan_alert_open(alert: Alert, plan: PlanView) -> bool:
    if plan.plan.discontinued_on is not None:
        return False
    on = _date(alert.value)
    if on is None:
        return True
    if alert.kind == "recert-due":
        return plan.certified_through is None or plan.certified_through <= on
    if alert.kind == "progress-report-due":
        return not any(report >= on for report in plan.plan.progress_report_dates)
    initial = plan.plan.certification
    if initial is None:
        return True
    documented = initial.signed_on is not None
    return not (documented and (initial.dated_on <= on or plan.plan.late_reason_recorded))


def _authorization_alert_open(alert: Alert, authorization: Authorization, known: Sequence[Authorization]) -> bool:
    if alert.value and alert.value != str(authorization.authorized):
        return False
    return not any(
        other.authorization_id != authorization.authorization_id
        and other.patient_key == authorization.patient_key
        and other.payer_id == authorization.payer_id
        and other.end_date > authorization.end_date
        for other in known
    )


PLAN_KINDS = frozenset({"recert-due", "progress-report-due", "certification-late"})
AUTHORIZATION_KINDS = frozenset({"auth-nearly-used-up"})


def is_open(alert: Alert, plans: Mapping[str, PlanView], authorizations: Sequence[Authorization]) -> bool:
    """Whether the alert still asks for something (the rules above). ``plans`` are the plans by id,
    ``authorizations`` every authorization of the alerts' patients. A subject the status service has not read
    leaves its alert open."""
    if alert.kind in PLAN_KINDS and alert.subject_id in plans:
        return _plan_alert_open(alert, plans[alert.subject_id])
    subject = next((a for a in authorizations if a.authorization_id == alert.subject_id), None)
    if alert.kind in AUTHORIZATION_KINDS and subject is not None:
        return _authorization_alert_open(alert, subject, authorizations)
    return True
