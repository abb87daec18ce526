"""The main job (`make run`): the sample Missouri practice through the whole pipeline on this machine.

Starts the six services as processes on the embedded defaults (the local Kafka broker, SQLite files
under var/main-job), submits the sample through the intake API, waits until every encounter has
reached a final state, raises the day's alerts, and prints a report a billing lead would read.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import socket
import subprocess
import sys
import time
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx

from deploy.local import supervise
from deploy.local.report import Report, facts, note_estimates, render

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "examples" / "missouri_clinic"
FINAL = {"held", "claim_held", "submitted", "accepted", "rejected", "paid", "partially_paid", "denied"}
REPORT_TOPICS = (
    "otrcm.claim-lines.ready.v1",
    "otrcm.alerts.raised.v1",
    "otrcm.dead-letters.v1",
    "otrcm.claims.status-changed.v2",
)


def _load(name: str) -> Any:
    return json.loads((SAMPLE / name).read_text(encoding="utf-8"))


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def held_code(reason: dict[str, str] | str) -> str:
    """A gate or line hold carries {code, message}; a held claim carries "issue-id: message" strings."""
    return reason["code"] if isinstance(reason, dict) else "CLAIM_" + reason.split(":", 1)[0].upper()


def _progress(statuses: dict[str, str]) -> None:
    counts = Counter(statuses.values())
    line = "  ".join(f"{status} {count}" for status, count in sorted(counts.items()))
    sys.stderr.write(f"\r  {line:<110}")
    sys.stderr.flush()


class Pipeline:
    """The running services and an API client for the practice's tenant."""

    def __init__(self, client: httpx.Client) -> None:
        self.client = client

    def post(self, path: str, body: Any) -> httpx.Response:
        response = self.client.post(path, json=body)
        if response.status_code >= 500:
            raise RuntimeError(f"{path} answered {response.status_code}")
        return response

    def statuses(self, encounter_ids: list[str]) -> dict[str, str]:
        found = {}
        for encounter_id in encounter_ids:
            response = self.client.get(f"/v1/encounters/{encounter_id}")
            found[encounter_id] = response.json().get("status", "unknown") if response.status_code == 200 else "missing"
        return found


def submit_sample(pipeline: Pipeline, report: Report) -> list[str]:
    for patient in _load("patients.json"):
        pipeline.post("/v1/patients", patient)
    for plan in _load("plans.json"):
        pipeline.post("/v1/plans-of-care", plan)
    for step in _load("certifications.json") + _load("progress_reports.json"):
        plan_id = step.pop("plan_id")
        pipeline.post(f"/v1/plans-of-care/{plan_id}/events", step)
    for authorization in _load("authorizations.json"):
        pipeline.post("/v1/authorizations", authorization)
    rows = [json.loads(line) for line in (SAMPLE / "encounters.jsonl").read_text().splitlines() if line.strip()]
    report.encounters_in = len(rows)
    accepted: list[str] = []
    for start in range(0, len(rows), 25):
        batch = rows[start : start + 25]
        results = pipeline.post("/v1/encounters", batch).json()["results"]
        for row, result in zip(batch, results, strict=True):
            report.patient_of[row["encounter_id"]] = row["patient_id"]
            if result["status"] in ("accepted", "duplicate"):
                accepted.append(row["encounter_id"])
                report.warnings += len(result.get("warnings", []))
            else:
                rules = ", ".join(sorted({e["rule"] for e in result.get("errors", [])}))
                report.rejected.append((row["encounter_id"], rules))
    # Mid-run: the expired plan is recertified; its held December visits are released.
    time.sleep(3)
    for step in _load("recertifications.json"):
        plan_id = step.pop("plan_id")
        pipeline.post(f"/v1/plans-of-care/{plan_id}/events", step)
    return accepted


def wait_until_final(pipeline: Pipeline, encounter_ids: list[str], timeout_s: float = 240.0) -> dict[str, str]:
    """Poll until every encounter is final, or nothing changed for a while (then the rest are stuck)."""
    deadline = time.monotonic() + timeout_s
    last, unchanged_since = {}, time.monotonic()
    while time.monotonic() < deadline:
        statuses = pipeline.statuses(encounter_ids)
        _progress(statuses)
        if all(status in FINAL for status in statuses.values()):
            break
        if statuses != last:
            last, unchanged_since = statuses, time.monotonic()
        elif time.monotonic() - unchanged_since > 30:
            break
        time.sleep(1.0)
    sys.stderr.write("\n")
    return pipeline.statuses(encounter_ids)


