"""The plan-of-care gate's verdict on a billing day: cleared for billing, or held with reasons.

The gate judges a whole billing day (same-day visits are one day, with one claim). A held day is
released by the event that fixes it (a plan signed, a report filed, an authorization added) and then
published as cleared; each verdict has a ``gate_revision``, and downstream applies the newest.
"""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field

from otrcm_shared.events.base import StrictModel
from otrcm_shared.events.envelope import EventPayload
from otrcm_shared.events.units import UnitsCalculated


class HoldReason(StrictModel):
    """Why a day cannot be billed yet: a stable code and a message without PHI."""

    code: str = Field(description="e.g. POC_MISSING, POC_EXPIRED, AUTH_EXHAUSTED, PROGRESS_REPORT_OVERDUE.")
    message: str
    encounter_id: str | None = None


class DayCleared(EventPayload):
    """The day may be billed: its newest units, as the gate saw them."""

    EVENT_TYPE: ClassVar[str] = "billing-day.cleared"

    day_key: str
    gate_revision: int = Field(ge=1)
    plan_id: str | None = Field(default=None, description="The plan of care (or IEP) that covers the day.")
    certifier_npi: str | None = Field(default=None, description="Referring provider on the claim (2310A).")
    released: bool = Field(default=False, description="True when an earlier hold was lifted.")
    day: UnitsCalculated


class DayHeld(EventPayload):
    """The day cannot be billed yet, and why."""

    EVENT_TYPE: ClassVar[str] = "billing-day.held"

    day_key: str
    gate_revision: int = Field(ge=1)
    patient_key: str
    encounter_ids: tuple[str, ...]
    units_revision: int = Field(ge=1)
    reasons: tuple[HoldReason, ...] = Field(min_length=1)
