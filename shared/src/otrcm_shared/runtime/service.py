"""Composition root shared by the services: one object that owns the broker, database,
outbox relay and tracing of a service, and wires idempotent subscribers onto the broker.

A service's ``app.py`` builds a :class:`ServiceRuntime`, adds its subscribers, and returns
``runtime.app()``; tests build the same runtime with an in-memory span exporter.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from faststream import AckPolicy, FastStream
from faststream.kafka import KafkaBroker
from faststream.kafka.annotations import KafkaMessage
from faststream.specification import AsyncAPI
from opentelemetry.sdk.trace import TracerProvider
from sqlalchemy import MetaData

from otrcm_shared.events.envelope import EventPayload, envelope_of
from otrcm_shared.runtime import heap
from otrcm_shared.runtime.consumer import Delivered, Handler, IdempotentConsumer, RecordPosition
from otrcm_shared.runtime.cpu_share import yield_cpu
from otrcm_shared.runtime.db import Database
from otrcm_shared.runtime.fetch_pace import FetchPace, pace_polls
from otrcm_shared.runtime.kafka import ensure_topics, make_broker, make_producer
from otrcm_shared.runtime.kit_metrics import MeteredConsumer, register_lag, register_outbox
from otrcm_shared.runtime.metrics import ServiceMetrics
from otrcm_shared.runtime.migrations import migrate
from otrcm_shared.runtime.ops_http import Answer, OpsServer, Route
from otrcm_shared.runtime.outbox import OutboxRelay
from otrcm_shared.runtime.probes import alive, readiness
from otrcm_shared.runtime.reference_follower import ReferenceFollower, reference_topic
from otrcm_shared.runtime.settings import RuntimeSettings
from otrcm_shared.runtime.tables import KitTables
from otrcm_shared.runtime.telemetry import setup_tracing
from otrcm_shared.topics import DEAD_LETTERS, REFERENCE_DATA, TopicSpec, all_topics

log = logging.getLogger(__name__)


async def _records_only(_message: Any) -> None:
    """The subscribers' decoder: none. The handler reads the raw records and the consumer validates each body
    once, into its envelope; FastStream's own decoder would parse every body as JSON and throw it away."""
    return None


def delivered(record: Any) -> Delivered:
    headers = {name: value.decode(errors="replace") for name, value in record.headers or ()}
    return Delivered(record.value or b"", RecordPosition(record.topic, record.partition, record.offset), headers)


@dataclass(frozen=True, slots=True)
class Subscription:
    """One ``subscribe`` declaration: the topic, the consumer (group) name and its handler."""

    topic: TopicSpec
    consumer: str
    handler: Handler[Any]


