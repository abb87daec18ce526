"""The fetch pace on a real aiokafka consumer and broker: the fetcher it sets is the one aiokafka builds its
requests from, and a record arriving while the consumer is idle is delivered."""

from __future__ import annotations

import uuid

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic

from otrcm_shared.runtime.fetch_pace import FetchPace

pytestmark = pytest.mark.integration


async def test_an_idle_consumer_asks_with_the_idle_values_and_still_gets_the_next_record(kafka_bootstrap: str) -> None:
    topic = f"otrcm.test-fetch-pace.{uuid.uuid4().hex[:8]}"
    admin = AIOKafkaAdminClient(bootstrap_servers=kafka_bootstrap)
    await admin.start()
    try:
        await admin.create_topics([NewTopic(topic, num_partitions=1, replication_factor=1)])
    finally:
        await admin.close()
    busy_wait_ms, busy_min_bytes = 200, 1_048_576
    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=kafka_bootstrap,
        group_id=f"otrcm.test-fetch-pace-{uuid.uuid4().hex[:8]}",
        auto_offset_reset="earliest",
        fetch_max_wait_ms=busy_wait_ms,
        fetch_min_bytes=busy_min_bytes,
    )
    producer = AIOKafkaProducer(bootstrap_servers=kafka_bootstrap)
    pace = FetchPace(busy_wait_ms=busy_wait_ms, busy_min_bytes=busy_min_bytes, idle_wait_ms=30_000)
    await consumer.start()
    await producer.start()
    try:
        empty = await consumer.getmany(timeout_ms=1_000)
        pace.after_poll(consumer, bool(empty))
        assert empty == {}
        assert pace.idle
        fetcher = consumer._fetcher
        assert (fetcher._fetch_max_wait_ms, fetcher._fetch_min_bytes) == (30_000, 1)

        await producer.send_and_wait(topic, b"the next record")
        got: list[bytes] = []
        for _ in range(10):  # within 10 s: the busy fetch still in flight ends after 200 ms, then one byte is enough
            batches = await consumer.getmany(timeout_ms=1_000)
            pace.after_poll(consumer, bool(batches))
            got += [record.value for records in batches.values() for record in records if record.value]
            if got:
                break
        assert got == [b"the next record"]
        assert not pace.idle
        assert (fetcher._fetch_max_wait_ms, fetcher._fetch_min_bytes) == (busy_wait_ms, busy_min_bytes)
    finally:
        await producer.stop()
        await consumer.stop()
