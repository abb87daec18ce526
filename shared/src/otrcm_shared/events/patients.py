"""Patient demographics and coverage: the only event that carries PHI, on a compacted topic."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from pydantic import Field

from otrcm_shared.events.base import StrictModel
from otrcm_shared.events.envelope import EventPayload


class Address(StrictModel):
    line1: str
    line2: str | None = None
    city: str
    state: str = Field(pattern=r"^[A-Z]{2}$")
    postal_code: str = Field(pattern=r"^\d{5}(\d{4})?$")


class Coverage(StrictModel):
    payer_id: str
    member_id: str
    group_number: str | None = None
    relationship_to_subscriber: str = Field(default="18", description="X12 code; 18 = self.")
    effective_from: date | None = Field(default=None, description="The first day the coverage is in force.")
    effective_to: date | None = Field(default=None, description="The last day the coverage is in force.")


class PatientRecorded(EventPayload):
    """The latest demographics and coverage of one patient (keyed by tenant and patient key)."""

    EVENT_TYPE: ClassVar[str] = "patient.recorded"

    patient_key: str
    first_name: str
    last_name: str
    birth_date: date
    sex: str = Field(pattern=r"^[FMU]$")
    address: Address
    coverages: tuple[Coverage, ...] = Field(min_length=1)
