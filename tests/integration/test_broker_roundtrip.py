"""A real broker round trip: topics from the registry, the envelope, the key and the trace header."""

from __future__ import annotations

import pytest
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from otrcm_shared.events import Envelope
from otrcm_shared.events.encounters import EncounterReceived
from otrcm_shared.runtime.kafka import ensure_topics, make_broker
from otrcm_shared.runtime.settings import RuntimeSettings
from otrcm_shared.runtime.telemetry import setup_tracing
from otrcm_shared.topics import ENCOUNTERS_RECEIVED, all_topics, partition_key
from tests.support.factories import encounter_received
from tests.support.kafka_tools import end_offsets, read_from

pytestmark = pytest.mark.integration


async def test_envelope_key_and_traceparent_survive_the_broker(kafka_bootstrap: str) -> None:
    settings = RuntimeSettings(kafka_bootstrap=kafka_bootstrap)
    await ensure_topics(settings, all_topics(), "test-admin")
    exporter = InMemorySpanExporter()
    provider = setup_tracing("otrcm-test", exporter)
    broker = make_broker(settings, "otrcm-test", provider)
    event = encounter_received("enc-roundtrip", patient_key="pk-roundtrip")
    key = partition_key(event.tenant_id, event.payload.patient_key)
    start = await end_offsets(kafka_bootstrap, ENCOUNTERS_RECEIVED.name)

    await broker.start()
    try:
        with provider.get_tracer("test").start_as_current_span("intake request") as span:
            trace_id = format(span.get_span_context().trace_id, "032x")
            await broker.publish(event.model_dump_json(), ENCOUNTERS_RECEIVED.name, key=key)
    finally:
        await broker.stop()

    records = await read_from(kafka_bootstrap, start, until=lambda rs: any(r.key == key for r in rs))
    (record,) = [r for r in records if r.key == key]
    received = Envelope[EncounterReceived].model_validate_json(record.value)
    headers = dict(record.headers)
    assert received == event
    assert received.payload.lines[0].minutes == 23
    assert "traceparent" in headers
    assert headers["traceparent"].decode().split("-")[1] == trace_id
