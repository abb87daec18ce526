"""The front door's read routes for statuses: intake authenticates the API key as for every route, keeps
what the door accepted (a 404 for an encounter it never accepted), and asks the status service for the rest
on loopback with the key's tenant (docs/adr/011)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query
from fastapi.responses import JSONResponse
from sqlalchemy import select

from otrcm_intake.adapters.status_reader import StatusReader, StatusUnavailable
from otrcm_intake.adapters.store import encounters
from otrcm_intake.domain.violations import Violation
from otrcm_shared.events.submissions import CLIENT_ID_PATTERN
from otrcm_shared.runtime.service import ServiceRuntime

EncounterId = Annotated[str, Path(pattern=CLIENT_ID_PATTERN, description="The client's encounter id.")]
ClaimId = Annotated[str, Path(pattern=CLIENT_ID_PATTERN, description="The claim's id (CLM01).")]


def _error(path: str, rule: str, message: str, status: int, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"errors": [Violation(path, rule, message).as_dict()]}, status_code=status, headers=headers)


def _unavailable() -> JSONResponse:
    message = "statuses cannot be read right now; try again shortly"
    return _error("<service>", "status.available", message, 503, {"Retry-After": "5"})


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

    @router.get("/v1/claims/{claim_id}", summary="A claim's status (ids, codes and amounts; no PHI)")
    async def get_claim(claim_id: ClaimId, tenant_id: str = tenant) -> JSONResponse:
        try:
            claim = await reader.claim(tenant_id, claim_id)
        except StatusUnavailable:
            return _unavailable()
        if claim is None:
            return _error("claim_id", "claim.exists", "no such claim", 404)
        return JSONResponse(claim)

    @router.get(
        "/v1/worklist",
        summary="Held encounters, oldest first, with their reasons and counts per reason (filter by payer, reason)",
    )
    async def get_worklist(
        payer_id: Annotated[str | None, Query(max_length=64)] = None,
        reason: Annotated[str | None, Query(max_length=64, pattern=r"^[A-Z0-9_-]+$")] = None,
        limit: Annotated[int, Query(ge=1, le=500)] = 100,
        offset: Annotated[int, Query(ge=0)] = 0,
        tenant_id: str = tenant,
    ) -> JSONResponse:
        params: dict[str, str | int] = {"limit": limit, "offset": offset}
        params.update({k: v for k, v in (("payer_id", payer_id), ("reason", reason)) if v is not None})
        try:
            return JSONResponse(await reader.worklist(tenant_id, params))
        except StatusUnavailable:
            return _unavailable()

    return router
