"""Reading a topic from a known position in tests, without consumer groups."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from aiokafka import AIOKafkaConsumer, ConsumerRecord, TopicPartition


async def end_offsets(bootstrap: str, topic: str) -> dict[TopicPartition, int]:
    """Where each partition of ``topic`` ends now: read from here to see only what comes next."""
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False)
    await consumer.start()
    try:
        partitions = [TopicPartition(topic, p) for p in sorted(await _partitions(consumer, topic))]
        return dict(await consumer.end_offsets(partitions))
    finally:
        await consumer.stop()


async def _partitions(consumer: AIOKafkaConsumer, topic: str) -> set[int]:
    for _ in range(50):
        found = consumer.partitions_for_topic(topic)
        if found:
            return set(found)
        await consumer._client.force_metadata_update()
        await asyncio.sleep(0.1)
    raise AssertionError(f"topic {topic} has no partitions")


async def read_from(
    bootstrap: str,
    start: dict[TopicPartition, int],
    *,
    until: Callable[[list[ConsumerRecord[bytes, bytes]]], bool],
    timeout_s: float = 30.0,
    settle_s: float = 0.0,
) -> list[ConsumerRecord[bytes, bytes]]:
    """Records after ``start`` until ``until(records)`` holds (then ``settle_s`` more), or the timeout."""
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False)
    await consumer.start()
    records: list[ConsumerRecord[bytes, bytes]] = []
    try:
        consumer.assign(list(start))
        for partition, offset in start.items():
            consumer.seek(partition, offset)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout_s
        satisfied_at: float | None = None
        while loop.time() < deadline:
            batch = await consumer.getmany(timeout_ms=200)
            for partition_records in batch.values():
                records.extend(partition_records)
            if satisfied_at is None and until(records):
                satisfied_at = loop.time()
            if satisfied_at is not None and loop.time() - satisfied_at >= settle_s:
                break
        return records
    finally:
        await consumer.stop()
