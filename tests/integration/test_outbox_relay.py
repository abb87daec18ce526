"""The outbox relay killed after the commit and before the publish loses nothing and sends nothing twice."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from aiokafka import ConsumerRecord
from sqlalchemy import MetaData, func, select

from otrcm_shared.runtime.kafka import ensure_topics
from otrcm_shared.runtime.outbox import Outgoing, stage
from otrcm_shared.runtime.settings import RuntimeSettings
from otrcm_shared.runtime.tables import KitTables
from otrcm_shared.topics import ENCOUNTERS_RECEIVED, partition_key
from tests.support.databases import BACKENDS, isolated_database, url_for
from tests.support.factories import encounter_received
from tests.support.infra import ROOT
from tests.support.kafka_tools import end_offsets, read_from

pytestmark = pytest.mark.integration


def _run_relay(url: str, schema: str, bootstrap: str, fault: str | None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("OTRCM_FAULT", None)
    if fault:
        env["OTRCM_FAULT"] = fault
    return subprocess.run(
        [sys.executable, "-m", "tests.support.relay_process", "--url", url, "--schema", schema,
         "--bootstrap", bootstrap],
        env=env, cwd=ROOT, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


@pytest.mark.parametrize("backend", BACKENDS)
async def test_relay_killed_before_publish_then_restarted_publishes_each_event_once_in_order(
    backend: str, tmp_path: Path, postgres_base_url: str, kafka_bootstrap: str
) -> None:
    topic = ENCOUNTERS_RECEIVED.name
    await ensure_topics(RuntimeSettings(kafka_bootstrap=kafka_bootstrap), [ENCOUNTERS_RECEIVED], "test-admin")
    metadata = MetaData()
    tables = KitTables(metadata)
    patient = f"pk-{tmp_path.name}"
    events = [encounter_received(f"enc-{i}", patient_key=patient) for i in range(7)]
    key = partition_key("tenant-a", patient)

    url = url_for(backend, tmp_path, postgres_base_url)
    async with isolated_database(url, metadata) as db:
        async with db.transaction() as session:
            await stage(session, tables, [Outgoing(ENCOUNTERS_RECEIVED, key, event) for event in events])
        start = await end_offsets(kafka_bootstrap, topic)

        killed = _run_relay(url, db.schema, kafka_bootstrap, fault="relay-before-publish")
        assert killed.returncode == -signal.SIGKILL, killed.stderr
        async with db.transaction() as session:
            pending = await session.scalar(
                select(func.count()).select_from(tables.outbox).where(tables.outbox.c.published_at.is_(None))
            )
        assert pending == len(events), "the killed relay must not have marked anything published"

        restarted = _run_relay(url, db.schema, kafka_bootstrap, fault=None)
        assert restarted.returncode == 0, restarted.stderr
        assert restarted.stdout.strip() == str(len(events))

        wanted = {str(event.event_id) for event in events}

        def ours(records: list[ConsumerRecord[bytes, bytes]]) -> list[ConsumerRecord[bytes, bytes]]:
            return [r for r in records if json.loads(r.value)["event_id"] in wanted]

        records = await read_from(kafka_bootstrap, start, until=lambda rs: len(ours(rs)) >= len(events), settle_s=1.0)
    published = ours(records)
    # all of them, once each, in the order they were committed, under their patient's key
    assert [json.loads(r.value)["event_id"] for r in published] == [str(e.event_id) for e in events]
    assert {r.key for r in published} == {key}
