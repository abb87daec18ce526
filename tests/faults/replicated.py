"""The cluster variant's processes and faults: every service twice (the pair shares one consumer group, so its
partitions are split between the two) on the local three-broker cluster (``deploy/local/kafka/cluster.sh``).
Faults: one instance of each pair SIGKILLed for good (the survivor takes over its partitions, and the intake
API moves to the survivor as a load balancer would), and a partition leader's broker SIGKILLed, later started
again. Each fault is counted by kind for the suite's table."""

from __future__ import annotations

import asyncio
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

from deploy.local import supervise
from tests.faults.cluster import Cluster, _infra_env
from tests.faults.scenario import _free_port
from tests.support.infra import ROOT

KAFKA_CLUSTER_SCRIPT = ROOT / "deploy" / "local" / "kafka" / "cluster.sh"


class Instance(Enum):
    FIRST = "first"
    SECOND = "second"


def cluster_script_env(bootstrap: str) -> dict[str, str]:
    """cluster.sh's settings for the cluster at ``bootstrap`` (node i listens on BASE + 2(i-1))."""
    ports = [int(address.rsplit(":", 1)[1]) for address in bootstrap.split(",")]
    return {**_infra_env(), "OTRCM_KAFKA_CLUSTER_PORT": str(min(ports)), "OTRCM_KAFKA_BROKERS": str(len(ports))}


async def partition_leader(bootstrap: str, topic: str, partition: int, attempts: int = 60) -> int:
    """The node id of the broker leading ``topic``'s ``partition`` now (-1 while it has no leader). Asked again
    on a fresh client while a request fails: just after a kill, the metadata still names the dead broker."""
    from aiokafka.admin import AIOKafkaAdminClient
    from aiokafka.errors import KafkaError

    for attempt in range(attempts):
        admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, client_id="otrcm-faults-leader")
        try:
            await admin.start()
            (described,) = await admin.describe_topics([topic])
            return int(next(p["leader"] for p in described["partitions"] if p["partition"] == partition))
        except KafkaError:
            if attempt == attempts - 1:
                raise
            await asyncio.sleep(0.5)
        finally:
            await admin.close()
    raise AssertionError("unreachable")


@dataclass
class ReplicatedCluster(Cluster):
    bootstrap: str = ""
    seconds: dict[str, supervise.ServiceProcess] = field(default_factory=dict)
    second_http_ports: dict[str, str] = field(default_factory=dict)
    down_brokers: list[int] = field(default_factory=list)

    def start_second_instances(self, names: tuple[str, ...] = supervise.SERVICES, timeout_s: float = 180) -> None:
        """A second process of each of ``names`` beside the first: same settings and consumer groups, HTTP ports
        of its own (intake asks the first status instance). Ready when the ready file names its pid."""
        for name in names:
            env = {**self.env, "OTRCM_HTTP_PORT": str(_free_port()), "OTRCM_STATUS_HTTP_PORT": str(_free_port())}
            log_path = self.var_dir / "logs" / f"{name}-2.log"
            with log_path.open("ab") as log:
                process = subprocess.Popen(
                    [str(Path(sys.executable).parent / f"otrcm-{name}"), "serve"],
                    cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env=env,
                )  # fmt: skip
            self.seconds[name] = supervise.ServiceProcess(f"{name}#2", process, log_path, self.var_dir)
            self.second_http_ports[name] = env["OTRCM_HTTP_PORT"]
        for name in names:
            self._wait_for_pid(name, self.seconds[name], timeout_s)
        self._note(f"second instances of {', '.join(names)} up")

    def _wait_for_pid(self, name: str, service: supervise.ServiceProcess, timeout_s: float) -> None:
        ready = self.var_dir / "run" / f"{name}.ready"
        deadline = time.monotonic() + timeout_s
        while not (ready.exists() and ready.read_text().strip() == str(service.process.pid)):
            if service.process.poll() is not None:
                tail = service.log_path.read_text(errors="replace")[-2000:]
                raise RuntimeError(f"{service.name} exited with {service.process.returncode}:\n{tail}")
            if time.monotonic() > deadline:
                raise TimeoutError(f"{service.name} not ready within {timeout_s:.0f} s")
            time.sleep(0.2)

    def kill_one_of_pair(self, name: str, which: Instance) -> None:
        """SIGKILL one instance of ``name`` for good; its twin carries on alone. When the first intake goes, the
        run's requests go to the second (as a load balancer in front of the pair would send them)."""
        pool = self.processes if which is Instance.FIRST else self.seconds
        victim = pool.pop(name)
        victim.process.send_signal(signal.SIGKILL)
        victim.process.wait()
        if name == "intake" and which is Instance.FIRST:
            self.env["OTRCM_HTTP_PORT"] = self.second_http_ports["intake"]
        self.faults["service instance killed (SIGKILL), its twin carries on"] += 1
        self._note(f"killed the {which.value} {name}; the other carries on")

    def _script(self, *args: str) -> None:
        subprocess.run(
            [str(KAFKA_CLUSTER_SCRIPT), *args], check=True, capture_output=True, env=cluster_script_env(self.bootstrap)
        )

    def kill_partition_leader(self, topic: str, partition: int = 0) -> int:
        """SIGKILL the broker leading ``topic``'s ``partition`` (no clean shutdown, no leadership handed over);
        returns its node id. The cluster goes on with two brokers: min.insync.replicas=2 still accepts writes."""
        leader = asyncio.run(partition_leader(self.bootstrap, topic, partition))
        self._script("kill", str(leader))
        self.down_brokers.append(leader)
        self.faults["broker killed (SIGKILL): a partition leader"] += 1
        self._note(f"killed broker {leader}, the leader of {topic}[{partition}]")
        deadline = time.monotonic() + 60
        successor = leader
        while successor in (leader, -1) and time.monotonic() < deadline:
            time.sleep(0.5)
            successor = asyncio.run(partition_leader(self.bootstrap, topic, partition))
        self._note(f"{topic}[{partition}] led by broker {successor} now")
        return leader

    def restart_killed_broker(self) -> None:
        """Start the broker killed longest ago; returns when the cluster lists it again."""
        node = self.down_brokers.pop(0)
        self._script("start", str(node))
        self.faults["broker restarted after SIGKILL"] += 1
        self._note(f"broker {node} back")

    def stop(self) -> dict[str, int]:
        codes = supervise.stop([*self.processes.values(), *self.seconds.values()])
        while self.down_brokers:  # leave the cluster whole for the next run
            self.restart_killed_broker()
        return codes
