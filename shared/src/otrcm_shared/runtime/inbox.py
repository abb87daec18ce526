"""The inbox: a consumer processes an event id once, in the same transaction as its state change."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from otrcm_shared.runtime.db import upsert_capable_insert
from otrcm_shared.runtime.tables import KitTables


async def first_delivery(session: AsyncSession, tables: KitTables, consumer: str, event_id: UUID) -> bool:
    """Record ``event_id`` as processed by ``consumer``; False when it already was (a duplicate).

    Must run inside the transaction that applies the event, so both commit or neither does.
    """
    return bool(await first_deliveries(session, tables, consumer, [event_id]))


async def first_deliveries(
    session: AsyncSession, tables: KitTables, consumer: str, event_ids: Iterable[UUID]
) -> set[str]:
    """Record a poll's event ids as processed by ``consumer`` in one statement; the ids (as strings) that were
    new. An id already recorded, or repeated in ``event_ids``, is a duplicate: it is not returned (again).

    Must run inside the transaction that applies the events, so the ids and the changes commit together.
    """
    now = datetime.now(UTC)
    rows = [{"consumer": consumer, "event_id": str(event_id), "processed_at": now} for event_id in event_ids]
    if not rows:
        return set()
    result = await session.execute(_record_processed(session, tables), rows)
    return {row[0] for row in result}


def _record_processed(session: AsyncSession, tables: KitTables) -> Any:
    """INSERT ... ON CONFLICT DO NOTHING RETURNING event_id: one statement per table and dialect, built once
    (SQLAlchemy sends many rows as one multi-row INSERT)."""
    dialect = session.get_bind().dialect.name
    cached = tables.statements.get(("processed", dialect))
    if cached is None:
        cached = (
            upsert_capable_insert(session, tables.processed_events)
            .on_conflict_do_nothing(index_elements=["consumer", "event_id"])
            .returning(tables.processed_events.c.event_id)
        )
        tables.statements[("processed", dialect)] = cached
    return cached
