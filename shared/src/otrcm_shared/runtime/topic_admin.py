"""The topic registry applied to a cluster: topics created with the registry's partitions, replication and
configs, and existing topics brought back to them (configs altered, partitions added).

What the cluster holds is read back as :class:`AppliedTopic`; a test compares it with
:meth:`TopicSpec.topic_configs`. Two changes are never made here, because Kafka cannot make them or they move
data: fewer partitions than a topic has, and another replication factor for an existing topic (a partition
reassignment, an operator's step). Both are logged as warnings naming the topic.

``python -m otrcm_shared.runtime.topic_admin`` applies the registry to ``OTRCM_KAFKA_BOOTSTRAP`` and prints what
the cluster holds (``make topics``).
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import Any

from aiokafka.admin import AIOKafkaAdminClient, NewPartitions, NewTopic
from aiokafka.admin.config_resource import ConfigResource, ConfigResourceType
from aiokafka.errors import KafkaError, for_code

from otrcm_shared.topics import TopicSpec

log = logging.getLogger(__name__)

TOPIC_ALREADY_EXISTS = 36
APPLIED_CONFIGS = ("cleanup.policy", "min.insync.replicas", "retention.ms")
UNCAPPED = 1_000  # more brokers than any registry entry asks copies of: the declared replication applies


@dataclass(frozen=True, slots=True)
class AppliedTopic:
    """A topic as the cluster holds it: partition count, replicas of its partitions, the configs we declare."""

    name: str
    partitions: int
    replication_factor: int
    configs: dict[str, str]


async def cluster_replication(admin: AIOKafkaAdminClient) -> int:
    """The cluster's own ``default.replication.factor`` (as one of its brokers reports it): 1 on the local single
    broker, 3 on the local cluster. The registry's replication is capped by it."""
    brokers = (await admin.describe_cluster())["brokers"]
    node = str(min(broker["node_id"] for broker in brokers))
    resource = ConfigResource(ConfigResourceType.BROKER, node, {"default.replication.factor": None})
    try:
        (response,) = await admin.describe_configs([resource])
        entries = response.to_object()["resources"][0]["config_entries"]
    except KafkaError as error:  # a managed cluster may not let a client read broker configs
        log.warning("could not read the cluster's default.replication.factor (%s): the registry's applies", error)
        return UNCAPPED
    for entry in entries:
        if entry["config_names"] == "default.replication.factor":
            return int(entry["config_value"])
    return UNCAPPED


async def applied_topics(admin: AIOKafkaAdminClient, names: list[str]) -> dict[str, AppliedTopic]:
    """What the cluster holds for ``names`` (topics it does not have are left out)."""
    described = [t for t in await admin.describe_topics(names) if t["error_code"] == 0 and t["partitions"]]
    if not described:
        return {}
    resources = [ConfigResource(ConfigResourceType.TOPIC, t["topic"]) for t in described]
    configs: dict[str, dict[str, str]] = {}
    for response in await admin.describe_configs(resources):
        for resource in response.to_object()["resources"]:
            configs[resource["resource_name"]] = {
                entry["config_names"]: entry["config_value"]
                for entry in resource["config_entries"]
                if entry["config_names"] in APPLIED_CONFIGS
            }
    return {
        t["topic"]: AppliedTopic(
            name=t["topic"],
            partitions=len(t["partitions"]),
            replication_factor=max(len(p["replicas"]) for p in t["partitions"]),
            configs=configs.get(t["topic"], {}),
        )
        for t in described
    }


def _differs(spec: TopicSpec, applied: AppliedTopic, replication: int) -> dict[str, str]:
    """The declared configs the topic does not hold (a compacted topic declares no retention: not compared)."""
    wanted = spec.topic_configs(replication)
    return {key: value for key, value in wanted.items() if applied.configs.get(key) != value}


async def _create(admin: AIOKafkaAdminClient, specs: list[TopicSpec], replication: int) -> list[str]:
    topics = [
        NewTopic(
            name=spec.name,
            num_partitions=spec.partitions,
            replication_factor=spec.replication_on(replication),
            topic_configs=spec.topic_configs(replication),
        )
        for spec in specs
    ]
    response = await admin.create_topics(topics)
    created = []
    for topic, code, message in response.topic_errors:
        if code == 0:
            created.append(topic)
        elif code != TOPIC_ALREADY_EXISTS:  # another service created it meanwhile: fine
            raise for_code(code)(f"could not create topic {topic}: {message}")
    return created


