"""The fault suite: the real pipeline (five service processes, the local Kafka broker, PostgreSQL) under
kills, a relay crash between commit and publish, a broker restart, a database restart, a replayed
consumer group, resubmissions, poison and intruders; then the invariants, the PHI scan and one table.

Size: ``OTRCM_FAULTS_ENCOUNTERS`` (``make test`` runs a few hundred; ``make test-faults`` a few thousand).
"""

from __future__ import annotations

import asyncio
import json
import os
from collections.abc import Callable
from pathlib import Path
from uuid import uuid4

import pytest

from tests.faults.cluster import Cluster
from tests.faults.readback import topic_ends, wait_for_quiet
from tests.faults.scenario import FaultRun, service_env
from tests.faults.table import render
from tests.faults.verdict import fault_rows, findings, phi_hits, verdict_rows, wrong_identity
from tests.faults.workload import build

pytestmark = pytest.mark.faults

LOCAL_BROKER = "127.0.0.1:9092"
MIN_KILLS = 5


def _faults(run: FaultRun) -> list[Callable[[], object]]:
    cluster = run.cluster
    return [
        lambda: cluster.kill("units"),
        lambda: cluster.kill("poc"),
        lambda: cluster.kill_relay_between_commit_and_publish("units", lambda: run.submit_next(10)),
        lambda: cluster.restart_broker(),
        lambda: cluster.kill("modifiers"),
        run.inject_poison,
        lambda: cluster.restart_database(),
        lambda: cluster.kill("claims"),
        lambda: run.replay("poc", "otrcm.poc", "otrcm.encounters.units-calculated.v1", per_partition=40),
        lambda: cluster.kill("intake"),
        lambda: cluster.kill("status"),
        lambda: cluster.kill("units"),
        run.resubmit_some,
    ]


def test_nothing_is_lost_or_billed_twice_and_no_phi_leaves(
    kafka_bootstrap: str, postgres_base_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    if kafka_bootstrap != LOCAL_BROKER:
        pytest.skip("the fault suite restarts the broker: it needs the local one (deploy/local/kafka)")
    size = int(os.environ.get("OTRCM_FAULTS_ENCOUNTERS", "600"))
    workload = build(f"faults-{uuid4().hex[:8]}", size)
    var_dir = tmp_path / "var"
    cluster = Cluster(var_dir, service_env(var_dir, kafka_bootstrap, postgres_base_url))
    run = FaultRun(workload, cluster, kafka_bootstrap, postgres_base_url, seed=size)
    cluster.start()
    try:
        run.start_offsets = asyncio.run(topic_ends(kafka_bootstrap))
        run.create_keys()
        run.record_reference_data(workload.certifications)
        run.stream_with_faults(_faults(run))
        with run.client() as client:
            run.certify(client, workload.late_certifications)  # the held Medicare visits are released
        intruders, fuzz = run.probe_the_front_door(int(os.environ.get("OTRCM_FAULTS_FUZZ_EXAMPLES", "200")))
        final_status = run.wait_until_final(timeout_s=900)
        foreign = run.send_foreign_acknowledgments()
        quiet = wait_for_quiet(kafka_bootstrap)
        observations = run.observe(final_status)
    finally:
        stop_codes = cluster.stop()
    lost, twice = findings(observations, run)
    identity = wrong_identity(observations)
    phi = phi_hits(var_dir, observations, run)
    kills = sum(n for kind, n in cluster.faults.items() if kind.startswith("service killed"))
    rows = [
        *fault_rows(run, final_status, observations),
        ("intruder requests", intruders.attempts),
        ("intruder violations", len(intruders.violations)),
        ("intruder 500s", intruders.server_errors),
        ("fuzzer requests", fuzz.requests),
        ("fuzzer 500s", len(fuzz.server_errors)),
        *verdict_rows(observations, twice, identity, lost, phi),
    ]
    found = {"lost": lost, "duplicates": twice, "phi": phi, "intruders": intruders.violations}
    found["identity"] = identity
    found["fuzzer"] = fuzz.server_errors
    (var_dir / "findings.json").write_text(json.dumps(found, indent=1))
    table = render(f"otrcm fault suite: {size} encounters, seed {run.seed}", rows)
    with capsys.disabled():  # the table is the suite's product: shown whether the test passes or not
        print("\n" + table + "\n" + "\n".join(cluster.log), flush=True)
    assert quiet, "the consumer groups did not drain"
    assert not lost, lost[:20]
    assert not twice, twice[:20]
    assert not identity, identity[:20]
    assert foreign == 3, "the foreign acknowledgments need a submitted claim to collide with"
    assert not phi, f"PHI found in {sorted(phi)}"
    assert not intruders.violations, intruders.violations[:20]
    assert intruders.server_errors == 0
    assert not fuzz.server_errors, fuzz.server_errors[:20]
    assert kills >= MIN_KILLS
    assert cluster.faults["broker restarted"] >= 1
    assert cluster.faults["database restarted"] >= 1
    assert cluster.faults["relay killed between commit and publish"] >= 1
    assert all(code == 0 for code in stop_codes.values()), stop_codes
