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

from tests.faults import invariants
from tests.faults.cluster import Cluster
from tests.faults.observe import Observations
from tests.faults.phi import run_sources, scan_texts
from tests.faults.readback import topic_ends, wait_for_quiet
from tests.faults.scenario import ENCOUNTERS_SUBMITTED_NAME, FaultRun, service_env
from tests.faults.table import render
from tests.faults.workload import build

pytestmark = pytest.mark.faults

LOCAL_BROKER = "127.0.0.1:9092"
THRESHOLD_PAYERS = frozenset({"medicare-wps-j5"})
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


def _findings(obs: Observations, run: FaultRun) -> tuple[list[str], list[str]]:
    poison = [(p.kind, (ENCOUNTERS_SUBMITTED_NAME, p.partition, p.offset)) for p in run.poison]
    claims_lost, claims_twice = invariants.billable_days_without_exactly_one_claim(obs)
    lost = (
        invariants.encounters_not_final(obs)
        + [f for f in invariants.encounters_received_other_than_once(obs) if "never" in f]
        + invariants.units_days_missing_encounters(obs)
        + claims_lost
        + invariants.poison_without_letter(obs, poison)
    )
    twice = (
        [f for f in invariants.encounters_received_other_than_once(obs) if "never" not in f]
        + invariants.units_days_counted_twice(obs)
        + claims_twice
        + invariants.accruals_not_equal_to_billed_lines(obs, THRESHOLD_PAYERS)
        + invariants.events_with_conflicting_copies(obs)
    )
    return lost, twice


def _wrong_identity(obs: Observations) -> list[str]:
    return (
        invariants.claims_with_two_billing_providers(obs)
        + invariants.claims_billed_under_another_identity(obs)
        + invariants.claims_moved_by_acknowledgments_not_addressed_to_them(obs)
    )


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
    lost, twice = _findings(observations, run)
    identity = _wrong_identity(observations)
    phi_hits = scan_texts(run_sources(var_dir, observations.dead_letters), workload.phi_sentinels())
    kills = sum(n for kind, n in cluster.faults.items() if kind.startswith("service killed"))
    statuses = sorted(set(final_status.values()))
    rows = [
        *((f"fault: {kind}", n) for kind, n in sorted(cluster.faults.items())),
        ("fault: consumer-group records replayed", run.replayed),
        ("encounters in (accepted)", len(run.accepted)),
        *((f"final state: {status}", sum(1 for s in final_status.values() if s == status)) for status in statuses),
        ("redelivered copies absorbed", invariants.redelivered_copies(observations)),
        ("intruder requests", intruders.attempts),
        ("intruder violations", len(intruders.violations)),
        ("intruder 500s", intruders.server_errors),
        ("fuzzer requests", fuzz.requests),
        ("fuzzer 500s", len(fuzz.server_errors)),
        ("claims", len(observations.claims)),
        ("duplicates found", len(twice)),
        ("wrong identity found", len(identity)),
        ("lost found", len(lost)),
        ("PHI hits", sum(phi_hits.values())),
    ]
    findings = {"lost": lost, "duplicates": twice, "phi": phi_hits, "intruders": intruders.violations}
    findings["identity"] = identity
    findings["fuzzer"] = fuzz.server_errors
    (var_dir / "findings.json").write_text(json.dumps(findings, indent=1))
    table = render(f"otrcm fault suite: {size} encounters, seed {run.seed}", rows)
    with capsys.disabled():  # the table is the suite's product: shown whether the test passes or not
        print("\n" + table + "\n" + "\n".join(cluster.log), flush=True)
    assert quiet, "the consumer groups did not drain"
    assert not lost, lost[:20]
    assert not twice, twice[:20]
    assert not identity, identity[:20]
    assert foreign == 3, "the foreign acknowledgments need a submitted claim to collide with"
    assert not phi_hits, f"PHI found in {sorted(phi_hits)}"
    assert not intruders.violations, intruders.violations[:20]
    assert intruders.server_errors == 0
    assert not fuzz.server_errors, fuzz.server_errors[:20]
    assert kills >= MIN_KILLS
    assert cluster.faults["broker restarted"] >= 1
    assert cluster.faults["database restarted"] >= 1
    assert cluster.faults["relay killed between commit and publish"] >= 1
    assert all(code == 0 for code in stop_codes.values()), stop_codes
