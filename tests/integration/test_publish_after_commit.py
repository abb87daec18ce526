"""On SQLite a poll's events leave right after its commit, without the relay loop, and never ahead of an older
pending row; on PostgreSQL the relay loop sends them (real Kafka)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import pytest
from aiokafka import ConsumerRecord
from sqlalchemy import MetaData, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from otrcm_shared.events import Envelope
from otrcm_shared.events.encounters import EncounterReceived
from otrcm_shared.runtime.consumer import Delivered, IdempotentConsumer, RecordPosition
from otrcm_shared.runtime.db import Database
from otrcm_shared.runtime.kafka import ensure_topics, make_producer
from otrcm_shared.runtime.outbox import OutboxRelay, Outgoing, stage
from otrcm_shared.runtime.settings import RuntimeSettings
from otrcm_shared.runtime.tables import KitTables
from otrcm_shared.topics import ENCOUNTERS_RECEIVED, ENCOUNTERS_UNITS_CALCULATED, partition_key
from tests.support.databases import BACKENDS, isolated_database, url_for
from tests.support.factories import encounter_received
from tests.support.kafka_tools import end_offsets, read_from

pytestmark = pytest.mark.integration


def _poll(events: Sequence[Envelope[EncounterReceived]]) -> list[Delivered]:
    return [
        Delivered(event.model_dump_json().encode(), RecordPosition(ENCOUNTERS_RECEIVED.name, 0, offset), {})
        for offset, event in enumerate(events)
    ]


@pytest.mark.parametrize("older_pending", [False, True], ids=["nothing-pending", "older-row-pending"])
@pytest.mark.parametrize("backend", BACKENDS)
async def test_a_poll_publishes_after_its_commit_in_order_unless_an_older_row_is_pending(
    backend: str, older_pending: bool, tmp_path: Path, postgres_base_url: str, kafka_bootstrap: str
) -> None:
    settings = RuntimeSettings(kafka_bootstrap=kafka_bootstrap)
    await ensure_topics(settings, [ENCOUNTERS_UNITS_CALCULATED], "test-admin")
    topic = ENCOUNTERS_UNITS_CALCULATED.name
    metadata = MetaData()
    tables = KitTables(metadata)
    patient = f"pk-{tmp_path.name}-{backend}-{older_pending}"
    key = partition_key("tenant-a", patient)

    async def forward(_session: AsyncSession, event: Envelope[EncounterReceived]) -> Sequence[Outgoing]:
        return [Outgoing(ENCOUNTERS_UNITS_CALCULATED, key, event.follow(event.payload, stage="test-forward"))]

    async with isolated_database(url_for(backend, tmp_path, postgres_base_url), metadata) as db:
        producer = make_producer(settings, "otrcm-test-publisher")
        await producer.start()
        relay = OutboxRelay(db, tables, producer)  # its loop never runs: only the poll's own publish can send
        consumer = IdempotentConsumer("units", ENCOUNTERS_RECEIVED, forward, db=db, tables=tables, relay=lambda: relay)
        start = await end_offsets(kafka_bootstrap, topic)
        earlier = encounter_received("enc-earlier", patient_key=patient)
        if older_pending:
            async with db.transaction() as session:
                await stage(session, tables, [Outgoing(ENCOUNTERS_UNITS_CALCULATED, key, earlier)])
        events = [encounter_received(f"enc-{i}", patient_key=patient) for i in range(5)]
        try:
            assert await consumer.consume_batch(_poll(events)) == 5
            if older_pending or not db.is_sqlite:  # PostgreSQL: the relay loop, under row locks (ADR 002)
                published_by_poll = await _published_count(db, tables)
                assert published_by_poll == 0, "the poll must leave its rows to the relay loop"
                while await relay.publish_pending():
                    pass
        finally:
            await relay.close()

        wanted = ([str(earlier.event_id)] if older_pending else []) + [
            str(event.follow(event.payload, stage="test-forward").event_id) for event in events
        ]

        def ours(records: list[ConsumerRecord[bytes, bytes]]) -> list[str]:
            return [json.loads(r.value)["event_id"] for r in records if json.loads(r.value)["event_id"] in wanted]

        records = await read_from(kafka_bootstrap, start, until=lambda rs: len(ours(rs)) >= len(wanted), settle_s=1.0)
        pending = await _pending_count(db, tables)
    assert ours(records) == wanted  # once each, the older row first, then the poll's in order
    assert pending == 0


async def _published_count(db: Database, tables: KitTables) -> int:
    async with db.transaction() as session:
        outbox = tables.outbox
        count = await session.scalar(select(func.count()).select_from(outbox).where(outbox.c.published_at.isnot(None)))
    return int(count or 0)


async def _pending_count(db: Database, tables: KitTables) -> int:
    async with db.transaction() as session:
        outbox = tables.outbox
        count = await session.scalar(select(func.count()).select_from(outbox).where(outbox.c.published_at.is_(None)))
    return int(count or 0)
