"""The inbox: a consumer processes an event id once, in the same transaction as its state change."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import bindparam
from sqlalchemy.ext.asyncio import AsyncSession

from otrcm_shared.runtime.db import upsert_insert
from otrcm_shared.runtime.prepared import Prepared, insert_many
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
    return set((await insert_many(session, _record_processed(tables), rows)).scalars())


def _record_processed(tables: KitTables) -> Prepared:
    """INSERT ... ON CONFLICT DO NOTHING RETURNING event_id, built once per table (one multi-row INSERT)."""
    cached = tables.statements.get(("processed", ""))
    if cached is None:
        inbox = tables.processed_events

        def build(dialect: str) -> Any:
            values: dict[str, Any] = {name: bindparam(name) for name in ("consumer", "event_id", "processed_at")}
            insert = upsert_insert(dialect, inbox).values(values)
            return insert.on_conflict_do_nothing(index_elements=["consumer", "event_id"]).returning(inbox.c.event_id)

        cached = tables.statements[("processed", "")] = Prepared(build)
    return cached
