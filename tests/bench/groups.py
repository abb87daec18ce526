"""The consumer groups each running service has joined, read from the broker: every ``otrcm.*`` group
with at least one member, attributed to a service by its members' client id (``otrcm-<service>``, the
runtime's). Groups left empty by earlier runs are not counted.

Standalone (to count the groups of services started by another tree's bench, e.g. an older commit's):
``.venv/bin/python -m tests.bench.groups`` prints the JSON while they run.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections import defaultdict
from typing import Any

from otrcm_shared.topics import RETIRED
from tests.bench.common import BOOTSTRAP

GROUP_PREFIX = "otrcm."
CLIENT_PREFIX = "otrcm-"


def groups_by_service(described: list[tuple[str, str, list[str]]]) -> dict[str, list[str]]:
    """(group, state, member client ids) -> sorted groups per service; a group with no member is left out."""
    found: dict[str, set[str]] = defaultdict(set)
    for group, _state, clients in described:
        if not group.startswith(GROUP_PREFIX):
            continue
        for client in clients:
            service = client.removeprefix(CLIENT_PREFIX).split("-", 1)[0] if client.startswith(CLIENT_PREFIX) else "?"
            found[service].add(group)
    return {service: sorted(groups) for service, groups in sorted(found.items())}


async def consumer_groups(timeout_s: float = 20.0) -> dict[str, Any]:
    """{"per_service": {service: count}, "groups": {service: [group ...]}, "total": n}."""
    from aiokafka.admin import AIOKafkaAdminClient

    admin = AIOKafkaAdminClient(bootstrap_servers=BOOTSTRAP, client_id="otrcm-bench-groups")
    await admin.start()
    try:
        listed = await asyncio.wait_for(admin.list_consumer_groups(), timeout_s)
        names = sorted({entry[0] for entry in listed if entry[0].startswith(GROUP_PREFIX)})
        described: list[tuple[str, str, list[str]]] = []
        for name in names:  # one group a request: aiokafka 0.14 misreads a v3 answer that holds several
            for response in await asyncio.wait_for(admin.describe_consumer_groups([name]), timeout_s):
                for group in response.groups:  # (error_code, group, state, protocol_type, protocol, members, ...)
                    described.append((group[1], group[2], [member[1] for member in group[5]]))
    finally:
        await admin.close()
    groups = groups_by_service(described)
    return {
        "per_service": {service: len(names) for service, names in groups.items()},
        "groups": groups,
        "total": sum(len(names) for names in groups.values()),
        "source": "broker: otrcm.* groups with members, by member client id",
    }


async def lag_of(groups: list[str]) -> dict[str, int]:
    """Events not yet committed by each of ``groups``, over the partitions it has committed on (not those of a
    retired topic, ``topics.RETIRED``: an old commit there is read by no one any more)."""
    from aiokafka import AIOKafkaConsumer
    from aiokafka.admin import AIOKafkaAdminClient

    admin = AIOKafkaAdminClient(bootstrap_servers=BOOTSTRAP, client_id="otrcm-bench-groups")
    consumer = AIOKafkaConsumer(bootstrap_servers=BOOTSTRAP, enable_auto_commit=False, client_id="otrcm-bench-groups")
    await admin.start()
    await consumer.start()
    try:
        lags = {}
        for group in groups:
            offsets = await admin.list_consumer_group_offsets(group)
            committed = {tp: meta.offset for tp, meta in offsets.items() if tp.topic not in RETIRED}
            ends = await consumer.end_offsets(list(committed)) if committed else {}
            lags[group] = sum(max(0, end - committed[tp]) for tp, end in ends.items() if committed[tp] >= 0)
        return lags
    finally:
        await consumer.stop()
        await admin.close()


async def wait_quiet(timeout_s: float = 90.0) -> dict[str, Any]:
    """Wait until every consumer group the services have joined has caught up (so a run's clock starts on
    a quiet pipeline: set-up events such as patients.recorded are not worked off inside the timed window)."""
    began = time.monotonic()
    groups = [g for names in (await consumer_groups())["groups"].values() for g in names]
    lags: dict[str, int] = {}
    while time.monotonic() - began < timeout_s:
        lags = await lag_of(groups)
        if not any(lags.values()):
            break
        await asyncio.sleep(0.5)
    return {"quiet": not any(lags.values()), "waited_s": round(time.monotonic() - began, 2), "lag_left": lags}


if __name__ == "__main__":
    print(json.dumps(asyncio.run(consumer_groups()), indent=2))
