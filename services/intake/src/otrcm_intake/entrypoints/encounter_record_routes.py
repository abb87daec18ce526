"""The encounter as the door last accepted it, in the body shape of ``POST /v1/encounters``: its lines with
their minutes and modifiers, the attestations, the rendering clinician, the revision. A client (the billing
console) shows it and sends it back as a correction with one attestation changed. Another tenant's encounter
answers 404, exactly as a missing one; the patient appears only as the client's own patient id."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy import select

from otrcm_intake.adapters.status_reader import StatusReader, StatusRefused, StatusUnavailable
from otrcm_intake.adapters.store import encounter_versions, encounters, patient_keys
from otrcm_intake.domain.violations import Violation
from otrcm_intake.entrypoints.problems import ErrorBody
from otrcm_shared.events.submissions import CLIENT_ID_PATTERN, EncounterSubmission
from otrcm_shared.runtime.service import ServiceRuntime

EncounterId = Annotated[str, Path(pattern=CLIENT_ID_PATTERN, description="The client's encounter id.")]


class UnitsLine(BaseModel):
    line_number: int
    code: str = Field(description="The code as documented.")
    billed_code: str = Field(description="The code the units bill under (differs only in a code family).")
    minutes: int
    units: int


class EncounterUnits(BaseModel):
    encounter_id: str
    units_revision: int = Field(description="The day's units revision these are from; 0: not counted yet.")
    method: str | None = Field(description="cms (the 8-minute rule) or ama, as the payer's profile says.")
    lines: list[UnitsLine]
    day_total_units: int = Field(description="Timed units the whole billing day counts (minutes pool per day).")
    explanation: str | None = Field(description="How the minutes became units, in plain words.")


class EncounterRecord(BaseModel):
    revision: int = Field(description="1 as first accepted, one more per correction or void.")
    voided: bool
    encounter: dict[str, Any] = Field(description="The body of `POST /v1/encounters` as last accepted.")


def encounter_record_routes(
    runtime: ServiceRuntime, reader: StatusReader, read_tenant: Callable[..., Awaitable[str]]
) -> APIRouter:
    router = APIRouter()
    tenant = Depends(read_tenant)

    @router.get(
        "/v1/encounters/{encounter_id}/record",
        summary="The encounter as last accepted (lines, minutes, modifiers, attestations), in the body shape of "
        "POST /v1/encounters",
        response_model=EncounterRecord,
        responses={404: {"model": ErrorBody, "description": "No such encounter of your organisation."}},
    )
    async def get_encounter_record(encounter_id: EncounterId, tenant_id: str = tenant) -> JSONResponse:
        v, k = encounter_versions.c, patient_keys.c
        async with runtime.db.transaction() as session:
            row = (
                await session.execute(
                    select(v.revision, v.received)
                    .where(v.tenant_id == tenant_id, v.encounter_id == encounter_id)
                    .order_by(v.revision.desc())
                    .limit(1)
                )
            ).first()
            received: dict[str, Any] = dict(row.received) if row is not None else {}
            patient_id = await session.scalar(
                select(k.patient_id).where(k.tenant_id == tenant_id, k.patient_key == received.get("patient_key"))
            )
        if row is None or patient_id is None:
            missing = Violation("encounter_id", "encounter.exists", "no such encounter")
            return JSONResponse({"errors": [missing.as_dict()]}, status_code=404)
        shape = EncounterSubmission.model_fields
        encounter = {name: value for name, value in received.items() if name in shape}
        encounter["patient_id"] = patient_id
        body = {"revision": row.revision, "voided": bool(received.get("voided")), "encounter": encounter}
        return JSONResponse(EncounterRecord.model_validate(body).model_dump(mode="json"))

    @router.get(
        "/v1/encounters/{encounter_id}/units",
        summary="The encounter's lines as its billing day's newest units counted them, with the explanation",
        response_model=EncounterUnits,
        responses={404: {"model": ErrorBody, "description": "No such encounter (before its units: no lines)."},
                   503: {"model": ErrorBody, "description": "The status service does not answer."}},
    )  # fmt: skip
    async def get_encounter_units(encounter_id: EncounterId, tenant_id: str = tenant) -> JSONResponse:
        e = encounters.c
        async with runtime.db.transaction() as session:
            known = await session.scalar(select(e.encounter_id).where(e.tenant_id == tenant_id,
                                                                      e.encounter_id == encounter_id))  # fmt: skip
        if known is None:
            missing = Violation("encounter_id", "encounter.exists", "no such encounter")
            return JSONResponse({"errors": [missing.as_dict()]}, status_code=404)
        try:
            found = await reader.units(tenant_id, encounter_id)
        except (StatusUnavailable, StatusRefused):
            down = Violation("<service>", "status.available", "units cannot be read right now; try again shortly")
            return JSONResponse({"errors": [down.as_dict()]}, status_code=503, headers={"Retry-After": "5"})
        if found is None:  # accepted, not counted yet: no lines, no explanation
            found = {"encounter_id": encounter_id, "units_revision": 0, "method": None, "lines": [],
                     "day_total_units": 0, "explanation": None}  # fmt: skip
        return JSONResponse(EncounterUnits.model_validate(found).model_dump(mode="json"))

    return router
