"""The outbox: outgoing events stored with the state change, published afterwards by a relay.

The relay publishes pending rows in id order (so in order per key), waits for the broker's
acknowledgement, then marks them. A crash between publish and mark republishes; consumers'
inboxes absorb that. A crash before publish loses nothing: the rows are still pending.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from aiokafka import AIOKafkaProducer
from opentelemetry import propagate, trace
from opentelemetry.trace import SpanKind, Tracer
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from otrcm_shared.events.envelope import Envelope
from otrcm_shared.runtime.db import Database, upsert_capable_insert
from otrcm_shared.runtime.faults import fault_point
from otrcm_shared.runtime.tables import KitTables
from otrcm_shared.topics import TopicSpec

log = logging.getLogger(__name__)


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
    carrier: dict[str, str] = {}
    propagate.inject(carrier)
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
    """Store events in the outbox inside the caller's transaction, with the current trace context.

    An event id already in the outbox is skipped: ids are deterministic, so it is the same event.
    """
    await stage_rows(session, tables, outbox_rows(outgoing))


async def stage_rows(session: AsyncSession, tables: KitTables, rows: Sequence[dict[str, Any]]) -> None:
    """Store rows made by :func:`outbox_rows` (a whole poll's, say) in one statement, skipping known event ids."""
    if not rows:
        return
    await session.execute(_insert_pending(session, tables), rows)


def _insert_pending(session: AsyncSession, tables: KitTables) -> Any:
    """INSERT ... ON CONFLICT (event_id) DO NOTHING, built once per table and dialect."""
    dialect = session.get_bind().dialect.name
    cached = tables.statements.get(("outbox", dialect))
    if cached is None:
        cached = upsert_capable_insert(session, tables.outbox).on_conflict_do_nothing(index_elements=["event_id"])
        tables.statements[("outbox", dialect)] = cached
    return cached


class OutboxRelay:
    """Publishes a service's pending outbox rows; ``wake()`` after a commit for low latency."""

    def __init__(
        self,
        db: Database,
        tables: KitTables,
        producer: AIOKafkaProducer,
        *,
        batch_size: int = 500,
        idle_interval_s: float = 0.2,
        tracer: Tracer | None = None,
    ) -> None:
        self._db = db
        self._tables = tables
        self._producer = producer
        self._batch_size = batch_size
        self._idle_interval_s = idle_interval_s
        self._tracer = tracer or trace.get_tracer(__name__)
        self._wakeup = asyncio.Event()
        self._stopping = False

    def wake(self) -> None:
        self._wakeup.set()

    async def publish_pending(self) -> int:
        """Publish one batch of pending rows; returns how many were published."""
        outbox = self._tables.outbox
        query = select(outbox).where(outbox.c.published_at.is_(None)).order_by(outbox.c.id)
        query = query.limit(self._batch_size)
        if not self._db.is_sqlite:
            query = query.with_for_update(skip_locked=True)
        async with self._db.transaction() as session:
            rows = (await session.execute(query)).mappings().all()
            if not rows:
                return 0
            fault_point("relay-before-publish")
            deliveries = [await self._send(row) for row in rows]
            await asyncio.gather(*deliveries)
            fault_point("relay-after-publish")
            await session.execute(
                update(outbox)
                .where(outbox.c.id.in_([row["id"] for row in rows]))
                .values(published_at=datetime.now(UTC))
            )
        return len(rows)

    async def _send(self, row: Any) -> asyncio.Future[Any]:
        parent = propagate.extract(row["headers"])
        with self._tracer.start_as_current_span(
            f"{row['topic']} publish",
            context=parent,
            kind=SpanKind.PRODUCER,
            attributes={"messaging.system": "kafka", "messaging.destination.name": row["topic"]},
        ):
            carrier: dict[str, str] = {}
            propagate.inject(carrier)
            headers = [(name, value.encode()) for name, value in carrier.items()]
            future: asyncio.Future[Any] = await self._producer.send(
                row["topic"], value=row["payload"], key=row["key"], headers=headers
            )
            return future

    async def run(self) -> None:
        """Publish until ``stop()``; between empty polls wait for ``wake()`` or the idle interval."""
        while not self._stopping:
            try:
                published = await self.publish_pending()
            except asyncio.CancelledError:
                raise
            except Exception as error:
                # The type only: a driver's message can quote row values, and rows carry PHI.
                log.error("outbox relay failed with %s; retrying", type(error).__name__)
                published = 0
                await asyncio.sleep(1.0)
            if published == 0:
                self._wakeup.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wakeup.wait(), timeout=self._idle_interval_s)

    def stop(self) -> None:
        self._stopping = True
        self._wakeup.set()

    async def close(self) -> None:
        """Flush and stop the producer (after ``run`` returned)."""
        await self._producer.stop()
