"""A trace that was not kept passes through a consumer without spans, its context carried on unchanged; a kept
trace, and a record where a trace starts, are traced as before (issue 18: spans only for the traces kept)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Sequence
from pathlib import Path

import pytest
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from sqlalchemy import MetaData, select
from sqlalchemy.ext.asyncio import AsyncSession

from otrcm_shared.events import Envelope
from otrcm_shared.events.encounters import EncounterReceived
from otrcm_shared.runtime.consumer import Delivered, IdempotentConsumer, RecordPosition
from otrcm_shared.runtime.db import Database
from otrcm_shared.runtime.outbox import Outgoing
from otrcm_shared.runtime.tables import KitTables
from otrcm_shared.runtime.trace_carry import unsampled
from otrcm_shared.topics import ENCOUNTERS_RECEIVED, ENCOUNTERS_UNITS_CALCULATED
from tests.support.factories import encounter_received

pytestmark = pytest.mark.unit

TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736"
NOT_KEPT = f"00-{TRACE_ID}-00f067aa0ba902b7-00"
KEPT = f"00-{TRACE_ID}-00f067aa0ba902b7-01"


async def _forward(_session: AsyncSession, event: Envelope[EncounterReceived]) -> Sequence[Outgoing]:
    return [Outgoing(ENCOUNTERS_UNITS_CALCULATED, b"k", event)]


class Kit:
    def __init__(self, db: Database, tables: KitTables) -> None:
        self.db, self.tables = db, tables
        self.spans = InMemorySpanExporter()
        provider = TracerProvider()
        provider.add_span_processor(SimpleSpanProcessor(self.spans))
        self.consumer = IdempotentConsumer(
            "trace_test", ENCOUNTERS_RECEIVED, _forward, db=db, tables=tables, tracer=provider.get_tracer("test")
        )

    async def outgoing_headers(self) -> dict[str, dict[str, str]]:
        outbox = self.tables.outbox.c
        async with self.db.transaction() as session:
            rows = (await session.execute(select(outbox.headers, outbox.payload))).all()
        return {json.loads(payload)["payload"]["encounter_id"]: headers for headers, payload in rows}


@pytest.fixture
async def kit(tmp_path: Path) -> AsyncIterator[Kit]:
    metadata = MetaData()
    tables = KitTables(metadata)
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'trace.db'}", schema="trace")
    await db.create_all(metadata)
    try:
        yield Kit(db, tables)
    finally:
        await db.dispose()


def _record(encounter_id: str, offset: int, headers: dict[str, str]) -> Delivered:
    body = encounter_received(encounter_id).model_dump_json().encode()
    return Delivered(body, RecordPosition(ENCOUNTERS_RECEIVED.name, 0, offset), headers)


async def test_a_trace_not_kept_makes_no_span_and_passes_its_context_on(kit: Kit) -> None:
    await kit.consumer.consume_batch([_record("a", 1, {"traceparent": NOT_KEPT, "tracestate": "otrcm=1"})])
    assert kit.spans.get_finished_spans() == ()
    assert (await kit.outgoing_headers())["a"] == {"traceparent": NOT_KEPT, "tracestate": "otrcm=1"}


async def test_a_kept_trace_gets_its_span_and_passes_the_span_on(kit: Kit) -> None:
    await kit.consumer.consume_batch([_record("b", 2, {"traceparent": KEPT})])
    (span,) = kit.spans.get_finished_spans()
    assert format(span.context.trace_id, "032x") == TRACE_ID
    traceparent = (await kit.outgoing_headers())["b"]["traceparent"]
    assert traceparent == f"00-{TRACE_ID}-{span.context.span_id:016x}-01"


async def test_a_record_without_context_starts_a_trace_by_the_sampler(kit: Kit) -> None:
    await kit.consumer.consume_batch([_record("c", 3, {})])
    (span,) = kit.spans.get_finished_spans()  # the default sampler keeps every trace
    assert (await kit.outgoing_headers())["c"]["traceparent"].split("-")[1] == format(span.context.trace_id, "032x")


@pytest.mark.parametrize(
    "traceparent",
    [KEPT, f"00-{TRACE_ID}-00f067aa0ba902b7-03", "00-short-00", f"00-{TRACE_ID}-00f067aa0ba902b7-zz", ""],
)
def test_only_a_well_formed_not_sampled_parent_is_carried(traceparent: str) -> None:
    assert unsampled({"traceparent": traceparent}) is None


def test_the_not_sampled_flag_is_read_from_the_last_field() -> None:
    assert unsampled({"traceparent": f"00-{TRACE_ID}-00f067aa0ba902b7-02", "other": "x"}) == {
        "traceparent": f"00-{TRACE_ID}-00f067aa0ba902b7-02"
    }
