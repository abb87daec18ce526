"""Encounter events: what intake accepted, as billing facts only (no names, birth dates or member ids)."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import ClassVar

from pydantic import Field

from otrcm_shared.events.base import StrictModel
from otrcm_shared.events.envelope import EventPayload


class Discipline(StrEnum):
    """Therapy discipline of a plan of care; decides the modifier (GO/GP/GN) and the threshold bucket."""

    OT = "OT"
    PT = "PT"
    SLP = "SLP"


class ProviderRole(StrEnum):
    """OT = occupational therapist; OTA = occupational therapy assistant (CO modifier rules apply)."""

    OT = "OT"
    OTA = "OTA"


class Provider(StrictModel):
    npi: str = Field(pattern=r"^\d{10}$")
    role: ProviderRole


class Attestations(StrictModel):
    """What the clinician documented; rules that need documentation read these, never assume them."""

    medical_necessity_documented: bool = False
    distinct_time_blocks: bool = False


class ServiceLine(StrictModel):
    """One billed service as documented: code and minutes (assistant minutes are part of ``minutes``)."""

    line_number: int = Field(ge=1)
    code: str = Field(pattern=r"^[A-Z0-9]{5}$")
    minutes: int = Field(ge=0)
    assistant_minutes: int = Field(default=0, ge=0)
    diagnosis_pointers: tuple[int, ...] = Field(min_length=1, max_length=4)
    modifiers: tuple[str, ...] = Field(default=(), max_length=4)


class EncounterReceived(EventPayload):
    """An encounter intake validated and stored; the first event of its chain."""

    EVENT_TYPE: ClassVar[str] = "encounter.received"

    encounter_id: str = Field(min_length=1, max_length=64, description="The client's id; also its idempotency key.")
    patient_key: str = Field(min_length=1, max_length=64, description="Opaque key; never a member id.")
    payer_id: str = Field(min_length=1, max_length=64, description="A payer profile of the tenant.")
    date_of_service: date
    place_of_service: str = Field(pattern=r"^\d{2}$")
    discipline: Discipline = Discipline.OT
    billing_provider_npi: str = Field(pattern=r"^\d{10}$")
    rendering_provider: Provider
    location_id: str | None = None
    diagnoses: tuple[str, ...] = Field(min_length=1, max_length=12)
    lines: tuple[ServiceLine, ...] = Field(min_length=1)
    attestations: Attestations = Attestations()
    revision: int = Field(
        default=1,
        ge=1,
        description="The encounter's version: 1 as first accepted, then one more per correction or void (newest wins).",
    )
    voided: bool = Field(default=False, description="The encounter was voided: its day is recomputed without it.")
