"""The units service on the real broker and PostgreSQL: one event per encounter, duplicates do nothing,
and a second visit the same day publishes revision 2 with the pooled minutes."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from uuid import uuid4

import pytest
from aiokafka import ConsumerRecord

from otrcm_shared.events import Envelope
from otrcm_shared.events.units import UnitsCalculated
from otrcm_shared.runtime.kafka import ensure_topics, make_broker
from otrcm_shared.runtime.settings import RuntimeSettings
from otrcm_shared.runtime.telemetry import setup_tracing
from otrcm_shared.topics import ENCOUNTERS_RECEIVED, ENCOUNTERS_UNITS_CALCULATED, all_topics, partition_key
from otrcm_units.entrypoints.app import DESCRIPTION, build_runtime
from tests.support.factories import encounter_received
from tests.support.kafka_tools import end_offsets, read_from

pytestmark = pytest.mark.integration


async def test_encounters_in_day_revisions_out(kafka_bootstrap: str, postgres_base_url: str, tmp_path: Path) -> None:
    settings = RuntimeSettings(kafka_bootstrap=kafka_bootstrap, database_url=postgres_base_url, var_dir=tmp_path)
    await ensure_topics(settings, all_topics(), "test-admin")
    patient = f"pk-{uuid4().hex[:10]}"
    key = partition_key("tenant-a", patient)
    # CMS Pub. 100-04 Ch. 5 §20.2: 12 min of 97110 alone is 1 unit (8-22 min). A second visit the
    # same day adds 12 min of 97530: 24 pooled minutes are 2 units (23-37), one per code (12 and 12
    # leftover minutes, two units for two codes: no tie to resolve).
    morning = encounter_received(f"{patient}-am", patient_key=patient, lines=(("97110", 12),))
    afternoon = encounter_received(f"{patient}-pm", patient_key=patient, lines=(("97530", 12),))
    start = await end_offsets(kafka_bootstrap, ENCOUNTERS_UNITS_CALCULATED.name)

    runtime = build_runtime(settings, setup_tracing("otrcm-units-test"))
    app = runtime.app(DESCRIPTION)
    producer = make_broker(settings, "test-producer", setup_tracing("test"))
    await producer.start()
    await app.start()
    try:
        for event in (morning, morning, afternoon):  # the morning visit is delivered twice
            await producer.publish(event.model_dump_json(), ENCOUNTERS_RECEIVED.name, key=key)
            await asyncio.sleep(0)

        def ours(records: list[ConsumerRecord[bytes, bytes]]) -> list[Envelope[UnitsCalculated]]:
            events = [Envelope[UnitsCalculated].model_validate_json(r.value) for r in records if r.key == key]
            return [event for event in events if event.payload.patient_key == patient]

        records = await read_from(
            kafka_bootstrap, start, until=lambda rs: any(e.payload.revision == 2 for e in ours(rs)), settle_s=3.0
        )
    finally:
        await app.stop()
        await producer.stop()

    events = ours(records)
    assert [e.payload.revision for e in events] == [1, 2], "a duplicate delivery must publish nothing new"
    first, second = (e.payload for e in events)
    assert (first.total_timed_minutes, first.total_units) == (12, 1)
    assert [(line.code, line.units) for line in first.lines] == [("97110", 1)]
    assert (second.total_timed_minutes, second.total_units) == (24, 2)
    assert sorted((line.encounter_id, line.code, line.units) for line in second.lines) == [
        (f"{patient}-am", "97110", 1),
        (f"{patient}-pm", "97530", 1),
    ]
    assert [e.encounter_id for e in second.encounters] == [f"{patient}-am", f"{patient}-pm"]
    assert events[1].causation_id == afternoon.event_id
    assert "24" in second.explanation
    assert json.loads(events[1].model_dump_json())["payload"]["method"] == "cms"
