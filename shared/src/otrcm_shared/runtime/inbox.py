"""The inbox: a consumer processes an event id once, in the same transaction as its state change."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from otrcm_shared.runtime.db import upsert_capable_insert
from otrcm_shared.runtime.tables import KitTables


async def first_delivery(session: AsyncSession, tables: KitTables, consumer: str, event_id: UUID) -> bool:
    """Record ``event_id`` as processed by ``consumer``; False when it already was (a duplicate).

    Must run inside the transaction that applies the event, so both commit or neither does.
    """
    statement = (
        upsert_capable_insert(session, tables.processed_events)
        .values(consumer=consumer, event_id=str(event_id), processed_at=datetime.now(UTC))
        .on_conflict_do_nothing(index_elements=["consumer", "event_id"])
        .returning(tables.processed_events.c.event_id)
    )
    result = await session.execute(statement)
    return result.first() is not None
