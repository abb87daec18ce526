"""What the topic registry (:mod:`otrcm_shared.topics`) declares of one topic: its name, key, payload model and
settings (partitions, replication, minimum in-sync replicas, cleanup policy, retention)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum

from otrcm_shared.events.envelope import EventPayload

TOPIC_NAME = re.compile(r"^otrcm\.[a-z][a-z-]*(\.[a-z][a-z-]*)?\.v\d+$")


class CleanupPolicy(StrEnum):
    DELETE = "delete"
    COMPACT = "compact"


@dataclass(frozen=True, slots=True)
class TopicSpec:
    """One topic as the registry declares it.

    ``producers``/``consumers`` must agree with the code: a test derives them from each service's
    ``runtime.subscribe(...)`` calls and its modules' ``PUBLISHES`` lists (docs/generate.py ``participants``)
    and fails on any difference; parties that are not services here (EHR feeds, otrcm-refdata) are kept as declared.
    """

    name: str
    payload: type[EventPayload]
    key: str
    description: str
    partitions: int = 6
    # Three copies, a write acknowledged by two of them (producers send acks=all): a topic survives losing a
    # broker without losing an acknowledged record. A smaller cluster (its own default.replication.factor) gets fewer.
    replication_factor: int = 3
    min_insync_replicas: int = 2
    cleanup_policy: CleanupPolicy = CleanupPolicy.DELETE
    retention_ms: int | None = 14 * 24 * 3600 * 1000
    producers: tuple[str, ...] = ()
    consumers: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        if not TOPIC_NAME.match(self.name):
            raise ValueError(f"topic name '{self.name}' does not follow otrcm.<noun>.<verb-past>.v<major>")

    def replication_on(self, cluster_replication: int) -> int:
        """The replication factor on a cluster whose own ``default.replication.factor`` is ``cluster_replication``:
        the declared one, or the cluster's when it is smaller (one copy on a single local broker). The cluster's
        setting, not its live broker count, so a broker that is down at start-up never lowers durability."""
        return max(1, min(self.replication_factor, cluster_replication))

    def topic_configs(self, cluster_replication: int | None = None) -> dict[str, str]:
        """The topic-level configs to apply (on the declared cluster when ``cluster_replication`` is None). The
        minimum in-sync replicas stays below the replication factor, so one broker may be down."""
        replicas = self.replication_factor if cluster_replication is None else self.replication_on(cluster_replication)
        configs = {
            "cleanup.policy": self.cleanup_policy.value,
            "min.insync.replicas": str(max(1, min(self.min_insync_replicas, replicas - 1))),
        }
        if self.cleanup_policy is CleanupPolicy.DELETE and self.retention_ms is not None:
            configs["retention.ms"] = str(self.retention_ms)
        return configs
