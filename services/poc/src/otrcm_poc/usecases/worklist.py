"""The biller's worklist: held days by reason, per tenant."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from otrcm_poc.adapters.store import billing_days


async def held_by_reason(session: AsyncSession, tenant_id: str) -> list[dict[str, object]]:
    """Each held day with its reasons (no PHI: day keys carry the opaque patient key)."""
    rows = (
        await session.execute(
            select(billing_days.c.day_key, billing_days.c.reasons, billing_days.c.updated_at)
            .where(billing_days.c.tenant_id == tenant_id, billing_days.c.status == "held")
            .order_by(billing_days.c.day_key)
        )
    ).all()
    return [{"day_key": row.day_key, "reasons": row.reasons, "held_since": row.updated_at.isoformat()} for row in rows]


def count_reasons(held: list[dict[str, object]]) -> Counter[str]:
    return Counter(reason["code"] for day in held for reason in day["reasons"])  # type: ignore[attr-defined]
