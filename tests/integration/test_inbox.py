"""The inbox: the same event delivered twice changes state once, on SQLite and on PostgreSQL."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from pathlib import Path

import pytest
from sqlalchemy import Column, MetaData, String, Table, func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from otrcm_shared.events import Envelope
from otrcm_shared.events.encounters import EncounterReceived
from otrcm_shared.runtime.consumer import Delivered, IdempotentConsumer, RecordPosition
from otrcm_shared.runtime.outbox import Outgoing
from otrcm_shared.runtime.tables import KitTables
from otrcm_shared.topics import ENCOUNTERS_RECEIVED
from tests.support.databases import BACKENDS, isolated_database, url_for
from tests.support.factories import encounter_received

pytestmark = pytest.mark.integration


def _ledger_service() -> tuple[MetaData, KitTables, Table]:
    metadata = MetaData()
    tables = KitTables(metadata)
    ledger = Table("ledger", metadata, Column("encounter_id", String(64), nullable=False))
    return metadata, tables, ledger


@pytest.mark.parametrize("backend", BACKENDS)
async def test_same_event_twice_changes_state_once(backend: str, tmp_path: Path, postgres_base_url: str) -> None:
    metadata, tables, ledger = _ledger_service()

    async def record(session: AsyncSession, event: Envelope[EncounterReceived]) -> Sequence[Outgoing]:
        await session.execute(insert(ledger).values(encounter_id=event.payload.encounter_id))
        return []

    async with isolated_database(url_for(backend, tmp_path, postgres_base_url), metadata) as db:
        consumer = IdempotentConsumer("units", ENCOUNTERS_RECEIVED, record, db=db, tables=tables)
        event = encounter_received("enc-42")

        first = await consumer.apply(event)
        second = await consumer.apply(event)
        concurrent = await asyncio.gather(
            consumer.apply(encounter_received("enc-43")), consumer.apply(encounter_received("enc-43"))
        )

        async with db.transaction() as session:
            rows = (await session.execute(select(ledger.c.encounter_id).order_by(ledger.c.encounter_id))).all()
            processed = await session.scalar(select(func.count()).select_from(tables.processed_events))
    assert (first, second) == (True, False)
    assert sorted(concurrent) == [False, True]
    assert [row.encounter_id for row in rows] == ["enc-42", "enc-43"]
    assert processed == 2


@pytest.mark.parametrize("backend", BACKENDS)
async def test_a_failed_handler_leaves_no_inbox_entry(backend: str, tmp_path: Path, postgres_base_url: str) -> None:
    """The inbox row commits with the state change or not at all: a retry after a failure still runs."""
    metadata, tables, ledger = _ledger_service()
    calls = 0

    async def flaky(session: AsyncSession, event: Envelope[EncounterReceived]) -> Sequence[Outgoing]:
        nonlocal calls
        calls += 1
        await session.execute(insert(ledger).values(encounter_id=event.payload.encounter_id))
        if calls == 1:
            raise ConnectionError("database went away")
        return []

    async with isolated_database(url_for(backend, tmp_path, postgres_base_url), metadata) as db:
        consumer = IdempotentConsumer("units", ENCOUNTERS_RECEIVED, flaky, db=db, tables=tables)
        event = encounter_received("enc-7")
        with pytest.raises(ConnectionError):
            await consumer.apply(event)
        assert await consumer.apply(event) is True
        async with db.transaction() as session:
            count = await session.scalar(select(func.count()).select_from(ledger))
    assert count == 1


@pytest.mark.parametrize("backend", BACKENDS)
async def test_a_poll_applies_each_new_event_once_in_order_and_stages_their_events_together(
    backend: str, tmp_path: Path, postgres_base_url: str
) -> None:
    """One poll: the inbox is written with one statement; an event seen before, or twice in the poll, is a
    duplicate; the new ones run in the poll's order and their outgoing events are staged in that order."""
    metadata, tables, ledger = _ledger_service()

    async def record(session: AsyncSession, event: Envelope[EncounterReceived]) -> Sequence[Outgoing]:
        await session.execute(insert(ledger).values(encounter_id=event.payload.encounter_id))
        follow = event.follow(event.payload, stage="test")
        return [Outgoing(ENCOUNTERS_RECEIVED, b"k", follow)]

    def delivered(event: Envelope[EncounterReceived], offset: int) -> Delivered:
        where = RecordPosition(ENCOUNTERS_RECEIVED.name, 0, offset)
        return Delivered(event.model_dump_json().encode(), where, {})

    async with isolated_database(url_for(backend, tmp_path, postgres_base_url), metadata) as db:
        consumer = IdempotentConsumer("units", ENCOUNTERS_RECEIVED, record, db=db, tables=tables)
        seen = encounter_received("enc-1")
        assert await consumer.apply(seen) is True
        poll = [encounter_received(f"enc-{n}") for n in (3, 2)]
        records = [delivered(e, i) for i, e in enumerate([poll[0], seen, poll[1], poll[0]])]

        changed = await consumer.consume_batch(records)
        again = await consumer.consume_batch(records)

        async with db.transaction() as session:
            applied = (await session.execute(select(ledger.c.encounter_id))).scalars().all()
            staged = (await session.execute(select(tables.outbox.c.payload).order_by(tables.outbox.c.id))).all()
    assert (changed, again) == (2, 0)
    assert sorted(applied) == ["enc-1", "enc-2", "enc-3"]
    assert [Envelope[EncounterReceived].model_validate_json(row.payload).payload.encounter_id for row in staged] == [
        "enc-1",
        "enc-3",
        "enc-2",
    ]