class ServiceRuntime:
    """Everything a service needs at run time, started and stopped together."""

    def __init__(
        self,
        name: str,
        settings: RuntimeSettings,
        metadata: MetaData,
        *,
        tracer_provider: TracerProvider | None = None,
        topics: Sequence[TopicSpec] | None = None,
    ) -> None:
        self.name = name
        self.client_id = f"otrcm-{name}"
        self.settings = settings
        self.metadata = metadata
        self.tables = KitTables(metadata)
        self.tracer_provider = tracer_provider or setup_tracing(
            self.client_id, sample_ratio=settings.trace_sample_ratio
        )
        self.tracer = self.tracer_provider.get_tracer(self.client_id)
        self.broker: KafkaBroker = make_broker(settings, self.client_id, None)  # the kit traces each record itself
        self.db = Database(settings.database_url_for(name), schema=settings.schema_for(name))
        self._topics = list(topics) if topics is not None else all_topics()
        self.relay: OutboxRelay | None = None  # created in start(): aiokafka needs a running loop
        self.subscriptions: list[Subscription] = []
        self.published: dict[str, TopicSpec] = {}
        self._relay_task: asyncio.Task[None] | None = None
        self.reference: ReferenceFollower | None = None  # created in start(): needs a running loop
        self.metrics = ServiceMetrics(name)  # the service adds its own state metrics (see metrics.py)
        register_outbox(self.metrics, self.db, self.tables)
        register_lag(self.metrics, lambda: self.broker.subscribers)
        self.ops: OpsServer | None = None  # /health, /ready, /metrics: bound in start()
        self.started = False

    def publishes(self, *topics: TopicSpec) -> None:
        """Declare topics this service's code stages outbox rows for (each module lists its own in
        ``PUBLISHES``). The declarations feed the AsyncAPI document and the registry's derived producer
        lists; events still leave through the outbox relay, not through these publisher objects."""
        for spec in topics:
            if spec.name in self.published:
                continue
            self.published[spec.name] = spec
            self.broker.publisher(
                spec.name,
                title=f"{self.name}:{spec.name}:publish",
                description=spec.description,
                schema=envelope_of(spec.payload),
            )

    @property
    def consumed(self) -> dict[str, TopicSpec]:
        """The topics this service reads: its subscriptions, and the reference data every runtime follows."""
        topics = {sub.topic.name: sub.topic for sub in self.subscriptions}
        return {REFERENCE_DATA.name: REFERENCE_DATA, **topics}

    def wake_relay(self) -> None:
        """Tell the relay that new outbox rows were committed."""
        if self.relay is not None:
            self.relay.wake()

    def subscribe(self, topic: TopicSpec, handler: Handler[Any], *, consumer: str | None = None) -> None:
        """Consume ``topic`` in this service's consumer group, once per event, committing after the work:
        each poll's records (up to ``consumer_batch_size``) in one transaction."""
        self.subscribe_many({topic: handler}, consumer=consumer)

    def subscribe_many(
        self,
        handlers: Mapping[TopicSpec, Handler[Any]],
        *,
        consumer: str | None = None,
        inboxes: Mapping[TopicSpec, str] | None = None,
    ) -> None:
        """One consumer group over several topics: each poll's records are split by topic (keeping their order)
        and each topic's go to its handler, once per event, as :meth:`subscribe` does for one topic.

        ``inboxes`` names the inbox (the "processed once" record) of a topic whose events were consumed under
        another name before, so that joining one group never applies an event twice."""
        name = consumer or self.name
        inbox_of = {spec: (inboxes or {}).get(spec, name) for spec in handlers}
        self.subscriptions += [Subscription(spec, inbox_of[spec], handler) for spec, handler in handlers.items()]
        self.publishes(DEAD_LETTERS)  # what a subscriber cannot process goes there
        metrics = self.metrics
        by_topic: dict[str, IdempotentConsumer[EventPayload]] = {
            spec.name: MeteredConsumer(
                inbox_of[spec],
                spec,
                metrics.observed(handler, inbox_of[spec], spec.name),
                metrics=metrics,
                group=inbox_of[spec],
                db=self.db,
                tables=self.tables,
                on_staged=self.wake_relay,
                relay=lambda: self.relay,
                tracer=self.tracer,
            )
            for spec, handler in handlers.items()
        }

        subscriber = self.broker.subscriber(
            *by_topic,
            group_id=f"otrcm.{name}",
            ack_policy=AckPolicy.NACK_ON_ERROR,
            auto_offset_reset="earliest",
            batch=True,
            max_records=self.settings.consumer_batch_size,
            batch_timeout_ms=self.settings.consumer_batch_timeout_ms,
            fetch_max_wait_ms=self.settings.consumer_fetch_max_wait_ms,
            fetch_min_bytes=self.settings.consumer_fetch_min_bytes,
            title=f"{name}:{next(iter(by_topic))}" if len(by_topic) == 1 else f"{name}:{len(by_topic)} topics",
            decoder=_records_only,
        )
        pace = FetchPace(
            busy_wait_ms=self.settings.consumer_fetch_max_wait_ms,
            busy_min_bytes=self.settings.consumer_fetch_min_bytes,
            idle_wait_ms=self.settings.consumer_idle_fetch_wait_ms,
        )
        pace_polls(subscriber, pace)

        @subscriber
        async def on_records(message: KafkaMessage) -> None:
            grouped: dict[str, list[Delivered]] = {}
            for record in message.raw_message:
                grouped.setdefault(record.topic, []).append(delivered(record))
            for topic, records in grouped.items():
                metrics.consumed(by_topic[topic].name, topic, len(records))
                await by_topic[topic].consume_batch(records)

    async def start(self) -> None:
        """Migrate the database, create topics, start the relay (before the broker starts consuming)."""
        yield_cpu(self.settings.cpu_niceness)  # a service off the claim path lets the path go first (cpu_share.py)
        await self.start_ops()
        await migrate(self.db, self.name, self.metadata)  # Alembic; create_all for a runtime without migrations
        await ensure_topics(self.settings, self._topics, f"{self.client_id}-admin")
        if self.settings.reference_data_topic != REFERENCE_DATA.name:
            await ensure_topics(self.settings, [reference_topic(self.settings)], f"{self.client_id}-admin")
        self.reference = ReferenceFollower(self.settings, self.client_id)
        await self.reference.start()  # imported reference data in force before the first event
        producer = make_producer(self.settings, f"{self.client_id}-relay")
        await producer.start()
        self.relay = OutboxRelay(
            self.db,
            self.tables,
            producer,
            batch_size=self.settings.relay_batch_size,
            idle_interval_s=self.settings.relay_idle_interval_s,
            tracer=self.tracer,
        )
        self._relay_task = asyncio.create_task(self.relay.run(), name=f"{self.name}-outbox-relay")

    async def start_ops(self) -> None:
        """Bind the operations port (``/health`` answers from here on; ``/ready`` once started)."""
        if self.ops is not None:
            return
        port, is_default = self.settings.ops_port_for(self.name)
        self.ops = OpsServer(
            self.ops_routes(),
            self.settings.ops_host,
            port,
            port_is_default=is_default,
        )
        await self.ops.start()

    def ops_routes(self) -> dict[str, Route]:
        """The operations endpoints, for the operations port and for a service's own HTTP API."""
        return {"/health": alive, "/ready": self.ready_answer, "/metrics": self.metrics_answer}

    async def ready_answer(self) -> Answer:
        return (await readiness(self.started, self.db, self.broker.subscribers)).answer()

    async def metrics_answer(self) -> Answer:
        body, content_type = await self.metrics.render()
        return Answer(200, body, content_type)

    async def stop(self) -> None:
        self.started = False
        if self.ops is not None:
            await self.ops.stop()
            self.ops = None
        if self.reference is not None:
            await self.reference.stop()
        if self.relay is not None and self._relay_task is not None:
            self.relay.stop()
            with contextlib.suppress(asyncio.CancelledError):
                await asyncio.wait_for(self._relay_task, timeout=10)
            await self.relay.close()
        await self.db.dispose()
        self.tracer_provider.shutdown()
        self.metrics.shutdown()

    @property
    def ready_file(self) -> Path:
        """Exists while the service is up and consuming (for supervisors and the main job)."""
        return self.settings.var_dir / "run" / f"{self.name}.ready"

    @asynccontextmanager
    async def serving(self) -> AsyncIterator[None]:
        """The runtime started with its consumers for as long as the block runs (an HTTP app's lifespan)."""
        await self.start()
        await self.broker.start()
        await self.mark_ready()
        try:
            yield
        finally:
            await self.mark_stopping()
            await self.broker.stop()
            await self.stop()

    async def mark_ready(self) -> None:
        heap.settle()  # start-up's state out of the collector's sight (runtime/heap.py)
        self.started = True
        self.ready_file.parent.mkdir(parents=True, exist_ok=True)
        self.ready_file.write_text(f"{os.getpid()}\n")

    async def mark_stopping(self) -> None:
        self.started = False
        self.ready_file.unlink(missing_ok=True)

    def app(self, description: str) -> FastStream:
        return FastStream(
            self.broker,
            on_startup=[self.start],
            after_startup=[self.mark_ready],
            on_shutdown=[self.mark_stopping],
            after_shutdown=[self.stop],
            specification=AsyncAPI(title=self.client_id, version="0.1.0", description=description),
        )
