"""The six services as processes (status included) on the real broker and PostgreSQL, and the faults done to them:
SIGKILL and restart, the outbox relay killed between commit and publish, the broker and the database
restarted. Each fault is counted by kind for the suite's table."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from deploy.local import supervise
from tests.support.infra import ROOT

KAFKA_SCRIPT = ROOT / "deploy" / "local" / "kafka" / "kafka.sh"
DB_SCRIPT = ROOT / "deploy" / "local" / "postgres" / "db.sh"


@dataclass
class Cluster:
    var_dir: Path
    env: dict[str, str]
    processes: dict[str, supervise.ServiceProcess] = field(default_factory=dict)
    faults: Counter[str] = field(default_factory=Counter)
    log: list[str] = field(default_factory=list)

    def start(self, names: tuple[str, ...] = supervise.SERVICES, extra_env: dict[str, str] | None = None) -> None:
        started = supervise.start(names, {**self.env, **(extra_env or {})})
        self.processes.update({service.name: service for service in started})
        supervise.wait_ready(started, timeout_s=120)

    def stop(self) -> dict[str, int]:
        return supervise.stop(list(self.processes.values()))

    def _note(self, what: str) -> None:
        self.log.append(f"{time.strftime('%H:%M:%S')} {what}")

    def kill(self, name: str) -> None:
        """SIGKILL ``name`` wherever it is in its work, then start it again (as an orchestrator would)."""
        process = self.processes[name].process
        process.send_signal(signal.SIGKILL)
        process.wait()
        self.faults["service killed (SIGKILL)"] += 1
        self._note(f"killed {name}")
        self.start((name,))

    def kill_relay_between_commit_and_publish(
        self, name: str, trigger: Callable[[], object], timeout_s: float = 60.0
    ) -> bool:
        """Restart ``name`` so that its relay dies after a commit and before the publish, give it work
        (``trigger``), then restart it normally. False when no event reached its relay in time."""
        supervise.stop([self.processes[name]])
        [faulty] = supervise.start((name,), {**self.env, "OTRCM_FAULT": "relay-before-publish"})
        self.processes[name] = faulty
        process = faulty.process
        time.sleep(1.0)
        if process.poll() is None:  # not dead yet at start-up (its outbox was empty): give it work
            trigger()
        try:
            code = process.wait(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            supervise.stop([self.processes[name]])
            code = 0
        died = code == -signal.SIGKILL
        if died:
            self.faults["relay killed between commit and publish"] += 1
            self._note(f"{name}'s relay died between commit and publish")
        self.start((name,))
        return died

    def restart_broker(self, down_s: float = 3.0) -> None:
        env = _infra_env()
        subprocess.run([str(KAFKA_SCRIPT), "down"], check=True, env=env, capture_output=True)
        self._note("broker stopped")
        time.sleep(down_s)
        subprocess.run([str(KAFKA_SCRIPT), "up"], check=True, env=env, capture_output=True)
        self.faults["broker restarted"] += 1
        self._note("broker back")

    def restart_database(self) -> None:
        subprocess.run([str(DB_SCRIPT), "restart"], check=True, env=_infra_env(), capture_output=True)
        self.faults["database restarted"] += 1
        self._note("database restarted")

    def rewind_group(self, name: str, group: str, topic: str, records: int, bootstrap: str) -> int:
        """Stop ``name`` cleanly (its group empties), move ``group``'s committed offsets on ``topic`` back by
        ``records`` per partition, start it again: it sees those records a second time. Returns how many."""
        supervise.stop([self.processes[name]])
        rewound = asyncio.run(_rewind(bootstrap, group, topic, records))
        self.faults["consumer group rewound (replay)"] += 1
        self._note(f"rewound {group} on {topic} by {rewound} records")
        self.start((name,))
        return rewound


async def group_state(admin: Any, group: str) -> str:
    """The group's state as the coordinator reports it: Empty, Stable, PreparingRebalance, ..."""
    response = (await admin.describe_consumer_groups([group]))[0]
    return str(response.groups[0][2])


def _infra_env() -> dict[str, str]:
    """The broker and database scripts keep their state under the repository's var/, not the run's."""
    return {key: value for key, value in os.environ.items() if key != "OTRCM_VAR_DIR"}


async def _rewind(bootstrap: str, group: str, topic: str, records: int) -> int:
    from aiokafka import AIOKafkaConsumer, TopicPartition
    from aiokafka.admin import AIOKafkaAdminClient
    from aiokafka.structs import OffsetAndMetadata

    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, client_id="otrcm-faults-rewind")
    await admin.start()
    try:
        for _ in range(120):  # a cleanly stopped member leaves at once; a killed one only after its session
            if await group_state(admin, group) in ("Empty", "Dead"):
                break
            await asyncio.sleep(0.5)
        committed = await admin.list_consumer_group_offsets(group)
    finally:
        await admin.close()
    targets = {
        tp: max(0, position.offset - records)
        for tp, position in committed.items()
        if tp.topic == topic and position.offset > 0
    }
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, group_id=group, enable_auto_commit=False)
    await consumer.start()
    try:
        consumer.assign([TopicPartition(tp.topic, tp.partition) for tp in targets])
        await consumer.commit({tp: OffsetAndMetadata(offset, "") for tp, offset in targets.items()})
    finally:
        await consumer.stop()
    return sum(committed[tp].offset - offset for tp, offset in targets.items())
