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
from otrcm_shared.runtime.consumer import IdempotentConsumer
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
