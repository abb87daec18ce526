"""The front door's read routes for what the status service computes (statuses, claims and their history, the
worklist, plans of care, authorizations, alerts): intake authenticates the API key as for every route, keeps
what the door accepted (a 404 for an encounter it never accepted), and asks the status service for the rest
on loopback with the key's tenant (docs/adr/011). Another tenant's id is answered exactly as a missing one.
The status service knows patients by their opaque key; the door turns the client's patient id into it and back."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ValidationError
from sqlalchemy import select

from otrcm_intake.adapters.status_reader import StatusReader, StatusRefused, StatusUnavailable
from otrcm_intake.adapters.store import encounters, patient_keys
from otrcm_intake.domain.violations import Violation
from otrcm_intake.entrypoints import status_models as answers
from otrcm_intake.entrypoints.problems import ErrorBody
from otrcm_shared.events.submissions import CLIENT_ID_PATTERN
from otrcm_shared.runtime.service import ServiceRuntime

EncounterId = Annotated[str, Path(pattern=CLIENT_ID_PATTERN, description="The client's encounter id.")]
ClaimId = Annotated[str, Path(pattern=CLIENT_ID_PATTERN, description="The claim's id (CLM01).")]
PlanId = Annotated[str, Path(pattern=CLIENT_ID_PATTERN, description="The client's plan id.")]
AuthorizationId = Annotated[str, Path(pattern=CLIENT_ID_PATTERN, description="The client's authorization id.")]
PatientQuery = Annotated[str, Query(pattern=CLIENT_ID_PATTERN, description="The client's patient id.")]
UNAVAILABLE: dict[int | str, dict[str, Any]] = {
    503: {"model": ErrorBody, "description": "The status service does not answer (`status.available`): Retry-After."},
}
NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorBody, "description": "No such record of your organisation (another's id answers the same)."},
    **UNAVAILABLE,
}


def _error(path: str, rule: str, message: str, status: int, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"errors": [Violation(path, rule, message).as_dict()]}, status_code=status, headers=headers)


def _unavailable() -> JSONResponse:
    message = "statuses cannot be read right now; try again shortly"
    return _error("<service>", "status.available", message, 503, {"Retry-After": "5"})


def _shown(model: type[BaseModel], found: dict[str, Any]) -> JSONResponse:
    """The status service's answer as the documented model shows it (undocumented fields dropped); an answer
    that does not fit the model is the status service's fault: unavailable, never a 500."""
    try:
        return JSONResponse(model.model_validate(found).model_dump(mode="json"))
    except ValidationError:
        return _unavailable()


