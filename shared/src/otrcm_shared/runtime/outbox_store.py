"""The outbox's rows: what a poll or a request stores with its state change, for :mod:`.outbox` to publish."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import bindparam
from sqlalchemy.ext.asyncio import AsyncSession

from otrcm_shared.events.envelope import Envelope
from otrcm_shared.runtime.db import upsert_insert
from otrcm_shared.runtime.prepared import Prepared, insert_many
from otrcm_shared.runtime.tables import KitTables
from otrcm_shared.runtime.trace_carry import trace_headers
from otrcm_shared.topics import TopicSpec


@dataclass(frozen=True, slots=True)
class Outgoing:
    """An event to publish: where, under which key, and the envelope itself."""

    topic: TopicSpec
    key: bytes
    event: Envelope[Any]


def outbox_rows(outgoing: Sequence[Outgoing]) -> list[dict[str, Any]]:
    """The outbox rows of ``outgoing``, carrying the current trace context (take them inside the span of the
    record that caused them)."""
    if not outgoing:
        return []
    carrier = trace_headers()
    now = datetime.now(UTC)
    return [
        {
            "event_id": str(item.event.event_id),
            "topic": item.topic.name,
            "key": item.key,
            "payload": item.event.model_dump_json().encode(),
            "headers": carrier,
            "created_at": now,
        }
        for item in outgoing
    ]


async def stage(session: AsyncSession, tables: KitTables, outgoing: Sequence[Outgoing]) -> None:
    """Store events in the outbox inside the caller's transaction, with the current trace context (an event id
    already there is skipped: ids are deterministic, so it is the same event)."""
    await stage_rows(session, tables, outbox_rows(outgoing))


async def stage_rows(session: AsyncSession, tables: KitTables, rows: Sequence[dict[str, Any]]) -> list[Pending]:
    """Store rows made by :func:`outbox_rows` (a whole poll's, say) in one statement, skipping known event ids;
    the rows stored, in id order."""
    if not rows:
        return []
    result = await insert_many(session, _insert_pending(tables), rows)
    by_event = {row["event_id"]: row for row in rows}
    stored = sorted((row_id, event_id) for row_id, event_id in result.all())
    return [Pending(row_id, by_event[event_id]) for row_id, event_id in stored]


_COLUMNS = ("event_id", "topic", "key", "payload", "headers", "created_at")  # the columns outbox_rows fills


def _insert_pending(tables: KitTables) -> Prepared:
    """INSERT ... ON CONFLICT (event_id) DO NOTHING RETURNING id, event_id, built once per table."""
    cached = tables.statements.get(("outbox", ""))
    if cached is None:
        outbox = tables.outbox

        def build(dialect: str) -> Any:
            insert = upsert_insert(dialect, outbox).values({name: bindparam(name) for name in _COLUMNS})
            return insert.on_conflict_do_nothing(index_elements=["event_id"]).returning(outbox.c.id, outbox.c.event_id)

        cached = tables.statements[("outbox", "")] = Prepared(build)
    return cached


@dataclass(frozen=True, slots=True)
class Pending:
    """A stored outbox row not yet published: its id and its columns (as :func:`outbox_rows` made them)."""

    id: int
    row: Mapping[str, Any]
