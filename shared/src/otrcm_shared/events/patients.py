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


SELF = "18"  # X12 individual relationship code: the patient is the subscriber


class Subscriber(StrictModel):
    """The insured person a dependent's coverage belongs to (X12 005010X222A1 loop 2010BA).

    Sent only when the patient is not the subscriber (``relationship_to_subscriber`` other than 18).
    ``member_id`` is the subscriber's own id when it differs from the coverage's ``member_id``.
    """

    first_name: str
    last_name: str
    birth_date: date | None = None
    sex: str | None = Field(default=None, pattern=r"^[FMU]$")
    member_id: str | None = Field(default=None, description="The subscriber's id when not the coverage's member_id.")
    address: Address | None = None


class Coverage(StrictModel):
    payer_id: str
    member_id: str
    group_number: str | None = None
    relationship_to_subscriber: str = Field(
        default=SELF, description="X12 individual relationship code: 18 self, 01 spouse, 19 child, G8 other."
    )
    subscriber: Subscriber | None = Field(
        default=None, description="The subscriber's demographics when the patient is not the subscriber."
    )
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