async def _reconcile(admin: AIOKafkaAdminClient, spec: TopicSpec, applied: AppliedTopic, replication: int) -> bool:
    """Bring one existing topic back to the registry; True when something was changed."""
    changed = False
    differing = _differs(spec, applied, replication)
    if differing:
        # AlterConfigs replaces a topic's whole set of dynamic configs: send every declared one.
        resource = ConfigResource(ConfigResourceType.TOPIC, spec.name, spec.topic_configs(replication))
        for response in await admin.alter_configs([resource]):
            for code, message, _kind, name in response.resources:
                if code:
                    raise for_code(code)(f"could not alter the configs of topic {name}: {message}")
        log.info("topic %s: configs %s applied from the registry", spec.name, ", ".join(sorted(differing)))
        changed = True
    if applied.partitions < spec.partitions:
        await admin.create_partitions({spec.name: NewPartitions(total_count=spec.partitions)})
        log.info("topic %s: partitions raised from %d to %d", spec.name, applied.partitions, spec.partitions)
        changed = True
    elif applied.partitions > spec.partitions:
        log.warning(
            "topic %s has %d partitions, the registry declares %d: Kafka cannot remove partitions",
            spec.name, applied.partitions, spec.partitions,
        )  # fmt: skip
    if applied.replication_factor != spec.replication_on(replication):
        log.warning(
            "topic %s has %d replicas, the registry wants %d on this cluster: reassign its partitions",
            spec.name, applied.replication_factor, spec.replication_on(replication),
        )  # fmt: skip
    return changed


async def apply_registry(admin: AIOKafkaAdminClient, specs: list[TopicSpec]) -> tuple[list[str], list[str]]:
    """Create the topics of ``specs`` that are missing and reconcile the others; returns (created, changed)."""
    replication = await cluster_replication(admin)
    existing = await applied_topics(admin, [spec.name for spec in specs])
    created = await _create(admin, [s for s in specs if s.name not in existing], replication)
    changed = []
    for spec in (s for s in specs if s.name in existing):
        try:
            if await _reconcile(admin, spec, existing[spec.name], replication):
                changed.append(spec.name)
        except KafkaError as error:  # e.g. not allowed to alter topics: the service still starts, and says so
            log.warning("topic %s: could not apply the registry's settings: %s", spec.name, error)
    if created:
        log.info("created topics: %s", ", ".join(created))
    return created, changed


def _table(applied: dict[str, AppliedTopic], specs: list[TopicSpec], replication: int) -> str:
    lines = [f"cluster default.replication.factor {replication}", ""]
    header = ("topic", "partitions", "replicas", "min ISR", "cleanup", "retention ms", "as declared")
    rows: list[tuple[Any, ...]] = [header]
    for spec in specs:
        topic = applied.get(spec.name)
        if topic is None:
            rows.append((spec.name, "-", "-", "-", "-", "-", "missing"))
            continue
        same = (
            topic.partitions == spec.partitions
            and topic.replication_factor == spec.replication_on(replication)
            and not _differs(spec, topic, replication)
        )
        rows.append(
            (
                spec.name, topic.partitions, topic.replication_factor, topic.configs.get("min.insync.replicas", "-"),
                topic.configs.get("cleanup.policy", "-"), topic.configs.get("retention.ms", "-"),
                "yes" if same else "NO",
            )
        )  # fmt: skip
    widths = [max(len(str(row[i])) for row in rows) for i in range(len(header))]
    lines += ["  ".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=True)) for row in rows]
    return "\n".join(lines)


async def _main() -> int:
    from otrcm_shared.runtime.kafka import client_options
    from otrcm_shared.runtime.settings import RuntimeSettings
    from otrcm_shared.topics import all_topics

    specs = all_topics()
    admin = AIOKafkaAdminClient(**client_options(RuntimeSettings(), "otrcm-topics-admin"))
    await admin.start()
    try:
        created, changed = await apply_registry(admin, specs)
        await asyncio.sleep(1.0)  # a config change reaches every broker's metadata shortly after
        applied = await applied_topics(admin, [spec.name for spec in specs])
        print(_table(applied, specs, await cluster_replication(admin)))
        print(f"\ncreated {len(created)}, changed {len(changed)}")
        return 0
    finally:
        await admin.close()


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    raise SystemExit(asyncio.run(_main()))
