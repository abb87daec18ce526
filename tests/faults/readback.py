"""Reading back what a fault run left: topic ends, every record since the start, the accruals, and whether
the consumer groups have drained (a library for ``scenario`` and the suite)."""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

from otrcm_shared.topics import RETIRED
from tests.faults.cluster import group_state
from tests.faults.observe import WATCHED


async def topic_ends(bootstrap: str, topics: tuple[str, ...] = WATCHED) -> dict[Any, int]:
    from tests.support.kafka_tools import end_offsets

    found: dict[Any, int] = {}
    for topic in topics:
        found.update(await end_offsets(bootstrap, topic))
    return found


async def read_to_end(bootstrap: str, start: dict[Any, int]) -> list[Any]:
    from aiokafka import AIOKafkaConsumer

    end = await topic_ends(bootstrap)
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap, enable_auto_commit=False, max_partition_fetch_bytes=4 << 20
    )
    await consumer.start()
    records: list[Any] = []
    try:
        partitions = [tp for tp in end if end[tp] > start.get(tp, 0)]
        consumer.assign(partitions)
        for tp in partitions:
            consumer.seek(tp, start.get(tp, 0))
        remaining = set(partitions)
        while remaining:
            for tp, batch in (await consumer.getmany(timeout_ms=1000, max_records=10_000)).items():
                records.extend(r for r in batch if r.offset < end[tp])
                if batch and batch[-1].offset + 1 >= end[tp]:
                    remaining.discard(tp)
        return records
    finally:
        await consumer.stop()


async def accrual_rows(database_url: str, tenant: str) -> list[tuple[str, dict[str, Any]]]:
    import asyncpg

    connection = await asyncpg.connect(database_url.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        rows = await connection.fetch(
            "SELECT beneficiary_key, state FROM modifiers.accruals WHERE tenant_id = $1", tenant
        )
    finally:
        await connection.close()
    return [
        (row["beneficiary_key"], json.loads(row["state"]) if isinstance(row["state"], str) else row["state"])
        for row in rows
    ]


async def lag_is_zero(bootstrap: str) -> bool:
    """True when every otrcm consumer group has committed up to the end of each partition it reads. A group's
    old commits on a retired topic (``topics.RETIRED``: read by no one since) are not lag."""
    from aiokafka import AIOKafkaConsumer
    from aiokafka.admin import AIOKafkaAdminClient

    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, client_id="otrcm-faults-lag")
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False)
    await admin.start()
    await consumer.start()
    try:
        groups = [str(listed[0]) for listed in await admin.list_consumer_groups()]
        for group in (g for g in groups if g.startswith("otrcm.")):
            state = await group_state(admin, group)
            if state in ("Empty", "Dead"):
                continue  # no member: an old test's group, or a service that is not running
            if state != "Stable":
                return False
            committed = {
                tp: position
                for tp, position in (await admin.list_consumer_group_offsets(group)).items()
                if tp.topic not in RETIRED
            }
            ends = await consumer.end_offsets(list(committed))
            if any(position.offset >= 0 and position.offset < ends[tp] for tp, position in committed.items()):
                return False
        return True
    finally:
        await consumer.stop()
        await admin.close()


def wait_for_quiet(bootstrap: str, timeout_s: float = 180) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if asyncio.run(lag_is_zero(bootstrap)):
            return True
        time.sleep(1.0)
    return False
