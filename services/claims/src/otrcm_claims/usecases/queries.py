"""Read side for billers: one claim with its 837P segments, or a filtered list (no PHI but the 837P text)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from otrcm_claims.adapters import store

LISTED = (
    "tenant_id",
    "claim_id",
    "status",
    "payer_id",
    "patient_key",
    "day_keys",
    "encounter_ids",
    "interchange_control_number",
    "batch_reference",
    "charge",
    "paid",
)


def _plain(row: Any, columns: tuple[str, ...]) -> dict[str, Any]:
    found = {name: row[name] for name in columns}
    for stamp in ("created_at", "updated_at"):
        if stamp in row and row[stamp] is not None:
            found[stamp] = row[stamp].isoformat()
    return found


async def claim_detail(session: AsyncSession, claim_id: str) -> dict[str, Any] | None:
    row = await store.claim_row(session, claim_id)
    if row is None:
        return None
    detail = _plain(row, (*LISTED, "reasons", "lines"))
    detail["segment_text"] = (row["segment_text"] or "").replace("~", "~\n").rstrip("\n")
    return detail


async def claims_list(
    session: AsyncSession, *, tenant_id: str | None = None, status: str | None = None, encounter_id: str | None = None
) -> list[dict[str, Any]]:
    query = select(store.claims).order_by(store.claims.c.created_at, store.claims.c.claim_id)
    if tenant_id:
        query = query.where(store.claims.c.tenant_id == tenant_id)
    if status:
        query = query.where(store.claims.c.status == status)
    rows = (await session.execute(query)).mappings().all()
    if encounter_id:  # JSON containment differs per backend: filter here
        rows = [row for row in rows if encounter_id in row["encounter_ids"]]
    return [_plain(row, LISTED) for row in rows]
