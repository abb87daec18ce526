"""The units handler against both databases: revisions per day, and rejections that change nothing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from otrcm_shared.events import Envelope
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


def _version(event: Any, revision: int, *, voided: bool = False, minutes: int = 23) -> Any:
    """The same encounter as a later version (a correction of its minutes, or a void)."""
    lines = tuple(line.model_copy(update={"minutes": minutes}) for line in event.payload.lines)
    payload = event.payload.model_copy(update={"revision": revision, "voided": voided, "lines": lines})
    return Envelope.root(payload, tenant_id=event.tenant_id, subject=payload.encounter_id,
                         natural_key=f"{payload.encounter_id}/revision/{revision}", stage="intake")  # fmt: skip


@pytest.mark.parametrize("backend", BACKENDS)
async def test_a_correction_replaces_the_encounter_a_void_bills_nothing_and_an_older_version_is_ignored(
    backend: str, tmp_path: Path, postgres_base_url: str
) -> None:
    tables = KitTables(store.metadata)
    async with isolated_database(url_for(backend, tmp_path, postgres_base_url), store.metadata) as db:
        consumer = IdempotentConsumer("units", ENCOUNTERS_RECEIVED, on_encounter_received, db=db, tables=tables)
        first, other = encounter_received("enc-1"), encounter_received("enc-2", lines=(("97110", 15),))
        for event in (first, other, _version(first, 2, minutes=38), _version(first, 1, minutes=60)):
            assert await consumer.apply(event)
        async with db.transaction() as session:
            days = [json.loads(row) for row in (await session.execute(select(tables.outbox.c.payload))).scalars()]
        assert await consumer.apply(_version(first, 3, voided=True))
        async with db.transaction() as session:
            after = [json.loads(row) for row in (await session.execute(select(tables.outbox.c.payload))).scalars()]
    corrected = days[-1]["payload"]
    assert len(days) == 3, "the older version (revision 1 after 2) published nothing"
    assert corrected["revision"] == 3
    assert {(line["encounter_id"], line["minutes"]) for line in corrected["lines"]} == {("enc-1", 38), ("enc-2", 15)}
    voided = after[-1]["payload"]
    assert [line["encounter_id"] for line in voided["lines"]] == ["enc-2"], "the voided encounter bills no line"
    assert [(e["encounter_id"], e["voided"]) for e in voided["encounters"]] == [("enc-1", True), ("enc-2", False)]
