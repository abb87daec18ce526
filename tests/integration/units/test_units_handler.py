"""The units handler against both databases: revisions per day, and rejections that change nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from otrcm_shared.runtime.consumer import IdempotentConsumer, RecordRejected
from otrcm_shared.runtime.tables import KitTables
from otrcm_shared.topics import ENCOUNTERS_RECEIVED
from otrcm_units.adapters import store
from otrcm_units.usecases.handlers import on_encounter_received
from tests.support.databases import BACKENDS, isolated_database, url_for
from tests.support.factories import encounter_received

pytestmark = pytest.mark.integration


@pytest.mark.parametrize("backend", BACKENDS)
async def test_unknown_payer_is_rejected_without_a_trace_in_the_state(
    backend: str, tmp_path: Path, postgres_base_url: str
) -> None:
    tables = KitTables(store.metadata)
    async with isolated_database(url_for(backend, tmp_path, postgres_base_url), store.metadata) as db:
        consumer = IdempotentConsumer("units", ENCOUNTERS_RECEIVED, on_encounter_received, db=db, tables=tables)
        good = encounter_received("enc-1")
        data = encounter_received("enc-2").model_dump()
        data["payload"]["payer_id"] = "no-such-payer"
        unknown = type(good).model_validate(data)
        assert await consumer.apply(good)
        with pytest.raises(RecordRejected) as rejected:
            await consumer.apply(unknown)
        async with db.transaction() as session:
            days = await session.scalar(select(func.count()).select_from(store.day_encounters))
            processed = await session.scalar(select(func.count()).select_from(tables.processed_events))
            outbox = await session.scalar(select(func.count()).select_from(tables.outbox))
    assert rejected.value.reason_code == "PAYER_UNKNOWN"
    assert "no-such-payer" in rejected.value.message
    assert (days, processed, outbox) == (1, 1, 1)
