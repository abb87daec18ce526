"""The internal read API's units of an encounter: each of its lines as the newest units revision of its billing
day counted them, the method, and the day's explanation (the units service's plain-English account, no PHI)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Path
from fastapi.responses import JSONResponse
from sqlalchemy import select

from otrcm_shared.events.submissions import CLIENT_ID_PATTERN
from otrcm_shared.runtime.db import Database
from otrcm_status.adapters.store import billing_days, encounter_status
from otrcm_status.domain.billing_days import BillingDay

TenantHeader = Annotated[str, Header(alias="X-Tenant-Id", min_length=1, max_length=64)]
ClientId = Annotated[str, Path(pattern=CLIENT_ID_PATTERN)]


def units_routes(db: Database) -> APIRouter:
    router = APIRouter()

    @router.get("/internal/v1/encounters/{encounter_id}/units")
    async def get_units(encounter_id: ClientId, tenant_id: TenantHeader) -> JSONResponse:
        e, d = encounter_status.c, billing_days.c
        async with db.transaction() as session:
            day_key = await session.scalar(
                select(e.day_key).where(e.tenant_id == tenant_id, e.encounter_id == encounter_id)
            )
            record = await session.scalar(select(d.record).where(d.tenant_id == tenant_id, d.day_key == day_key))
        if record is None:
            body = {"path": "encounter_id", "rule": "units.calculated", "message": "no units for this encounter yet",
                    "severity": "error"}  # fmt: skip
            return JSONResponse({"errors": [body]}, status_code=404)
        day = BillingDay.model_validate(record)
        lines = [line.model_dump() for line in day.units_lines if line.encounter_id == encounter_id]
        total = sum(line.units for line in day.units_lines)
        return JSONResponse({"encounter_id": encounter_id, "units_revision": day.units_revision, "lines": lines,
                             "method": day.units_method, "day_total_units": total,
                             "explanation": day.units_explanation})  # fmt: skip

    return router
