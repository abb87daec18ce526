"""The runtime kit on a real broker: a subscriber applies each event once, dead-letters poison, goes on."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import random
import string
from collections.abc import Sequence
from pathlib import Path
from uuid import uuid4

import pytest
from sqlalchemy import Column, MetaData, String, Table, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from otrcm_shared.events import Envelope
from otrcm_shared.events.encounters import EncounterReceived
from otrcm_shared.runtime.kafka import make_broker
from otrcm_shared.runtime.outbox import Outgoing
from otrcm_shared.runtime.service import ServiceRuntime
from otrcm_shared.runtime.settings import RuntimeSettings
from otrcm_shared.runtime.telemetry import setup_tracing
from otrcm_shared.topics import DEAD_LETTERS, ENCOUNTERS_RECEIVED, partition_key
from tests.support.factories import encounter_received
from tests.support.kafka_tools import end_offsets, read_from

pytestmark = pytest.mark.integration


async def _wait_for(predicate, timeout_s: float = 60.0) -> None:  # type: ignore[no-untyped-def]
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout_s
    while not await predicate():
        assert loop.time() < deadline, "condition not reached in time"
        await asyncio.sleep(0.2)


async def test_duplicates_do_nothing_and_poison_goes_to_dead_letters(kafka_bootstrap: str, tmp_path: Path) -> None:
    metadata = MetaData()
    ledger = Table("ledger", metadata, Column("encounter_id", String(64), nullable=False))
    settings = RuntimeSettings(kafka_bootstrap=kafka_bootstrap, var_dir=tmp_path)
    consumer_name = f"kit_test_{uuid4().hex[:8]}"
    # A topic of its own: a new consumer group reads from the earliest offset, and a shared topic's
    # history would make this test as slow as the broker is old.
    letters_only = "".join(random.choices(string.ascii_lowercase, k=12))
    topic = dataclasses.replace(ENCOUNTERS_RECEIVED, name=f"otrcm.kittest-{letters_only}.received.v1", partitions=1)
    runtime = ServiceRuntime(consumer_name, settings, metadata, topics=[topic, DEAD_LETTERS])
    run_id = uuid4().hex[:8]

    async def record(session: AsyncSession, event: Envelope[EncounterReceived]) -> Sequence[Outgoing]:
        if event.payload.encounter_id.startswith(run_id):
            await session.execute(insert(ledger).values(encounter_id=event.payload.encounter_id))
        return []

    runtime.subscribe(topic, record)
    first = encounter_received(f"{run_id}-a", patient_key=f"pk-{run_id}")
    second = encounter_received(f"{run_id}-b", patient_key=f"pk-{run_id}")
    key = partition_key("tenant-a", f"pk-{run_id}")
    letters_start = await end_offsets(kafka_bootstrap, DEAD_LETTERS.name)

    async def seen() -> list[str]:
        async with runtime.db.transaction() as session:
            return list((await session.scalars(select(ledger.c.encounter_id))).all())

    app = runtime.app("kit test")
    producer = make_broker(settings, "test-producer", setup_tracing("test"))
    await producer.start()
    await app.start()
    try:
        for body in (
            first.model_dump_json(),
            first.model_dump_json(),
            b'{"not": "an envelope"',
            second.model_dump_json(),
        ):
            await producer.publish(body, topic.name, key=key)
        await _wait_for(lambda: _has(seen, second.payload.encounter_id))
        # One partition (one key): the duplicate and the poison were handled before the second event.
        applied = await seen()
    finally:
        await app.stop()
        await producer.stop()

    assert sorted(applied) == sorted([first.payload.encounter_id, second.payload.encounter_id])
    letters = await read_from(
        kafka_bootstrap,
        letters_start,
        until=lambda rs: any(json.loads(r.value)["payload"]["stage"] == consumer_name for r in rs),
        settle_s=1.0,
    )
    payloads = [json.loads(r.value)["payload"] for r in letters]
    (letter,) = [payload for payload in payloads if payload["stage"] == consumer_name]
    assert letter["reason_code"] == "SCHEMA_INVALID"
    assert letter["source_topic"] == topic.name


async def _has(seen, encounter_id: str) -> bool:  # type: ignore[no-untyped-def]
    return encounter_id in await seen()
