"""The internal read API the front door (intake) asks, on loopback: an encounter's status, a claim's, and the
claims of an encounter. The tenant comes from ``X-Tenant-Id``, set by intake after it checked the API key;
every query is scoped to it. Answers carry ids, codes, statuses and the rules' sentences, never PHI."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import FastAPI, Header, Path
from fastapi.responses import JSONResponse
from sqlalchemy import select

from otrcm_shared.events.submissions import CLIENT_ID_PATTERN
from otrcm_shared.runtime.db import Database
from otrcm_status.store import claim_status, encounter_status

TenantHeader = Annotated[str, Header(alias="X-Tenant-Id", min_length=1, max_length=64)]
ClientId = Annotated[str, Path(pattern=CLIENT_ID_PATTERN)]


def _not_found(what: str) -> JSONResponse:
    return JSONResponse({"errors": [{"path": f"{what}_id", "rule": f"{what}.exists", "message": f"no such {what}",
                                     "severity": "error"}]}, status_code=404)  # fmt: skip


def _claim(row: Any) -> dict[str, Any]:
    return {
        "claim_id": row.claim_id,
        "status": row.status,
        "revision": row.revision,
        "payer_id": row.payer_id,
        "day_keys": row.day_keys,
        "encounter_ids": row.encounter_ids,
        "reasons": row.reasons,
        "denial_category": row.denial_category,
        "updated_at": row.updated_at.isoformat(),
    }


def build_read_api(db: Database) -> FastAPI:
    api = FastAPI(title="otrcm-status (internal)", version="0.1.0")

    @api.get("/internal/v1/encounters/{encounter_id}")
    async def get_encounter(encounter_id: ClientId, tenant_id: TenantHeader) -> JSONResponse:
        c = encounter_status.c
        async with db.transaction() as session:
            row = (
                await session.execute(
                    select(encounter_status).where(c.tenant_id == tenant_id, c.encounter_id == encounter_id)
                )
            ).first()
        if row is None:
            return _not_found("encounter")
        return JSONResponse(
            {
                "encounter_id": row.encounter_id,
                "status": row.status,
                "detail": row.detail,
                "claim_id": row.claim_id,
                "revision": row.revision,
                "updated_at": row.updated_at.isoformat(),
            }
        )

    @api.get("/internal/v1/claims/{claim_id}")
    async def get_claim(claim_id: ClientId, tenant_id: TenantHeader) -> JSONResponse:
        c = claim_status.c
        async with db.transaction() as session:
            row = (
                await session.execute(select(claim_status).where(c.tenant_id == tenant_id, c.claim_id == claim_id))
            ).first()
        return _not_found("claim") if row is None else JSONResponse(_claim(row))

    @api.get("/internal/v1/encounters/{encounter_id}/claims")
    async def claims_of_encounter(encounter_id: ClientId, tenant_id: TenantHeader) -> JSONResponse:
        c = claim_status.c
        async with db.transaction() as session:
            rows = (await session.execute(select(claim_status).where(c.tenant_id == tenant_id))).all()
        return JSONResponse({"claims": [_claim(r) for r in sorted(rows, key=lambda r: r.claim_id)
                                        if encounter_id in r.encounter_ids]})  # fmt: skip

    return api
