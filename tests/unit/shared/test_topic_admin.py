"""The registry applied through the admin API, against a cluster that refuses what a managed one may refuse:
a service still starts (the declared replication applies, the refusal is logged), it does not crash."""

from __future__ import annotations

from typing import Any

import pytest
from aiokafka.errors import ClusterAuthorizationFailedError, TopicAuthorizationFailedError

from otrcm_shared.runtime.topic_admin import UNCAPPED, apply_registry, cluster_replication
from otrcm_shared.topics import ENCOUNTERS_RECEIVED

pytestmark = pytest.mark.unit


class _Response:
    def __init__(self, resources: list[dict[str, Any]]) -> None:
        self.resources = resources

    def to_object(self) -> dict[str, Any]:
        return {"resources": self.resources}


class RestrictedAdmin:
    """Broker configs unreadable, topic configs readable but drifted, and altering them refused."""

    def __init__(self) -> None:
        self.altered = 0

    async def describe_cluster(self) -> dict[str, Any]:
        return {"brokers": [{"node_id": 1}, {"node_id": 2}, {"node_id": 3}]}

    async def describe_configs(self, resources: list[Any]) -> list[_Response]:
        if resources[0].resource_type.name == "BROKER":
            raise ClusterAuthorizationFailedError("not allowed")
        entries = [{"config_names": "cleanup.policy", "config_value": "compact"}]
        return [_Response([{"resource_name": r.name, "config_entries": entries} for r in resources])]

    async def describe_topics(self, names: list[str]) -> list[dict[str, Any]]:
        partitions = [{"partition": p, "replicas": [1, 2, 3]} for p in range(6)]
        return [{"topic": name, "error_code": 0, "partitions": partitions} for name in names]

    async def create_topics(self, topics: list[Any]) -> Any:
        return type("Created", (), {"topic_errors": []})()

    async def alter_configs(self, resources: list[Any]) -> list[Any]:
        self.altered += 1
        raise TopicAuthorizationFailedError("not allowed")


async def test_unreadable_broker_configs_leave_the_declared_replication() -> None:
    assert await cluster_replication(RestrictedAdmin()) == UNCAPPED  # type: ignore[arg-type]
    assert ENCOUNTERS_RECEIVED.replication_on(UNCAPPED) == 3


async def test_a_refused_alteration_is_logged_and_the_service_goes_on(caplog: pytest.LogCaptureFixture) -> None:
    admin = RestrictedAdmin()
    created, changed = await apply_registry(admin, [ENCOUNTERS_RECEIVED])  # type: ignore[arg-type]
    assert (created, changed, admin.altered) == ([], [], 1)
    assert "could not apply the registry's settings" in caplog.text