async def _topic_positions(bootstrap: str) -> dict[Any, int]:
    from aiokafka import AIOKafkaConsumer, TopicPartition

    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap)
    await consumer.start()
    try:
        partitions = []
        for topic in REPORT_TOPICS:
            for partition in consumer.partitions_for_topic(topic) or await _partitions(consumer, topic):
                partitions.append(TopicPartition(topic, partition))
        return dict(await consumer.end_offsets(partitions))
    finally:
        await consumer.stop()


async def _partitions(consumer: Any, topic: str) -> set[int]:
    await consumer._client.force_metadata_update()
    return consumer.partitions_for_topic(topic) or set()


async def _read(bootstrap: str, start: dict[Any, int]) -> list[Any]:
    from aiokafka import AIOKafkaConsumer

    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False)
    await consumer.start()
    records: list[Any] = []
    try:
        consumer.assign(list(start))
        for partition, offset in start.items():
            consumer.seek(partition, offset)
        end = await consumer.end_offsets(list(start))
        remaining = {p for p in start if end[p] > start[p]}
        while remaining:
            for partition, batch in (await consumer.getmany(timeout_ms=500)).items():
                records.extend(batch)
                if batch and batch[-1].offset + 1 >= end[partition]:
                    remaining.discard(partition)
        return records
    finally:
        await consumer.stop()


def collect_events(report: Report, records: list[Any], tenant: str) -> None:
    newest: dict[str, dict[str, Any]] = {}
    for record in records:
        envelope = json.loads(record.value)
        if envelope.get("tenant_id") != tenant:
            continue
        payload = envelope["payload"]
        if record.topic == "otrcm.claim-lines.ready.v1":
            if payload["version"] >= newest.get(payload["day_key"], {}).get("version", 0):
                newest[payload["day_key"]] = payload
        elif record.topic == "otrcm.alerts.raised.v1":
            report.alerts.append((payload["kind"], payload["subject_id"], payload["message"]))
        elif record.topic == "otrcm.dead-letters.v1":
            report.dead_letters.append((payload["stage"], payload["reason_code"]))
        elif record.topic == "otrcm.claims.status-changed.v2" and payload["status"] == "submitted":
            report.claims_submitted += 1
            report.claims_by_day.update(payload["day_keys"])
    report.ready_days = newest
    for day in newest.values():
        for line in day["lines"]:
            report.lines_by_code[(line["code"], "+".join(line["modifiers"]))] += line["units"]
            amount = Decimal(str(line["expected_allowed"])) if line["expected_allowed"] is not None else Decimal(0)
            report.expected_by_payer[day["payer_id"]] += amount
        note_estimates(report, day)
        for held in day["held_lines"]:
            report.held_lines[", ".join(held["reasons"])] += 1
        if day.get("threshold"):
            first_encounter = (day["lines"] or day["held_lines"] or [{"encounter_id": ""}])[0]["encounter_id"]
            patient = report.patient_of.get(first_encounter, day["patient_key"])
            previous = report.thresholds.get(patient)
            if previous is None or day["date_of_service"] >= previous["date_of_service"]:
                report.thresholds[patient] = {**day["threshold"], "date_of_service": day["date_of_service"]}


def check_files(report: Report, outbox: Path) -> None:
    from otrcm_claims.adapters.x12 import validate_x12_text

    for path in sorted(outbox.glob("*")):
        if path.is_file():
            verdict = validate_x12_text(path.read_text(encoding="utf-8"))
            report.files.append((str(path.relative_to(ROOT)), bool(getattr(verdict, "passed", verdict))))


