"""Two modifiers instances in one consumer group: a beneficiary's days stay on one partition, so the
accrual is the sum of every day's lines, each counted once."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from uuid import uuid4

import pytest

from otrcm_modifiers.domain.threshold_accrual import accrued
from otrcm_modifiers.entrypoints.app import DESCRIPTION, build_runtime
from otrcm_modifiers.usecases.handlers import load_accrual
from otrcm_shared.events import Envelope
from otrcm_shared.events.claim_lines import ClaimLinesReady
from otrcm_shared.refdata.therapy_limits import ThresholdBucket
from otrcm_shared.runtime.kafka import ensure_topics, make_broker
from otrcm_shared.runtime.settings import RuntimeSettings
from otrcm_shared.runtime.telemetry import setup_tracing
from otrcm_shared.topics import CLAIM_LINES_READY, DAY_VERDICTS, all_topics, partition_key
from tests.support.days import judged_day, units_day
from tests.support.kafka_tools import end_offsets, read_from

pytestmark = pytest.mark.integration


async def test_two_consumer_instances_accrue_each_beneficiary_correctly(
    kafka_bootstrap: str, postgres_base_url: str, tmp_path: Path
) -> None:
    settings = RuntimeSettings(kafka_bootstrap=kafka_bootstrap, database_url=postgres_base_url, var_dir=tmp_path)
    await ensure_topics(settings, all_topics(), "test-admin")
    tenant = f"tenant-{uuid4().hex[:8]}"
    patients = [f"pk-{uuid4().hex[:8]}" for _ in range(4)]
    apps = [build_runtime(settings, setup_tracing(f"otrcm-modifiers-{i}")).app(DESCRIPTION) for i in (1, 2)]
    runtimes = [build_runtime(settings, setup_tracing("reader"))]  # for reading the accruals back
    start = await end_offsets(kafka_bootstrap, CLAIM_LINES_READY.name)
    for app in apps:
        await app.start()
    producer = make_broker(settings, "test-producer", setup_tracing("test"))
    await producer.start()
    try:
        for visit in range(5):
            for patient in patients:
                on = date(2025, 6, 2) + timedelta(days=visit)
                units = units_day(f"{patient}-{visit}", tenant_id=tenant, patient_key=patient, on=on)
                cleared = judged_day(units)
                await producer.publish(cleared.model_dump_json(), DAY_VERDICTS.name, key=partition_key(tenant, patient))
        wanted = 5 * len(patients)

        def ours(records: list) -> list[ClaimLinesReady]:  # type: ignore[type-arg]
            events = [Envelope[ClaimLinesReady].model_validate_json(r.value) for r in records]
            return [e.payload for e in events if e.tenant_id == tenant]

        records = await read_from(kafka_bootstrap, start, until=lambda rs: len(ours(rs)) >= wanted, timeout_s=90)
        await asyncio.sleep(0.5)
    finally:
        await producer.stop()
        for app in apps:
            await app.stop()

    ready = ours(records)
    assert sorted(r.day_key for r in ready) == sorted({r.day_key for r in ready}), "each day once"
    assert len(ready) == wanted
    reader = runtimes[0]
    try:
        for patient in patients:
            expected = sum(
                (line.expected_allowed or Decimal(0) for r in ready if r.patient_key == patient for line in r.lines),
                Decimal(0),
            )
            async with reader.db.transaction() as session:
                total = accrued(await load_accrual(session, tenant, patient), 2025, ThresholdBucket.OT).total
            assert total == expected > 0
    finally:
        await reader.db.dispose()
