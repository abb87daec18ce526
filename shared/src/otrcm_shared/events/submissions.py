"""What clients submit: the encounter as the intake API and the ingestion topic accept it.

The same model is the body of ``POST /v1/encounters`` and the payload of
``otrcm.encounters.submitted.v1`` (EHR feeds). ``patient_id`` is the client's own patient id; intake
replaces it with an opaque patient key before anything travels further.
"""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from pydantic import Field, StrictInt

from otrcm_shared.events.base import StrictModel
from otrcm_shared.events.encounters import Attestations, Discipline, Provider
from otrcm_shared.events.envelope import EventPayload

CLIENT_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._:\-]{0,63}$"


class SubmittedLine(StrictModel):
    """One service line as documented."""

    line_number: StrictInt = Field(ge=1, le=50)
    code: str = Field(pattern=r"^[A-Z0-9]{5}$", description="CPT or HCPCS code.")
    minutes: StrictInt = Field(ge=0, description="Whole minutes of the service, the assistant's included.")
    assistant_minutes: StrictInt = Field(default=0, ge=0, description="Minutes furnished by an OTA.")
    diagnosis_pointers: tuple[StrictInt, ...] = Field(min_length=1, max_length=4)
    modifiers: tuple[str, ...] = Field(default=(), max_length=4)


class EncounterSubmission(EventPayload):
    """One documented encounter, as a client sends it."""

    EVENT_TYPE: ClassVar[str] = "encounter.submitted"

    encounter_id: str = Field(pattern=CLIENT_ID_PATTERN, description="The client's id; the idempotency key.")
    patient_id: str = Field(pattern=CLIENT_ID_PATTERN, description="The client's patient id.")
    payer_id: str = Field(min_length=1, max_length=64, description="A payer profile known to the tenant.")
    date_of_service: date
    place_of_service: str = Field(pattern=r"^\d{2}$", description="CMS place-of-service code, e.g. 11 or 03.")
    discipline: Discipline = Discipline.OT
    billing_provider_npi: str = Field(pattern=r"^\d{10}$")
    rendering_provider: Provider
    location_id: str | None = Field(default=None, max_length=64)
    diagnoses: tuple[str, ...] = Field(min_length=1, max_length=12, description="ICD-10-CM codes, principal first.")
    lines: tuple[SubmittedLine, ...] = Field(min_length=1, max_length=50)
    attestations: Attestations = Attestations()
