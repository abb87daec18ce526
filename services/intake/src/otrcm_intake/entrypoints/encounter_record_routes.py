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

from otrcm_intake.adapters.store import encounter_versions, patient_keys
from otrcm_intake.domain.violations import Violation
from otrcm_intake.entrypoints.problems import ErrorBody
from otrcm_shared.events.submissions import CLIENT_ID_PATTERN, EncounterSubmission
from otrcm_shared.runtime.service import ServiceRuntime

EncounterId = Annotated[str, Path(pattern=CLIENT_ID_PATTERN, description="The client's encounter id.")]


class EncounterRecord(BaseModel):
    revision: int = Field(description="1 as first accepted, one more per correction or void.")
    voided: bool
    encounter: dict[str, Any] = Field(description="The body of `POST /v1/encounters` as last accepted.")


def encounter_record_routes(runtime: ServiceRuntime, read_tenant: Callable[..., Awaitable[str]]) -> APIRouter:
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

    return router
