"""What can happen to a plan of care: one frozen event per step, each naming its plan.

They mirror the kinds of ``otrcm_shared.events.plans.PlanEventKind`` (created, sent, certified,
verbal_order, signed, recertified, progress_report_filed, late_reason_recorded, discontinued), plus a
written order filed after the plan and a treatment day furnished under it; the service translates each
recorded event into one of these and folds it with :func:`otrcm_poc.domain.apply_plan_event`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TypeAlias

from otrcm_shared.events.encounters import Discipline


@dataclass(frozen=True, slots=True)
class PlanCreated:
    """The therapist established the plan from the evaluation; give its duration or its end date."""

    plan_id: str
    patient_key: str
    evaluation_date: date
    duration_days: int | None = None
    end_date: date | None = None
    discipline: Discipline = Discipline.OT
    low_vision: bool = False
    written_order_on_file: bool = False


@dataclass(frozen=True, slots=True)
class PlanSent:
    """The plan was sent to the physician/NPP for certification."""

    plan_id: str
    sent_on: date


@dataclass(frozen=True, slots=True)
class WrittenOrderFiled:
    """A signed, dated written order or referral from the physician/NPP was put on file."""

    plan_id: str
    filed_on: date


@dataclass(frozen=True, slots=True)
class PlanSigned:
    """The physician/NPP signed and dated the plan (the ``certified`` kind).

    When a verbal order awaits its signature, this is that signature; otherwise it is the certification.
    ``duration_days`` is set when the physician/NPP certified a different duration.
    """

    plan_id: str
    signed_on: date
    certifier_npi: str
    certifier_credential: str
    duration_days: int | None = None


@dataclass(frozen=True, slots=True)
class VerbalOrderReceived:
    """The physician/NPP gave a verbal order to certify the plan; a dated notation is in the record."""

    plan_id: str
    ordered_on: date
    certifier_npi: str
    certifier_credential: str
    duration_days: int | None = None


@dataclass(frozen=True, slots=True)
class VerbalOrderSigned:
    """The physician/NPP signed the plan after a verbal order (the ``signed`` kind)."""

    plan_id: str
    signed_on: date


@dataclass(frozen=True, slots=True)
class PlanRecertified:
    """A signed recertification for a new interval; ``starts_on`` only when it states its own start.

    A recertification equal in every field to the plan's last one is taken for a redelivery and changes
    nothing (the safe side: a duplicate would add an interval that was never certified). Several
    intervals certified on one signed document (delayed certification) therefore state their
    ``starts_on``, which differ.
    """

    plan_id: str
    signed_on: date
    certifier_npi: str
    certifier_credential: str
    duration_days: int
    starts_on: date | None = None


@dataclass(frozen=True, slots=True)
class LateReasonRecorded:
    """A reason for a delayed certification: ``certification_number`` 0 is the initial one, n the n-th
    recertification. The reason is free text and never appears in a message."""

    plan_id: str
    reason: str
    certification_number: int = 0


@dataclass(frozen=True, slots=True)
class ProgressReportFiled:
    """The occupational therapist wrote a progress report dated ``filed_on``."""

    plan_id: str
    filed_on: date


@dataclass(frozen=True, slots=True)
class TreatmentDayRecorded:
    """An encounter under the plan was furnished on ``date_of_service`` (a treatment day)."""

    plan_id: str
    date_of_service: date


@dataclass(frozen=True, slots=True)
class PlanDiscontinued:
    """The plan ended (discharge); services after ``discontinued_on`` are not under it."""

    plan_id: str
    discontinued_on: date


PlanEvent: TypeAlias = (
    PlanCreated
    | PlanSent
    | WrittenOrderFiled
    | PlanSigned
    | VerbalOrderReceived
    | VerbalOrderSigned
    | PlanRecertified
    | LateReasonRecorded
    | ProgressReportFiled
    | TreatmentDayRecorded
    | PlanDiscontinued
)
"""Any event of a plan's life."""
