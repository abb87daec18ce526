"""The topic registry applied to the real broker (or cluster): every topic holds the partitions, replication
and configs the registry declares, and a topic that drifted from them is brought back at start-up."""

from __future__ import annotations

import asyncio
from uuid import uuid4

import pytest
from aiokafka.admin import AIOKafkaAdminClient, NewTopic

from otrcm_shared.events.dead_letters import DeadLetter
from otrcm_shared.runtime.kafka import ensure_topics
from otrcm_shared.runtime.settings import RuntimeSettings
from otrcm_shared.runtime.topic_admin import AppliedTopic, applied_topics, cluster_replication
from otrcm_shared.topics import TopicSpec, all_topics

pytestmark = pytest.mark.integration


async def _applied(bootstrap: str, names: list[str]) -> tuple[int, dict[str, AppliedTopic]]:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, client_id="test-topic-admin")
    await admin.start()
    try:
        return await cluster_replication(admin), await applied_topics(admin, names)
    finally:
        await admin.close()


def _as_declared(spec: TopicSpec, replication: int) -> tuple[int, int, dict[str, str]]:
    return spec.partitions, spec.replication_on(replication), spec.topic_configs(replication)


def _as_held(topic: AppliedTopic, spec: TopicSpec) -> tuple[int, int, dict[str, str]]:
    declared = spec.topic_configs()
    return topic.partitions, topic.replication_factor, {k: v for k, v in topic.configs.items() if k in declared}


async def test_every_topic_holds_what_the_registry_declares(kafka_bootstrap: str) -> None:
    specs = all_topics()
    await ensure_topics(RuntimeSettings(kafka_bootstrap=kafka_bootstrap), specs, "test-admin")
    replication, applied = await _applied(kafka_bootstrap, [spec.name for spec in specs])
    assert sorted(applied) == sorted(spec.name for spec in specs)
    held = {spec.name: _as_held(applied[spec.name], spec) for spec in specs}
    assert held == {spec.name: _as_declared(spec, replication) for spec in specs}


async def test_a_drifted_topic_is_brought_back_to_the_registry(kafka_bootstrap: str) -> None:
    """Made by hand with fewer partitions, another retention and another cleanup policy; the next start-up
    (``ensure_topics``) applies the registry's settings to it."""
    letters = "".join(chr(ord("a") + int(c, 16) % 26) for c in uuid4().hex[:10])
    spec = TopicSpec(
        name=f"otrcm.drift-{letters}.checked.v1", payload=DeadLetter, key="k", description="a test topic",
        partitions=4, retention_ms=3 * 24 * 3600 * 1000,
    )  # fmt: skip
    replication, _ = await _applied(kafka_bootstrap, [])
    admin = AIOKafkaAdminClient(bootstrap_servers=kafka_bootstrap, client_id="test-topic-admin")
    await admin.start()
    try:
        drifted = {"cleanup.policy": "compact", "retention.ms": "60000"}
        await admin.create_topics([NewTopic(spec.name, 2, spec.replication_on(replication), topic_configs=drifted)])
        created = await ensure_topics(RuntimeSettings(kafka_bootstrap=kafka_bootstrap), [spec], "test-admin")
        assert created == []
        held = None
        for _ in range(50):  # a config change reaches every broker's metadata shortly after
            _, applied = await _applied(kafka_bootstrap, [spec.name])
            held = _as_held(applied[spec.name], spec) if spec.name in applied else None
            if held == _as_declared(spec, replication):
                break
            await asyncio.sleep(0.2)
        assert held == _as_declared(spec, replication)
    finally:
        await admin.delete_topics([spec.name])
        await admin.close()
