"""The internal read API the front door (intake) asks, on loopback: an encounter's status, a claim's, the
claims of an encounter, and the worklist. The tenant comes from ``X-Tenant-Id``, set by intake after it
checked the API key; every query is scoped to it. Answers carry ids, codes, statuses and the rules'
sentences, never PHI."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any

from fastapi import FastAPI, Header, Path, Query
from fastapi.responses import JSONResponse
from sqlalchemy import select

from otrcm_shared.events.submissions import CLIENT_ID_PATTERN
from otrcm_shared.runtime.db import Database
from otrcm_status.adapters.store import claim_status, encounter_status
from otrcm_status.domain.worklist import (
    MAX_PAGE,
    ON_THE_WORKLIST,
    WorkItem,
    WorklistQuery,
    reason_codes_of,
    worklist_page,
)

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

    @api.get("/internal/v1/worklist")
    async def get_worklist(
        tenant_id: TenantHeader,
        payer_id: Annotated[str | None, Query(max_length=64)] = None,
        reason: Annotated[str | None, Query(max_length=64)] = None,
        limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 100,
        offset: Annotated[int, Query(ge=0)] = 0,
    ) -> JSONResponse:
        c = encounter_status.c
        async with db.transaction() as session:
            rows = (
                await session.execute(
                    select(encounter_status).where(c.tenant_id == tenant_id, c.status.in_(ON_THE_WORKLIST))
                )
            ).all()
        items = [_work_item(row) for row in rows]
        page = worklist_page(items, WorklistQuery(payer_id, reason, limit, offset))
        return JSONResponse(
            {
                "total": page.total,
                "counts_by_reason": page.counts_by_reason,
                "items": [asdict(item) for item in page.items],
            }
        )

    return api


def _work_item(row: Any) -> WorkItem:
    detail = row.detail or {}
    reasons = tuple(reason for reason in detail.get("reasons", ()) if isinstance(reason, dict))
    return WorkItem(
        encounter_id=row.encounter_id,
        status=row.status,
        payer_id=payer_of_day(row.day_key),
        reason_codes=reason_codes_of(detail),
        reasons=reasons,
        claim_id=row.claim_id,
        held_since=row.updated_at.isoformat(),
    )


def payer_of_day(day_key: str) -> str:
    """The payer of a billing day key (patient / date / discipline / payer / billing NPI, docs/adr/004)."""
    parts = day_key.split("/")
    return parts[3] if len(parts) > 3 else ""
