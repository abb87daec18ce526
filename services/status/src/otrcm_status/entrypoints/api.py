"""The internal read API the front door (intake) asks, on loopback: an encounter's status, a claim's with its
history, the claims of an encounter, the worklist, and (``api_records.py``) plans of care, authorizations and
alerts. The tenant comes from ``X-Tenant-Id``, set by intake after it checked the API key; every query is scoped
to it. Answers carry ids, codes, statuses, dates and the rules' sentences, never PHI."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from datetime import date
from typing import Annotated, Any

from fastapi import FastAPI, Header, Path, Query
from fastapi.responses import JSONResponse
from sqlalchemy import select

from otrcm_shared.events.submissions import CLIENT_ID_PATTERN
from otrcm_shared.runtime.db import Database
from otrcm_shared.runtime.settings import RuntimeSettings
from otrcm_status.adapters.store import claim_status, encounter_status
from otrcm_status.adapters.worklist_sql import BadCursor, WorklistFilter, WorklistSql
from otrcm_status.domain.claim_history import outcome
from otrcm_status.domain.worklist import MAX_PAGE, WorkItem, reason_codes_of
from otrcm_status.entrypoints.api_records import record_routes
from otrcm_status.entrypoints.api_units import units_routes
from otrcm_status.entrypoints.views import history_json, remittance_json
from otrcm_status.usecases.claims import corrections_around
from otrcm_status.usecases.queries import claim_steps_of

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


def build_read_api(db: Database, today: Callable[[], date] | None = None) -> FastAPI:
    """The read API over ``db``; ``today`` is the business date (default: ``OTRCM_BUSINESS_DATE`` or the date)."""
    api = FastAPI(title="otrcm-status (internal)", version="0.1.0")
    api.include_router(record_routes(db, today or RuntimeSettings().today))
    api.include_router(units_routes(db))

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
            history = await claim_steps_of(session, tenant_id, claim_id) if row is not None else ()
            corrections = await corrections_around(session, tenant_id, claim_id) if row is not None else {}
        if row is None:
            return _not_found("claim")
        shown = {**_claim(row), **corrections, "history": [history_json(step) for step in history]}
        return JSONResponse({**shown, "remittance": remittance_json(outcome(history))})

    @api.get("/internal/v1/encounters/{encounter_id}/claims")
    async def claims_of_encounter(encounter_id: ClientId, tenant_id: TenantHeader) -> JSONResponse:
        c = claim_status.c
        async with db.transaction() as session:
            rows = (await session.execute(select(claim_status).where(c.tenant_id == tenant_id))).all()
        return JSONResponse({"claims": [_claim(r) for r in sorted(rows, key=lambda r: r.claim_id)
                                        if encounter_id in r.encounter_ids]})  # fmt: skip

    worklist_sql = WorklistSql(db.engine.dialect.name, None if db.is_sqlite else db.schema)

    @api.get("/internal/v1/worklist")
    async def get_worklist(
        tenant_id: TenantHeader,
        payer_id: Annotated[str | None, Query(max_length=64)] = None,
        reason: Annotated[str | None, Query(max_length=64)] = None,
        limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 100,
        offset: Annotated[int, Query(ge=0)] = 0,
        location_id: Annotated[str | None, Query(max_length=64)] = None,
        held_before: date | None = None,
        after: Annotated[str | None, Query(max_length=400)] = None,
        clinician_npi: Annotated[str | None, Query(pattern=r"^\d{10}$")] = None,
    ) -> JSONResponse:
        chosen = WorklistFilter(payer_id, location_id, reason, held_before, clinician_npi)
        try:
            async with db.transaction() as session:
                page = await worklist_sql.page(session, tenant_id, chosen, limit, offset, after)
        except BadCursor as error:
            body = {"path": "after", "rule": "worklist.cursor", "message": str(error), "severity": "error"}
            return JSONResponse({"errors": [body]}, status_code=422)
        items = [_work_item(row, row.location_id) for row in page.pop("rows")]
        return JSONResponse({**page, "items": [asdict(item) for item in items]})

    return api


def _work_item(row: Any, location_id: str | None) -> WorkItem:
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
        location_id=location_id,
    )


def payer_of_day(day_key: str) -> str:
    """The payer of a billing day key (patient / date / discipline / payer / billing NPI, docs/adr/004)."""
    parts = day_key.split("/")
    return parts[3] if len(parts) > 3 else ""
