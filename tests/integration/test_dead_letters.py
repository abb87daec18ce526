"""Dead letters: once per record however often it is redelivered, and a new letter for a different
record at a reused position (a recreated topic starts its offsets at 0 again)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import pytest
from sqlalchemy import MetaData, select
from sqlalchemy.ext.asyncio import AsyncSession

from otrcm_shared.events import Envelope
from otrcm_shared.events.encounters import EncounterReceived
from otrcm_shared.runtime.consumer import IdempotentConsumer, RecordPosition
from otrcm_shared.runtime.outbox import Outgoing
from otrcm_shared.runtime.tables import KitTables
from otrcm_shared.topics import DEAD_LETTERS, ENCOUNTERS_RECEIVED
from tests.support.databases import BACKENDS, isolated_database, url_for

pytestmark = pytest.mark.integration


async def _nothing(_session: AsyncSession, _event: Envelope[EncounterReceived]) -> Sequence[Outgoing]:
    return []


@pytest.mark.parametrize("backend", BACKENDS)
async def test_one_letter_per_record_even_when_offsets_are_reused(
    backend: str, tmp_path: Path, postgres_base_url: str
) -> None:
    """Regression: letters were keyed by position only, so after a topic was recreated a new poison
    record at offset 0 matched an old letter's id and was never reported."""
    metadata = MetaData()
    tables = KitTables(metadata)
    async with isolated_database(url_for(backend, tmp_path, postgres_base_url), metadata) as db:
        consumer = IdempotentConsumer("units", ENCOUNTERS_RECEIVED, _nothing, db=db, tables=tables)
        position = RecordPosition(ENCOUNTERS_RECEIVED.name, 0, 0)
        for body in (b"{not json", b"{not json", b"also not json"):
            assert await consumer.consume(body, position) is False
        async with db.transaction() as session:
            rows = (await session.execute(select(tables.outbox.c.topic, tables.outbox.c.payload))).all()
    assert [row.topic for row in rows] == [DEAD_LETTERS.name] * 2
    assert {json.loads(row.payload)["payload"]["reason_code"] for row in rows} == {"SCHEMA_INVALID"}
