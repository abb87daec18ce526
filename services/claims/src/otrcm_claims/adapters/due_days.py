"""The ready days a batch looks at: every unclaimed day, each with its patient's record when the service has one.

One statement for the whole batch. A day whose patient record never came (a record lost upstream, a tenant
that stopped sending) stays unclaimed for good, so a batch that looked the record up day by day paid a query
and a full decode for each such day on every run, and the runs slowed down as those days piled up. The
outer join answers "is there a record?" for all of them at once; the caller decodes only what it can use.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import and_, select
from sqlalchemy.ext.asyncio import AsyncSession

from otrcm_claims.adapters.store import patients, ready_days


async def unclaimed_days(session: AsyncSession) -> Sequence[Any]:
    """Rows of ``ready_days`` not yet claimed, tenant by tenant and day by day, with ``patient_record`` (None
    when the patient's record has not arrived). On PostgreSQL the days are locked, skipping those another
    batch holds, so two claims instances never build the same day."""
    days = ready_days
    same_patient = and_(patients.c.tenant_id == days.c.tenant_id, patients.c.patient_key == days.c.patient_key)
    query = (
        select(days, patients.c.record.label("patient_record"))
        .select_from(days.outerjoin(patients, same_patient))
        .where(days.c.claimed.is_(False))
        .order_by(days.c.tenant_id, days.c.day_key)
    )
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True, of=days)  # the patient rows stay free for their writer
    return (await session.execute(query)).mappings().all()


def waits_for_its_record(row: Any) -> bool:
    """A day with lines whose patient record has not arrived: all a batch can do is report it pending."""
    ready = row["ready"]
    return row["patient_record"] is None and isinstance(ready, dict) and bool(ready.get("lines"))


def day_of(row: Any) -> dict[str, str]:
    return {"tenant_id": row["tenant_id"], "day_key": row["day_key"]}
