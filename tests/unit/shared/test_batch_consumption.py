"""A poll's records applied in one transaction: duplicates once, poison dead-lettered while the records
around it still commit, a transient failure undoing the whole batch, and each record keeping its trace."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Sequence
from pathlib import Path

import pytest
from opentelemetry.sdk.trace import TracerProvider
from sqlalchemy import Column, MetaData, String, Table, insert, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncSession

from otrcm_shared.events import Envelope
from otrcm_shared.events.encounters import EncounterReceived
from otrcm_shared.runtime.consumer import Delivered, IdempotentConsumer, RecordPosition
from otrcm_shared.runtime.db import Database
from otrcm_shared.runtime.outbox import Outgoing
from otrcm_shared.runtime.tables import KitTables
from otrcm_shared.topics import DEAD_LETTERS, ENCOUNTERS_RECEIVED, ENCOUNTERS_UNITS_CALCULATED
from tests.support.factories import encounter_received

pytestmark = pytest.mark.unit

TRACE = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"


class Fixture:
    def __init__(self, db: Database, tables: KitTables, ledger: Table) -> None:
        self.db, self.tables, self.ledger = db, tables, ledger
        self.fail_on: str | None = None

    async def record(self, session: AsyncSession, event: Envelope[EncounterReceived]) -> Sequence[Outgoing]:
        if event.payload.encounter_id == self.fail_on:
            raise OperationalError("insert", {}, Exception("server closed the connection"))
        await session.execute(insert(self.ledger).values(encounter_id=event.payload.encounter_id))
        return [Outgoing(ENCOUNTERS_UNITS_CALCULATED, b"k", event)]  # any event: only its outbox row matters

    def consumer(self) -> IdempotentConsumer[EncounterReceived]:
        return IdempotentConsumer(
            "batch_test", ENCOUNTERS_RECEIVED, self.record, db=self.db, tables=self.tables, retry_pause_s=0,
            tracer=TracerProvider().get_tracer("test"),
        )  # fmt: skip

    async def ledger_rows(self) -> list[str]:
        async with self.db.transaction() as session:
            return list((await session.scalars(select(self.ledger.c.encounter_id))).all())

    async def outbox(self) -> list[tuple[str, dict[str, str], bytes]]:
        async with self.db.transaction() as session:
            rows = await session.execute(
                select(self.tables.outbox.c.topic, self.tables.outbox.c.headers, self.tables.outbox.c.payload)
            )
            return [(topic, headers, payload) for topic, headers, payload in rows]


@pytest.fixture
async def kit(tmp_path: Path) -> AsyncIterator[Fixture]:
    metadata = MetaData()
    ledger = Table("ledger", metadata, Column("encounter_id", String(64), nullable=False))
    tables = KitTables(metadata)
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'kit.db'}", schema="kit")
    await db.create_all(metadata)
    try:
        yield Fixture(db, tables, ledger)
    finally:
        await db.dispose()


def _delivered(body: bytes | str, offset: int, headers: dict[str, str] | None = None) -> Delivered:
    data = body.encode() if isinstance(body, str) else body
    return Delivered(data, RecordPosition(ENCOUNTERS_RECEIVED.name, 0, offset), headers or {})


async def test_a_batch_applies_each_event_once(kit: Fixture) -> None:
    a, b = encounter_received("a").model_dump_json(), encounter_received("b").model_dump_json()
    changed = await kit.consumer().consume_batch([_delivered(a, 1), _delivered(a, 2), _delivered(b, 3)])
    assert changed == 2
    assert await kit.ledger_rows() == ["a", "b"]


async def test_poison_in_a_batch_is_dead_lettered_and_its_neighbours_still_commit(kit: Fixture) -> None:
    a, b = encounter_received("a").model_dump_json(), encounter_received("b").model_dump_json()
    batch = [_delivered(a, 1), _delivered(b'{"not": "an envelope"', 2), _delivered(b, 3)]
    changed = await kit.consumer().consume_batch(batch)
    assert changed == 2
    assert await kit.ledger_rows() == ["a", "b"]
    letters = [json.loads(payload)["payload"] for topic, _, payload in await kit.outbox() if topic == DEAD_LETTERS.name]
    assert [(letter["reason_code"], letter["source_offset"]) for letter in letters] == [("SCHEMA_INVALID", 2)]


async def test_a_transient_failure_undoes_the_whole_batch_for_a_retry(kit: Fixture) -> None:
    kit.fail_on = "b"
    a, b = encounter_received("a").model_dump_json(), encounter_received("b").model_dump_json()
    with pytest.raises(OperationalError):
        await kit.consumer().consume_batch([_delivered(a, 1), _delivered(b, 2)])
    assert await kit.ledger_rows() == []
    assert await kit.outbox() == []
    kit.fail_on = None
    assert await kit.consumer().consume_batch([_delivered(a, 1), _delivered(b, 2)]) == 2


async def test_each_record_keeps_its_own_trace_through_the_batch(kit: Fixture) -> None:
    a, b = encounter_received("a").model_dump_json(), encounter_received("b").model_dump_json()
    await kit.consumer().consume_batch([_delivered(a, 1, {"traceparent": TRACE}), _delivered(b, 2)])
    traces = {
        json.loads(payload)["payload"]["encounter_id"]: headers["traceparent"].split("-")[1]
        for _, headers, payload in await kit.outbox()
    }
    assert traces["a"] == TRACE.split("-")[1]
    assert traces["b"] != traces["a"]
