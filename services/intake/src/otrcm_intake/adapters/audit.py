"""The access audit of patient details: every read through the API leaves a row in the same transaction as the
read (no row, no answer). A row says which key of which tenant read what (route, resource kind, record id) and
when; it never holds a value that was read. ``otrcm-intake audit --tenant T --since DATE`` lists them.

``accessed_at`` records when the read happened, so it keeps the clock (a record of an event, not a decision).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from otrcm_intake.adapters.keys import Caller
from otrcm_intake.adapters.store import phi_access_audit


async def record_access(
    session: AsyncSession, caller: Caller, route: str, resource_kind: str, resource_id: str | None
) -> None:
    await session.execute(
        insert(phi_access_audit).values(
            tenant_id=caller.tenant_id,
            key_id=caller.key_id,
            route=route,
            resource_kind=resource_kind,
            resource_id=resource_id,
            accessed_at=datetime.now(UTC),
        )
    )


def _utc(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes (stored as UTC); PostgreSQL aware ones."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


async def accesses_since(session: AsyncSession, tenant_id: str, since: date) -> list[dict[str, Any]]:
    """The tenant's audit rows from the start of ``since`` (UTC) on, oldest first."""
    rows = phi_access_audit.c
    found = await session.execute(
        select(rows.accessed_at, rows.key_id, rows.route, rows.resource_kind, rows.resource_id)
        .where(rows.tenant_id == tenant_id, rows.accessed_at >= datetime.combine(since, time.min, UTC))
        .order_by(rows.accessed_at, rows.id)
    )
    return [
        {
            "accessed_at": _utc(row.accessed_at).isoformat(),
            "tenant_id": tenant_id,
            "key_id": row.key_id,
            "route": row.route,
            "resource_kind": row.resource_kind,
            "resource_id": row.resource_id,
        }
        for row in found
    ]
