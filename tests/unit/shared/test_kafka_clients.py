"""Kafka client settings: a cluster's bootstrap list reaches every client as separate addresses, and every
producer waits for all in-sync replicas with idempotence on."""

from __future__ import annotations

import pytest

from otrcm_shared.runtime.kafka import client_options, make_producer
from otrcm_shared.runtime.settings import RuntimeSettings

pytestmark = pytest.mark.unit

CLUSTER = "127.0.0.1:9192, 127.0.0.1:9194,127.0.0.1:9196"


def test_a_cluster_bootstrap_list_is_split_into_addresses() -> None:
    options = client_options(RuntimeSettings(kafka_bootstrap=CLUSTER), "test")
    assert options["bootstrap_servers"] == ["127.0.0.1:9192", "127.0.0.1:9194", "127.0.0.1:9196"]


async def test_the_relay_producer_waits_for_all_in_sync_replicas_and_is_idempotent() -> None:
    producer = make_producer(RuntimeSettings(kafka_bootstrap=CLUSTER), "test")
    try:
        assert producer.client._bootstrap_servers == ["127.0.0.1:9192", "127.0.0.1:9194", "127.0.0.1:9196"]
        assert producer._txn_manager is not None  # aiokafka keeps one only for an idempotent producer
        assert producer._sender._acks == -1  # "all"
    finally:
        await producer.stop()
