"""One fault run: the five services as processes, the generated practice through the intake API in slices,
a fault after each slice (kills, the relay's crash window, broker and database restarts, a replay, poison,
resubmissions), then the wait for every encounter's final state, and the evidence gathered."""

from __future__ import annotations

import asyncio
import json
import os
import random
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from tests.faults.cluster import Cluster
from tests.faults.foreign_acks import a_submitted_claim, acknowledgment_rows, drop_foreign_acknowledgments
from tests.faults.front_door import Samples
from tests.faults.fuzzer import FuzzReport, fuzz_api
from tests.faults.intruders import IntruderReport, probe_intruders
from tests.faults.invariants import FINAL
from tests.faults.observe import (
    Observations,
    record_accruals,
    record_acknowledgments,
    record_claim_files,
    record_events,
)
from tests.faults.poison import PoisonRecord, publish_poison
from tests.faults.readback import accrual_rows, read_to_end
from tests.faults.workload import BUSINESS_DATE, Workload
from tests.support.infra import ROOT
from tests.support.intake_samples import billing_provider, npi_with_check_digit

BATCH = 100


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _status_ports() -> dict[str, str]:
    """Where the status service's read API listens, and where intake asks it (docs/adr/011)."""
    port = _free_port()
    return {"OTRCM_STATUS_HTTP_PORT": str(port), "OTRCM_STATUS_URL": f"http://127.0.0.1:{port}"}


