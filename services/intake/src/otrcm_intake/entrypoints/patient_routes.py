"""Reading patients (the ``read`` scope): one patient's minimum-necessary details, and the tenant's patient ids.

Every answer that shows a patient writes an access-audit row in the same transaction (audit.py). Another
tenant's patient answers 404 exactly as a missing one.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from otrcm_intake.adapters.audit import record_access
from otrcm_intake.adapters.keys import Caller
from otrcm_intake.adapters.patient_details import details_of, patient_ids
from otrcm_intake.domain.key_terms import Scope
from otrcm_intake.domain.violations import Violation
from otrcm_intake.entrypoints.auth import caller_with
from otrcm_shared.events.submissions import CLIENT_ID_PATTERN
from otrcm_shared.refdata import PayerProfiles
from otrcm_shared.runtime.service import ServiceRuntime

PatientId = Annotated[str, Path(pattern=CLIENT_ID_PATTERN, description="The client's patient id.")]
PATIENT_ROUTE = "/v1/patients/{patient_id}"
PATIENTS_ROUTE = "/v1/patients"
MAX_PAGE = 500


class CoverageShown(BaseModel):
    payer_id: str
    plan_type: str | None = Field(description="The payer profile's kind: medicare, medicaid, commercial ...")
    member_id: str | None = Field(description="Masked but for the last 4 characters.")
    effective_from: date | None
    effective_to: date | None


class PatientShown(BaseModel):
    """The minimum a biller needs to check a claim (45 CFR 164.502(b))."""

    patient_id: str
    first_name: str | None
    last_name: str | None
    birth_date: date | None
    coverages: list[CoverageShown]
    complete: bool = Field(description="False for a patient recorded before details were kept: post it again.")


class PatientIds(BaseModel):
    patient_ids: list[str]
    limit: int
    offset: int
    next_offset: int | None = Field(description="The offset of the next page, or null on the last page.")


def _not_found() -> JSONResponse:
    problem = Violation("patient_id", "patient.exists", "no such patient")
    return JSONResponse({"errors": [problem.as_dict()]}, status_code=404)


def patient_routes(runtime: ServiceRuntime, today: Callable[[], date]) -> APIRouter:
    router = APIRouter()
    reader = Depends(caller_with(Scope.READ))

    @router.get(
        PATIENT_ROUTE,
        summary="A patient's name, birth date and coverages (member ids masked); every read is audited",
        response_model=PatientShown,
        responses={404: {"description": "No such patient of your organisation"}},
    )
    async def get_patient(patient_id: PatientId, caller: Caller = reader) -> JSONResponse:
        async with runtime.db.transaction() as session:
            shown = await details_of(session, caller.tenant_id, patient_id, PayerProfiles.builtin(today()))
            if shown is None:
                return _not_found()
            await record_access(session, caller, PATIENT_ROUTE, "patient", patient_id)
        return JSONResponse(shown)

    @router.get(
        PATIENTS_ROUTE,
        summary="Your organisation's patient ids, in order, one page at a time (ids only; the read is audited)",
        response_model=PatientIds,
    )
    async def list_patients(
        limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 100,
        offset: Annotated[int, Query(ge=0)] = 0,
        caller: Caller = reader,
    ) -> JSONResponse:
        async with runtime.db.transaction() as session:
            found = await patient_ids(session, caller.tenant_id, limit + 1, offset)
            await record_access(session, caller, PATIENTS_ROUTE, "patient-ids", None)
        page = found[:limit]
        next_offset = offset + limit if len(found) > limit else None
        return JSONResponse({"patient_ids": page, "limit": limit, "offset": offset, "next_offset": next_offset})

    return router
