"""The runtime kit's own metrics, on every service: dead letters (a consumer that counts them), outbox rows
pending and the age of the oldest, and consumer lag per group, topic and partition (read at scrape time)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select

from otrcm_shared.events.envelope import EventPayload
from otrcm_shared.runtime.consumer import IdempotentConsumer, RecordPosition
from otrcm_shared.runtime.db import Database
from otrcm_shared.runtime.metrics import Labels, Points, ServiceMetrics
from otrcm_shared.runtime.tables import KitTables


class MeteredConsumer(IdempotentConsumer[EventPayload]):
    """An idempotent consumer that also counts its dead letters by reason code."""

    def __init__(self, *args: Any, metrics: ServiceMetrics, group: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._metrics = metrics
        self._group = group

    async def dead_letter(
        self,
        position: RecordPosition,
        body: bytes,
        tenant_id: str,
        reason_code: str,
        message: str,
        rule_ids: Sequence[str] = (),
    ) -> None:
        await super().dead_letter(position, body, tenant_id, reason_code, message, rule_ids)
        self._metrics.dead_lettered(self._group, position.topic, reason_code)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def register_outbox(metrics: ServiceMetrics, db: Database, tables: KitTables) -> None:
    outbox = tables.outbox
    pending = select(func.count(), func.min(outbox.c.created_at)).where(outbox.c.published_at.is_(None))
    last: dict[str, tuple[int, float]] = {}

    async def read() -> tuple[int, float]:
        async with db.engine.connect() as connection:
            count, oldest = (await connection.execute(pending)).one()
        age = (datetime.now(UTC) - _aware(oldest)).total_seconds() if oldest is not None else 0.0
        last["now"] = (int(count), max(age, 0.0))
        return last["now"]

    async def rows() -> Points:
        count, _ = await read()
        return [({"service": metrics.service}, count)]

    async def age() -> Points:
        _, seconds = last.get("now") or await read()
        return [({"service": metrics.service}, seconds)]

    # rows first: gather() starts them in order, and the age reuses the same read when it is fresh
    metrics.state("otrcm.outbox.pending", rows, description="Outbox rows stored but not yet published.")
    metrics.state(
        "otrcm.outbox.oldest_pending_age", age, unit="s", description="Age of the oldest outbox row not yet published."
    )


def register_lag(metrics: ServiceMetrics, subscribers: Callable[[], Iterable[Any]]) -> None:
    """Records behind the end of each partition this instance holds, per group (the broker's high-water mark
    as of the last fetch, minus the consumer's position)."""

    async def lag() -> Points:
        points: list[tuple[Labels, float]] = []
        for subscriber in subscribers():
            consumer = getattr(subscriber, "consumer", None)
            if consumer is None:
                continue
            group = str(getattr(subscriber, "group_id", "") or "")
            for partition in sorted(consumer.assignment(), key=lambda tp: (tp.topic, tp.partition)):
                highwater = consumer.highwater(partition)
                if highwater is None:
                    continue
                position = await consumer.position(partition)
                labels = {"service": metrics.service, "group": group, "topic": partition.topic}
                points.append(({**labels, "partition": str(partition.partition)}, max(highwater - position, 0)))
        return points

    metrics.state(
        "otrcm.consumer.lag", lag, description="Records not yet consumed, per consumer group, topic and partition."
    )