def status_routes(
    runtime: ServiceRuntime, reader: StatusReader, read_tenant: Callable[..., Awaitable[str]]
) -> APIRouter:
    router = APIRouter()
    tenant = Depends(read_tenant)  # the tenant of a key with the read scope, checked as on every route of the door

    @router.get("/v1/encounters/{encounter_id}", summary="An encounter's status through the pipeline")
    async def get_encounter(encounter_id: EncounterId, tenant_id: str = tenant) -> JSONResponse:
        c = encounters.c
        async with runtime.db.transaction() as session:
            row = (
                await session.execute(
                    select(c.encounter_id, c.received_at).where(
                        c.tenant_id == tenant_id, c.encounter_id == encounter_id
                    )
                )
            ).first()
        if row is None:
            return _error("encounter_id", "encounter.exists", "no such encounter", 404)
        try:
            found = await reader.encounter(tenant_id, encounter_id)
        except StatusUnavailable:
            return _unavailable()
        received_at = row.received_at.isoformat()
        return JSONResponse(
            {
                "encounter_id": row.encounter_id,
                "status": found["status"] if found else "received",  # no stage has reported on it yet
                "detail": found["detail"] if found else {},
                "claim_id": found["claim_id"] if found else None,
                "received_at": received_at,
                "updated_at": found["updated_at"] if found else received_at,
            }
        )

    @router.get("/v1/encounters/{encounter_id}/claims", summary="The claims that bill an encounter, and their status")
    async def get_encounter_claims(encounter_id: EncounterId, tenant_id: str = tenant) -> JSONResponse:
        async with runtime.db.transaction() as session:
            known = (
                await session.execute(
                    select(encounters.c.encounter_id).where(
                        encounters.c.tenant_id == tenant_id, encounters.c.encounter_id == encounter_id
                    )
                )
            ).first()
        if known is None:  # another tenant's encounter answers exactly as one that does not exist
            return _error("encounter_id", "encounter.exists", "no such encounter", 404)
        try:
            return JSONResponse({"claims": await reader.claims_of(tenant_id, encounter_id)})
        except StatusUnavailable:
            return _unavailable()

    @router.get(
        "/v1/claims/{claim_id}",
        summary="A claim's status and history: each step, the acknowledgment (999, 277CA, 835) that caused it, "
        "and an 835's payment and denials with CARC/RARC codes in plain words",
        response_model=answers.Claim,
        responses=NOT_FOUND,
    )
    async def get_claim(claim_id: ClaimId, tenant_id: str = tenant) -> JSONResponse:
        try:
            claim = await reader.claim(tenant_id, claim_id)
        except StatusUnavailable:
            return _unavailable()
        if claim is None:
            return _error("claim_id", "claim.exists", "no such claim", 404)
        return _shown(answers.Claim, claim)

    @router.get(
        "/v1/worklist",
        summary="Held encounters, oldest first, with their reasons and counts per reason (filter by payer, location, "
        "reason, clinician and how long held; page with `after`, the answer's `next_after`, or with limit and offset)",
        response_model=answers.Worklist,
        responses=UNAVAILABLE,
    )
    async def get_worklist(
        payer_id: Annotated[str | None, Query(max_length=64)] = None,
        location_id: Annotated[str | None, Query(max_length=64)] = None,
        reason: Annotated[str | None, Query(max_length=64, pattern=r"^[A-Za-z0-9_-]+$")] = None,
        limit: Annotated[int, Query(ge=1, le=500)] = 100,
        offset: Annotated[int, Query(ge=0)] = 0,
        held_before: Annotated[
            date | None, Query(description="Only encounters held since before this date (UTC): their age.")
        ] = None,
        after: Annotated[
            str | None, Query(max_length=400, description="The previous page's `next_after`: the page after it.")
        ] = None,
        clinician_npi: Annotated[
            str | None, Query(pattern=r"^\d{10}$", description="Only encounters this clinician (NPI) rendered.")
        ] = None,
        tenant_id: str = tenant,
    ) -> JSONResponse:
        params: dict[str, str | int] = {"limit": limit, "offset": offset}
        age = held_before.isoformat() if held_before else None
        given = (("payer_id", payer_id), ("location_id", location_id), ("reason", reason), ("after", after),
                 ("clinician_npi", clinician_npi), ("held_before", age))  # fmt: skip
        params.update({k: v for k, v in given if v is not None})
        try:
            return _shown(answers.Worklist, await reader.worklist(tenant_id, params))
        except StatusRefused as refused:
            return JSONResponse(refused.body, status_code=422)
        except StatusUnavailable:
            return _unavailable()

    async def one_record(
        read: Awaitable[dict[str, Any] | None], tenant_id: str, model: type[BaseModel], missing: JSONResponse
    ) -> JSONResponse:
        """A record the status service keeps, by id: ``missing`` when it is not this tenant's."""
        try:
            found = await read
        except StatusUnavailable:
            return _unavailable()
        if found is None:
            return missing
        await _with_patient_ids(runtime, tenant_id, [found])
        return _shown(model, found)

    async def patients_records(
        read: Callable[[str, str], Awaitable[list[dict[str, Any]]]],
        tenant_id: str,
        patient_id: str,
        model: type[BaseModel],
        field: str,
    ) -> JSONResponse:
        """A patient's records of one kind, under ``field``; 404 for a patient that is not this tenant's."""
        patient_key = await _patient_key(runtime, tenant_id, patient_id)
        if patient_key is None:
            return _error("patient_id", "patient.exists", "no such patient", 404)
        try:
            found = await read(tenant_id, patient_key)
        except StatusUnavailable:
            return _unavailable()
        await _with_patient_ids(runtime, tenant_id, found)
        return _shown(model, {field: found})

    @router.get(
        "/v1/plans-of-care/{plan_id}",
        summary="A plan of care: certification periods, recertification due date, progress reports and the "
        "treatment days left before the next, and the billing days it holds",
        response_model=answers.PlanOfCare,
        responses=NOT_FOUND,
    )
    async def get_plan(plan_id: PlanId, tenant_id: str = tenant) -> JSONResponse:
        missing = _error("plan_id", "plan.exists", "no such plan of care", 404)
        return await one_record(reader.plan(tenant_id, plan_id), tenant_id, answers.PlanOfCare, missing)

    @router.get(
        "/v1/plans-of-care",
        summary="A patient's plans of care, oldest first",
        response_model=answers.PlansOfCare,
        responses=NOT_FOUND,
    )
    async def list_plans(patient_id: PatientQuery, tenant_id: str = tenant) -> JSONResponse:
        return await patients_records(reader.plans_of, tenant_id, patient_id, answers.PlansOfCare, "plans_of_care")

    @router.get(
        "/v1/authorizations/{authorization_id}",
        summary="An authorization: visits (or units) authorized, used and left, its dates, the encounters counted "
        "on it and the days held because it ran out",
        response_model=answers.Authorization,
        responses=NOT_FOUND,
    )
    async def get_authorization(authorization_id: AuthorizationId, tenant_id: str = tenant) -> JSONResponse:
        missing = _error("authorization_id", "authorization.exists", "no such authorization", 404)
        found = reader.authorization(tenant_id, authorization_id)
        return await one_record(found, tenant_id, answers.Authorization, missing)

    @router.get(
        "/v1/authorizations",
        summary="A patient's authorizations, earliest first",
        response_model=answers.Authorizations,
        responses=NOT_FOUND,
    )
    async def list_authorizations(patient_id: PatientQuery, tenant_id: str = tenant) -> JSONResponse:
        read = reader.authorizations_of
        return await patients_records(read, tenant_id, patient_id, answers.Authorizations, "authorizations")

    @router.get(
        "/v1/alerts",
        summary="Alerts (recertification or progress report due, certification late, authorization nearly used up "
        "...), oldest first; filter by kind and by whether they are still open",
        response_model=answers.Alerts,
        responses=UNAVAILABLE,
    )
    async def list_alerts(
        kind: Annotated[str | None, Query(max_length=64, pattern=r"^[a-z0-9_-]+$")] = None,
        open: Annotated[bool | None, Query(description="true: only open alerts; false: only closed ones.")] = None,
        limit: Annotated[int, Query(ge=1, le=500)] = 100,
        offset: Annotated[int, Query(ge=0)] = 0,
        tenant_id: str = tenant,
    ) -> JSONResponse:
        params: dict[str, str | int | bool] = {"limit": limit, "offset": offset}
        params.update({k: v for k, v in (("kind", kind), ("open", open)) if v is not None})
        try:
            page = await reader.alerts(tenant_id, params)
        except StatusUnavailable:
            return _unavailable()
        await _with_patient_ids(runtime, tenant_id, page.get("items", []))
        return _shown(answers.Alerts, page)

    return router


async def _patient_key(runtime: ServiceRuntime, tenant_id: str, patient_id: str) -> str | None:
    c = patient_keys.c
    async with runtime.db.transaction() as session:
        found: str | None = await session.scalar(
            select(c.patient_key).where(c.tenant_id == tenant_id, c.patient_id == patient_id)
        )
    return found


async def _with_patient_ids(runtime: ServiceRuntime, tenant_id: str, records: Iterable[dict[str, Any]]) -> None:
    """Each record's opaque patient key replaced by the client's patient id (this tenant's patients only)."""
    records = list(records)
    keys = {record.get("patient_key") for record in records} - {None}
    c = patient_keys.c
    async with runtime.db.transaction() as session:
        rows = await session.execute(
            select(c.patient_key, c.patient_id).where(c.tenant_id == tenant_id, c.patient_key.in_(sorted(keys)))
        )
        ids = {row.patient_key: row.patient_id for row in rows}
    for record in records:
        record["patient_id"] = ids.get(record.pop("patient_key", None))
