"""The internal read API's routes for plans of care, authorizations and alerts (the front door asks them with
the key's tenant in ``X-Tenant-Id``). A list filtered by patient takes the opaque patient key the front door
looked up for the client's patient id; one record by id answers 404 when this tenant has no such record."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Header, Path, Query
from fastapi.responses import JSONResponse

from otrcm_shared.events.submissions import CLIENT_ID_PATTERN
from otrcm_shared.runtime.db import Database
from otrcm_status.entrypoints.views import alert_json, authorization_json, plan_json
from otrcm_status.usecases.queries import alert_list, authorization_views_of, plan_views

TenantHeader = Annotated[str, Header(alias="X-Tenant-Id", min_length=1, max_length=64)]
RecordId = Annotated[str, Path(pattern=CLIENT_ID_PATTERN)]
PatientKey = Annotated[str, Query(min_length=1, max_length=64)]
MAX_ALERTS_PAGE = 500


def _not_found(what: str, field: str) -> JSONResponse:
    body = {
        "path": field,
        "rule": f"{what}.exists",
        "message": f"no such {what.replace('_', ' ')}",
        "severity": "error",
    }
    return JSONResponse({"errors": [body]}, status_code=404)


def record_routes(db: Database, today: Callable[[], date]) -> APIRouter:
    router = APIRouter()

    @router.get("/internal/v1/plans-of-care/{plan_id}")
    async def get_plan(plan_id: RecordId, tenant_id: TenantHeader) -> JSONResponse:
        async with db.transaction() as session:
            found = await plan_views(session, tenant_id, today(), plan_id=plan_id)
        return JSONResponse(plan_json(found[0])) if found else _not_found("plan_of_care", "plan_id")

    @router.get("/internal/v1/plans-of-care")
    async def list_plans(patient_key: PatientKey, tenant_id: TenantHeader) -> JSONResponse:
        async with db.transaction() as session:
            found = await plan_views(session, tenant_id, today(), patient_key=patient_key)
        return JSONResponse({"plans_of_care": [plan_json(view) for view in found]})

    @router.get("/internal/v1/authorizations/{authorization_id}")
    async def get_authorization(authorization_id: RecordId, tenant_id: TenantHeader) -> JSONResponse:
        async with db.transaction() as session:
            found = await authorization_views_of(session, tenant_id, authorization_id=authorization_id)
        return JSONResponse(authorization_json(found[0])) if found else _not_found("authorization", "authorization_id")

    @router.get("/internal/v1/authorizations")
    async def list_authorizations(patient_key: PatientKey, tenant_id: TenantHeader) -> JSONResponse:
        async with db.transaction() as session:
            found = await authorization_views_of(session, tenant_id, patient_key=patient_key)
        return JSONResponse({"authorizations": [authorization_json(view) for view in found]})

    @router.get("/internal/v1/alerts")
    async def list_alerts(
        tenant_id: TenantHeader,
        kind: Annotated[str | None, Query(max_length=64)] = None,
        open: Annotated[bool | None, Query()] = None,
        limit: Annotated[int, Query(ge=1, le=MAX_ALERTS_PAGE)] = 100,
        offset: Annotated[int, Query(ge=0)] = 0,
    ) -> JSONResponse:
        async with db.transaction() as session:
            found = await alert_list(session, tenant_id, today(), kind=kind)
        matching = [(alert, is_open) for alert, is_open in found if open is None or is_open is open]
        page = matching[offset : offset + limit]
        following = offset + limit if offset + limit < len(matching) else None
        return JSONResponse({
            "total": len(matching), "items": [alert_json(alert, is_open) for alert, is_open in page],
            "next_offset": following,
        })  # fmt: skip

    return router
