"""Part 1, the raw baseline: aiokafka produce-then-consume of encounter-sized JSON through one fresh topic."""

from __future__ import annotations

import time
import uuid
from datetime import date
from typing import Any

from tests.bench.common import BOOTSTRAP
from tests.support.factories import encounter_received

PARTITIONS = 6


def sample_message() -> bytes:
    """One encounters.received envelope with four lines (~1 KB of JSON)."""
    lines = (("97530", 38), ("97110", 23), ("97535", 30), ("97140", 15))
    envelope = encounter_received("enc-raw-000001", tenant_id="tenant-bench-raw", on=date(2025, 9, 3), lines=lines)
    return envelope.model_dump_json().encode()


async def run_raw(messages: int, timeout_s: float = 120.0) -> dict[str, Any]:
    from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
    from aiokafka.admin import AIOKafkaAdminClient, NewTopic

    topic = f"otrcm.bench-raw.v{uuid.uuid4().int % 10**9}"
    value = sample_message()
    admin = AIOKafkaAdminClient(bootstrap_servers=BOOTSTRAP, client_id="otrcm-bench-admin")
    await admin.start()
    try:
        await admin.create_topics([NewTopic(topic, num_partitions=PARTITIONS, replication_factor=1)])
        producer = AIOKafkaProducer(bootstrap_servers=BOOTSTRAP, acks="all", linger_ms=5, client_id="otrcm-bench")
        consumer = AIOKafkaConsumer(bootstrap_servers=BOOTSTRAP, enable_auto_commit=False, client_id="otrcm-bench")
        await producer.start()
        await consumer.start()
        try:
            partitions = [TopicPartition(topic, p) for p in range(PARTITIONS)]
            consumer.assign(partitions)
            await consumer.seek_to_beginning(*partitions)
            began = time.perf_counter()
            pending = [
                await producer.send(topic, value, key=f"tenant-bench-raw:pk-{i % 500}".encode())
                for i in range(messages)
            ]
            for future in pending:
                await future
            produced = time.perf_counter()
            received = 0
            deadline = produced + timeout_s
            while received < messages and time.perf_counter() < deadline:
                for records in (await consumer.getmany(timeout_ms=500, max_records=10_000)).values():
                    received += len(records)
            consumed = time.perf_counter()
        finally:
            await producer.stop()
            await consumer.stop()
        await admin.delete_topics([topic])
    finally:
        await admin.close()
    return {
        "messages": messages,
        "received": received,
        "message_bytes": len(value),
        "partitions": PARTITIONS,
        "produce_per_second": round(messages / (produced - began)),
        "consume_per_second": round(received / max(consumed - produced, 1e-9)),
        "produce_consume_per_second": round(received / (consumed - began)),
        "seconds": round(consumed - began, 2),
    }
