"""Plan-of-care and authorization events that intake accepts and the poc service consumes."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import ClassVar

from pydantic import Field

from otrcm_shared.events.encounters import Discipline
from otrcm_shared.events.envelope import EventPayload


class PlanEventKind(StrEnum):
    CREATED = "created"
    SENT = "sent"
    CERTIFIED = "certified"
    VERBAL_ORDER = "verbal_order"
    SIGNED = "signed"
    RECERTIFIED = "recertified"
    PROGRESS_REPORT_FILED = "progress_report_filed"
    LATE_REASON_RECORDED = "late_reason_recorded"
    DISCONTINUED = "discontinued"


class PlanOfCareRecorded(EventPayload):
    """One step in a plan of care's life (an IEP is a plan with ``is_iep``)."""

    EVENT_TYPE: ClassVar[str] = "plan-of-care.recorded"

    plan_id: str
    patient_key: str
    kind: PlanEventKind
    event_date: date
    discipline: Discipline = Discipline.OT
    evaluation_date: date | None = None
    duration_days: int | None = Field(default=None, ge=1, le=366)
    certifier_npi: str | None = Field(default=None, pattern=r"^\d{10}$")
    certifier_credential: str | None = None
    written_order_on_file: bool = False
    low_vision: bool = False
    is_iep: bool = False
    iep_start: date | None = None
    iep_end: date | None = None
    reason: str | None = Field(default=None, max_length=500)


class AuthorizationUnit(StrEnum):
    VISITS = "visits"
    UNITS = "units"


class AuthorizationRecorded(EventPayload):
    """A payer's authorization: how many visits or units, for which dates."""

    EVENT_TYPE: ClassVar[str] = "authorization.recorded"

    authorization_id: str
    patient_key: str
    payer_id: str
    unit: AuthorizationUnit = AuthorizationUnit.VISITS
    authorized: int = Field(ge=1)
    start_date: date
    end_date: date
