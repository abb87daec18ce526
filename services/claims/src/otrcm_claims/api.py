"""A small read API for billers: ``GET /v1/claims/{claim_id}`` and ``GET /v1/claims?status=&encounter_id=``.

The tenant comes from the ``X-Tenant-Id`` header and every query is scoped to it. There is no
authentication yet: bind it to loopback (the default) or put it behind the gateway. Responses carry
ids, codes, amounts and statuses, never PHI: the claim's 837P segments are only shown by the CLI.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import FastAPI, Header, HTTPException

from otrcm_claims.queries import claim_detail, claims_list
from otrcm_shared.runtime.db import Database

TenantHeader = Annotated[str, Header(alias="X-Tenant-Id", min_length=1, max_length=64)]


def build_api(db: Database) -> FastAPI:
    api = FastAPI(title="otrcm-claims", version="0.1.0")

    @api.get("/v1/claims/{claim_id}")
    async def get_claim(claim_id: str, tenant_id: TenantHeader) -> dict[str, Any]:
        async with db.transaction() as session:
            detail = await claim_detail(session, claim_id)
        if detail is None or detail["tenant_id"] != tenant_id:
            raise HTTPException(status_code=404, detail=f"no claim {claim_id}")
        detail.pop("segment_text", None)
        return detail

    @api.get("/v1/claims")
    async def list_claims(
        tenant_id: TenantHeader, status: str | None = None, encounter_id: str | None = None
    ) -> list[dict[str, Any]]:
        async with db.transaction() as session:
            return await claims_list(session, tenant_id=tenant_id, status=status, encounter_id=encounter_id)

    return api
