"""The fault suite on the replicated cluster: the real pipeline with every service twice, on the local three-broker
KRaft cluster (replication 3, min.insync.replicas 2, producers acks=all and idempotent) and PostgreSQL. Mid-run,
the broker leading a partition is SIGKILLed and later started again (twice, for two topics), one instance of
each service pair is SIGKILLed for good, poison is published and encounters are resubmitted. The invariants,
the PHI scan and the table are the single-broker suite's (``verdict``).

The cluster comes from ``OTRCM_KAFKA_CLUSTER_BOOTSTRAP`` (``make test-faults-cluster`` starts it with
``make kafka-cluster-up`` and sets it); without it the test is skipped. Size: ``OTRCM_FAULTS_CLUSTER_ENCOUNTERS``.
"""

from __future__ import annotations

import asyncio
import json
import os
from collections.abc import Callable
from pathlib import Path
from uuid import uuid4

import pytest
from aiokafka.admin import AIOKafkaAdminClient

from deploy.local.supervise import SERVICES
from otrcm_shared.runtime.kafka import ensure_topics
from otrcm_shared.runtime.settings import RuntimeSettings
from otrcm_shared.runtime.topic_admin import applied_topics
from otrcm_shared.topics import CLAIM_LINES_READY, ENCOUNTERS_RECEIVED, all_topics
from tests.faults.readback import topic_ends, wait_for_quiet
from tests.faults.replicated import Instance, ReplicatedCluster
from tests.faults.scenario import FaultRun, service_env
from tests.faults.table import render
from tests.faults.verdict import fault_rows, findings, phi_hits, verdict_rows, wrong_identity
from tests.faults.workload import build

pytestmark = pytest.mark.faults

PAIRS_KILLED = 6


def _faults(run: FaultRun, cluster: ReplicatedCluster) -> list[Callable[[], object]]:
    return [
        lambda: cluster.kill_one_of_pair("units", Instance.FIRST),
        lambda: cluster.kill_partition_leader(ENCOUNTERS_RECEIVED.name),
        lambda: cluster.kill_one_of_pair("poc", Instance.FIRST),
        lambda: cluster.kill_one_of_pair("modifiers", Instance.SECOND),
        run.inject_poison,  # with a broker down: two of three replicas in sync still take writes
        cluster.restart_killed_broker,
        lambda: cluster.kill_one_of_pair("claims", Instance.FIRST),
        lambda: cluster.kill_partition_leader(CLAIM_LINES_READY.name),
        lambda: cluster.kill_one_of_pair("intake", Instance.FIRST),  # the API moves to the second intake
        lambda: cluster.kill_one_of_pair("status", Instance.SECOND),
        cluster.restart_killed_broker,
        run.resubmit_some,
    ]


async def _topics_as_declared(bootstrap: str) -> int:
    """Apply the registry as a service does at start-up; how many topics hold 3 replicas and its configs."""
    specs = all_topics()
    await ensure_topics(RuntimeSettings(kafka_bootstrap=bootstrap), specs, "otrcm-faults-admin")
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, client_id="otrcm-faults-admin")
    await admin.start()
    try:
        applied = await applied_topics(admin, [spec.name for spec in specs])
    finally:
        await admin.close()
    return sum(
        1
        for spec in specs
        if spec.name in applied
        and applied[spec.name].replication_factor == spec.replication_factor == 3
        and applied[spec.name].partitions == spec.partitions
        and spec.topic_configs().items() <= applied[spec.name].configs.items()
    )


def test_on_the_cluster_nothing_is_lost_or_billed_twice_and_no_phi_leaves(
    postgres_base_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bootstrap = os.environ.get("OTRCM_KAFKA_CLUSTER_BOOTSTRAP", "")
    if not bootstrap:
        pytest.skip("needs the three-broker cluster: `make test-faults-cluster` starts it and sets its bootstrap")
    size = int(os.environ.get("OTRCM_FAULTS_CLUSTER_ENCOUNTERS", "300"))
    declared = asyncio.run(_topics_as_declared(bootstrap))
    workload = build(f"faults-cluster-{uuid4().hex[:8]}", size)
    var_dir = tmp_path / "var"
    cluster = ReplicatedCluster(var_dir, service_env(var_dir, bootstrap, postgres_base_url), bootstrap=bootstrap)
    run = FaultRun(workload, cluster, bootstrap, postgres_base_url, seed=size)
    cluster.start()
    try:
        cluster.start_second_instances()
        run.start_offsets = asyncio.run(topic_ends(bootstrap))
        run.create_keys()
        run.record_reference_data(workload.certifications)
        run.stream_with_faults(_faults(run, cluster))
        with run.client() as client:
            run.certify(client, workload.late_certifications)  # the held Medicare visits are released
        final_status = run.wait_until_final(timeout_s=900)
        foreign = run.send_foreign_acknowledgments()
        quiet = wait_for_quiet(bootstrap)
        observations = run.observe(final_status)
    finally:
        stop_codes = cluster.stop()
    lost, twice = findings(observations, run)
    identity = wrong_identity(observations)
    phi = phi_hits(var_dir, observations, run)
    rows = [
        ("topics with 3 replicas, min ISR 2, as declared", f"{declared}/{len(all_topics())}"),
        ("service instances: started, running at the end", f"{2 * len(SERVICES)}, {len(stop_codes)}"),
        *fault_rows(run, final_status, observations),
        *verdict_rows(observations, twice, identity, lost, phi),
    ]
    found = {"lost": lost, "duplicates": twice, "phi": phi, "identity": identity}
    (var_dir / "findings.json").write_text(json.dumps(found, indent=1))
    table = render(f"otrcm fault suite on the 3-broker cluster: {size} encounters, seed {run.seed}", rows)
    with capsys.disabled():  # the table is the suite's product: shown whether the test passes or not
        print("\n" + table + "\n" + "\n".join(cluster.log), flush=True)
    assert declared == len(all_topics()), "every topic has 3 replicas and the registry's configs on the cluster"
    assert quiet, "the consumer groups did not drain"
    assert not lost, lost[:20]
    assert not twice, twice[:20]
    assert not identity, identity[:20]
    assert foreign == 3, "the foreign acknowledgments need a submitted claim to collide with"
    assert not phi, f"PHI found in {sorted(phi)}"
    assert cluster.faults["service instance killed (SIGKILL), its twin carries on"] == PAIRS_KILLED
    assert cluster.faults["broker killed (SIGKILL): a partition leader"] >= 2
    assert cluster.faults["broker restarted after SIGKILL"] >= 2
    assert all(code == 0 for code in stop_codes.values()), stop_codes