def pipeline_environment(var: Path, practice: dict[str, Any]) -> int:
    """Set the services' environment for a local run of ``practice`` under ``var``; the intake API's port."""
    port, status_port = _free_port(), _free_port()
    os.environ.update(
        {
            "OTRCM_VAR_DIR": str(var),
            "OTRCM_HTTP_PORT": str(port),
            # The status service's read API, which intake asks for every status it shows (docs/adr/011).
            "OTRCM_STATUS_HTTP_PORT": str(status_port),
            "OTRCM_STATUS_URL": f"http://127.0.0.1:{status_port}",
            "OTRCM_BUSINESS_DATE": practice["business_date"],
            "OTRCM_CLAIMS_CUTOFF_HOURS": "0",
            "OTRCM_CLAIMS_BATCH_INTERVAL_S": "2",
            "OTRCM_LOG_LEVEL": "WARNING",
        }
    )
    return port


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tenant", help="run the sample as this tenant (default: the practice's own)")
    parser.add_argument("--json", type=Path, help="also write the report's facts as JSON here")
    args = parser.parse_args(argv)
    practice = _load("practice.json")
    practice["tenant_id"] = args.tenant or practice["tenant_id"]
    var = ROOT / "var" / "main-job"
    shutil.rmtree(var, ignore_errors=True)
    port = pipeline_environment(var, practice)
    bootstrap = os.environ.get("OTRCM_KAFKA_BOOTSTRAP", "127.0.0.1:9092")
    report = Report(tenant=practice["tenant_id"], practice=practice["name"])
    print(f"otrcm main job: {practice['name']} ({practice['tenant_id']}), business date {practice['business_date']}")
    services = supervise.start()
    started = time.monotonic()
    try:
        supervise.wait_ready(services)
        print(f"  six services up in {time.monotonic() - started:.1f} s; API on 127.0.0.1:{port}")
        key = subprocess.run(
            [str(Path(sys.executable).parent / "otrcm-intake"), "create-key", "--tenant", practice["tenant_id"]],
            check=True, capture_output=True, text=True, env=os.environ,
        ).stdout.strip()  # fmt: skip
        # The practice's billing provider, registered by the operator: claims go out under it and nothing else.
        # Run as another tenant (--tenant), the practice's NPI moves to that tenant (one NPI, one tenant).
        subprocess.run(
            [str(Path(sys.executable).parent / "otrcm-intake"), "register-billing-provider",
             "--tenant", practice["tenant_id"], str(SAMPLE / "billing_providers.json"),
             *(["--transfer"] if args.tenant else [])],
            check=True, capture_output=True, text=True, env=os.environ,
        )  # fmt: skip
        positions = asyncio.run(_topic_positions(bootstrap))
        client = httpx.Client(base_url=f"http://127.0.0.1:{port}", headers={"X-API-Key": key}, timeout=60)
        pipeline = Pipeline(client)
        accepted = submit_sample(pipeline, report)
        print(f"  submitted {report.encounters_in} encounters; waiting for final states")
        report.final = wait_until_final(pipeline, accepted)
        for encounter_id, status in report.final.items():
            if status in ("held", "claim_held"):
                detail = client.get(f"/v1/encounters/{encounter_id}").json().get("detail", {})
                codes = {held_code(reason) for reason in detail.get("reasons", [])} or {"HELD"}
                report.held_by_reason.update(codes)
                report.held_codes[encounter_id] = sorted(codes)
        subprocess.run(
            [str(Path(sys.executable).parent / "otrcm-poc"), "scan-alerts", "--date", practice["business_date"]],
            check=True, capture_output=True, text=True, env=os.environ,
        )  # fmt: skip
        time.sleep(1.0)
        collect_events(report, asyncio.run(_read(bootstrap, positions)), practice["tenant_id"])
        check_files(report, Path(os.environ.get("OTRCM_OUTBOX_DIR", var / "outbox" / "837p")))
    finally:
        codes = supervise.stop(services)
    report.elapsed_s = time.monotonic() - started
    print(render(report))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(facts(report), indent=2, default=str), encoding="utf-8")
    stuck = [eid for eid, status in report.final.items() if status not in FINAL]
    failed = {name: code for name, code in codes.items() if code != 0}
    if failed:
        print(f"services that did not stop cleanly: {failed}", file=sys.stderr)
    return 1 if failed or stuck or any(not ok for _, ok in report.files) else 0


if __name__ == "__main__":
    sys.exit(main())