def service_env(var_dir: Path, bootstrap: str, database_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OTRCM_", "OTEL_"))}
    env.update(
        OTRCM_VAR_DIR=str(var_dir),
        OTRCM_KAFKA_BOOTSTRAP=bootstrap,
        OTRCM_DATABASE_URL=database_url,
        OTRCM_HTTP_PORT=str(_free_port()),
        **_status_ports(),
        OTRCM_BUSINESS_DATE=BUSINESS_DATE,
        OTRCM_CLAIMS_CUTOFF_HOURS="0",
        OTRCM_CLAIMS_BATCH_INTERVAL_S="2",
        OTRCM_LOG_LEVEL="DEBUG",
        OTRCM_SPANS_FILE=str(var_dir / "spans.jsonl"),
        OTRCM_TRACE_SAMPLE_RATIO="1.0",  # every span reaches the file the PHI check reads
        OTRCM_OUTBOX_DIR=str(var_dir / "outbox"),
    )
    return env


@dataclass
class FaultRun:
    workload: Workload
    cluster: Cluster
    bootstrap: str
    database_url: str
    seed: int
    accepted: set[str] = field(default_factory=set)
    resubmitted: int = 0
    poison: list[PoisonRecord] = field(default_factory=list)
    replayed: int = 0
    start_offsets: dict[Any, int] = field(default_factory=dict)
    keys: dict[str, str] = field(default_factory=dict)
    cursor: int = 0  # how many of the workload's encounters have been posted

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.cluster.env['OTRCM_HTTP_PORT']}"

    def client(self, key: str | None = None) -> httpx.Client:
        return httpx.Client(base_url=self.base_url, headers={"X-API-Key": key or self.keys["own"]}, timeout=60)

    # -- set-up ---------------------------------------------------------------------------------------------

    def intake_cli(self, *args: str) -> str:
        done = subprocess.run(
            [str(Path(sys.executable).parent / "otrcm-intake"), *args],
            cwd=ROOT, env=self.cluster.env, capture_output=True, text=True, check=True,
        )  # fmt: skip
        return done.stdout.strip()

    def register_billing_provider(self, tenant: str, registration: dict[str, Any]) -> None:
        """As an operator would: ``otrcm-intake register-billing-provider`` with a file."""
        path = self.cluster.var_dir / f"billing-provider-{tenant}.json"
        path.write_text(json.dumps(registration), encoding="utf-8")
        self.intake_cli("register-billing-provider", "--tenant", tenant, str(path))

    def create_keys(self) -> None:
        tenant = self.workload.tenant
        self.register_billing_provider(tenant, self.workload.billing_registration())
        self.keys["own"] = self.intake_cli("create-key", "--tenant", tenant)
        self.keys["other"] = self.intake_cli("create-key", "--tenant", f"{tenant}-other")
        self.keys["revoked"] = self.intake_cli("create-key", "--tenant", tenant)
        self.intake_cli("revoke-key", self.keys["revoked"])

    def post_until_answered(self, client: httpx.Client, path: str, body: Any) -> httpx.Response:
        """POST, retrying while the API is down or answers 5xx (a restarting service); safe because every
        POST is idempotent by its natural key."""
        deadline = time.monotonic() + 180
        while True:
            try:
                response = client.post(path, json=body)
                if response.status_code < 500:
                    return response
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise TimeoutError(f"{path} did not answer below 500 within 180 s")
            time.sleep(0.5)

    def record_reference_data(self, certifications: list[dict[str, Any]]) -> None:
        with self.client() as client:
            for path, bodies in (
                ("/v1/patients", self.workload.patients),
                ("/v1/plans-of-care", self.workload.plans),
                ("/v1/authorizations", self.workload.authorizations),
            ):
                for body in bodies:
                    _expect_accepted(self.post_until_answered(client, path, body), path)
            self.certify(client, certifications)

    def certify(self, client: httpx.Client, certifications: list[dict[str, Any]]) -> None:
        for step in certifications:
            path = f"/v1/plans-of-care/{step['plan_id']}/events"
            body = {k: v for k, v in step.items() if k != "plan_id"}
            _expect_accepted(self.post_until_answered(client, path, body), path)

    # -- the stream and its faults --------------------------------------------------------------------------

    def submit(self, client: httpx.Client, rows: list[dict[str, Any]]) -> list[str]:
        """Post ``rows`` in batches; returns the statuses (accepted, duplicate, ...)."""
        statuses = []
        for start in range(0, len(rows), BATCH):
            batch = rows[start : start + BATCH]
            results = self.post_until_answered(client, "/v1/encounters", batch).json()["results"]
            for row, result in zip(batch, results, strict=True):
                statuses.append(result["status"])
                if result["status"] in ("accepted", "duplicate"):
                    self.accepted.add(row["encounter_id"])
                else:
                    rules = sorted({error["rule"] for error in result.get("errors", [])})
                    raise AssertionError(f"the workload's encounter {row['encounter_id']} was refused: {rules}")
        return statuses

    def submit_next(self, count: int) -> None:
        """Post the workload's next ``count`` encounters."""
        rows = self.workload.encounters[self.cursor : self.cursor + count]
        self.cursor += len(rows)
        with self.client() as client:
            self.submit(client, rows)

    def stream_with_faults(self, faults: list[Callable[[], object]]) -> None:
        """The encounters in as many slices as there are faults; after each slice, a random pause (the
        pipeline is mid-stream on the backlog), then the fault; whatever is left at the end."""
        rng = random.Random(self.seed)
        size = -(-len(self.workload.encounters) // len(faults))
        for fault in faults:
            self.submit_next(size)
            time.sleep(rng.uniform(0.0, 2.0))
            fault()
        self.submit_next(len(self.workload.encounters))

    def resubmit_some(self) -> None:
        """Duplicates through the front door: a tenth of the encounters again; every one must be a duplicate."""
        rng = random.Random(self.seed + 1)
        again = rng.sample(self.workload.encounters, max(1, len(self.workload.encounters) // 10))
        with self.client() as client:
            statuses = self.submit(client, again)
        if set(statuses) != {"duplicate"}:
            raise AssertionError(f"resubmitted encounters answered {sorted(set(statuses))}, not only duplicate")
        self.resubmitted += len(again)
        self.cluster.faults["encounters resubmitted (API)"] += len(again)

    def replay(self, service: str, group: str, topic: str, per_partition: int) -> None:
        """Duplicates from the broker: ``group`` reads its last records of ``topic`` a second time."""
        self.replayed += self.cluster.rewind_group(service, group, topic, per_partition, self.bootstrap)

    def inject_poison(self) -> None:
        commercial = [e for e in self.workload.encounters if e["payer_id"] == "blue-commercial-ama"]
        template = commercial[0]
        follower = {**template, "encounter_id": "fe-poison-follower", "date_of_service": BUSINESS_DATE}
        self.poison = asyncio.run(publish_poison(self.bootstrap, self.workload.tenant, template, follower))
        self.accepted.add(follower["encounter_id"])
        self.cluster.faults["poison records"] += len(self.poison)

    def probe_the_front_door(self, fuzz_examples: int) -> tuple[IntruderReport, FuzzReport]:
        """Intruders and the fuzzer against the live API, as a tenant of their own (what the fuzzer gets
        accepted flows on, apart from the workload's tenant, whose key plays "another tenant's")."""
        door = f"{self.workload.tenant}-door"
        identity = random.Random(door)
        door_npi = npi_with_check_digit("1" + "".join(identity.choices("0123456789", k=8)))
        door_tin = "4" + "".join(identity.choices("0123456789", k=8))
        self.register_billing_provider(door, billing_provider(door_npi, door_tin))
        own = self.intake_cli("create-key", "--tenant", door)
        revoked = self.intake_cli("create-key", "--tenant", door)
        self.intake_cli("revoke-key", revoked)
        samples = Samples.from_examples().billed_by(door_npi)
        with self.client(own) as client:
            _expect_accepted(self.post_until_answered(client, "/v1/patients", samples.patient), "/v1/patients")
            _expect_accepted(self.post_until_answered(client, "/v1/encounters", samples.encounter), "/v1/encounters")

        async def probe() -> tuple[IntruderReport, FuzzReport]:
            async with httpx.AsyncClient(base_url=self.base_url, timeout=60) as client:
                intruders = await probe_intruders(
                    client, own_key=own, other_tenant_key=self.keys["own"], revoked_key=revoked,
                    own_encounter_id=samples.encounter["encounter_id"], samples=samples,
                    other_tenant_npi=self.workload.billing_npi,
                )  # fmt: skip
                fuzz = await fuzz_api(client, key=own, samples=samples, examples=fuzz_examples, seed=self.seed)
            return intruders, fuzz

        return asyncio.run(probe())

    def send_foreign_acknowledgments(self, timeout_s: float = 60) -> int:
        """A 999, a 277CA and an 835 addressed to another submitter, whose control numbers collide with one
        of the tenant's submitted claims, dropped into the claims inbox; waits until the service read them.
        Returns how many were dropped (none when no claim was submitted)."""
        claim = asyncio.run(a_submitted_claim(self.database_url, self.workload.tenant))
        if claim is None:
            return 0
        inbox = self.cluster.var_dir / "inbox"
        names = drop_foreign_acknowledgments(inbox, **claim)
        deadline = time.monotonic() + timeout_s
        while any((inbox / name).exists() for name in names) and time.monotonic() < deadline:
            time.sleep(0.5)
        self.cluster.faults["acknowledgments addressed to another submitter"] += len(names)
        return len(names)

    # -- the end --------------------------------------------------------------------------------------------

    def wait_until_final(self, timeout_s: float) -> dict[str, str]:
        """Poll each encounter not yet final; stop when all are final or nothing moved for a minute."""
        status: dict[str, str] = {}
        pending = set(self.accepted)
        deadline, last_change = time.monotonic() + timeout_s, time.monotonic()
        with self.client() as client:
            while pending and time.monotonic() < deadline and time.monotonic() - last_change < 60:
                for eid in sorted(pending):
                    response = client.get(f"/v1/encounters/{eid}")
                    status[eid] = response.json().get("status", "unknown") if response.status_code == 200 else "missing"
                    if status[eid] in FINAL:
                        pending.discard(eid)
                        last_change = time.monotonic()
                if pending:
                    time.sleep(1.0)
        return status

    def observe(self, final_status: dict[str, str]) -> Observations:
        observations = Observations(accepted=set(self.accepted), final_status=final_status)
        observations.day_of_encounter_in_workload = {
            e["encounter_id"]: (e["patient_id"], e["date_of_service"]) for e in self.workload.encounters
        }
        observations.day_of_encounter_in_workload["fe-poison-follower"] = ("poison-follower", BUSINESS_DATE)
        positions = {(ENCOUNTERS_SUBMITTED_NAME, p.partition, p.offset) for p in self.poison}
        records = asyncio.run(read_to_end(self.bootstrap, self.start_offsets))
        record_events(observations, records, self.workload.tenant, positions)
        record_claim_files(observations, self.cluster.var_dir / "outbox")
        record_accruals(observations, asyncio.run(accrual_rows(self.database_url, self.workload.tenant)))
        record_acknowledgments(observations, *asyncio.run(acknowledgment_rows(self.database_url, self.workload.tenant)))
        observations.registered_identities = {(self.workload.billing_npi, self.workload.billing_tin)}
        return observations


ENCOUNTERS_SUBMITTED_NAME = "otrcm.encounters.submitted.v1"


def _expect_accepted(response: httpx.Response, path: str) -> None:
    if response.status_code not in (200, 201, 202):
        raise AssertionError(f"{path} answered {response.status_code}: {response.text[:300]}")
