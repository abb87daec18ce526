"""The ingestion topic and the file import: bad records are reported with rule ids, good ones flow."""

from __future__ import annotations

import asyncio
import csv
import json
from pathlib import Path

import pytest
from aiokafka import ConsumerRecord

from otrcm_intake.usecases.importer import run_import
from otrcm_shared.events import Envelope
from otrcm_shared.events.encounters import EncounterReceived
from otrcm_shared.events.submissions import EncounterSubmission
from otrcm_shared.runtime.kafka import make_broker
from otrcm_shared.runtime.telemetry import setup_tracing
from otrcm_shared.topics import DEAD_LETTERS, ENCOUNTERS_RECEIVED, ENCOUNTERS_SUBMITTED
from tests.integration.intake.conftest import Intake
from tests.support.kafka_tools import end_offsets, read_from

pytestmark = pytest.mark.integration

SUBMITTED = ENCOUNTERS_SUBMITTED.name


async def test_poison_on_the_ingestion_topic_is_dead_lettered_and_the_next_record_flows(
    intake: Intake, tenant: str
) -> None:
    clinic = await intake.onboard(tenant)
    bootstrap = intake.settings.kafka_bootstrap
    letters_from = await end_offsets(bootstrap, DEAD_LETTERS.name)
    received_from = await end_offsets(bootstrap, ENCOUNTERS_RECEIVED.name)
    submitted_from = {tp.partition: offset for tp, offset in (await end_offsets(bootstrap, SUBMITTED)).items()}

    def submitted(body: dict[str, object]) -> str:
        payload = EncounterSubmission.model_validate(body)
        return Envelope.root(
            payload, tenant_id=tenant, subject=payload.encounter_id, natural_key=payload.encounter_id, stage="ehr"
        ).model_dump_json()

    bad_npi = submitted(clinic.encounter("feed-bad", billing_provider_npi="1234567890"))
    wrong_version = json.loads(submitted(clinic.encounter("feed-v99")))
    wrong_version["schema_version"] = 99  # found by the fault suite: this used to be read as version 1
    good = submitted(clinic.encounter("feed-good"))
    key = f"{tenant}:feed".encode()
    producer = make_broker(intake.settings, "test-ehr-feed", setup_tracing("test"))
    await producer.start()
    try:
        # Unique poison bytes: a letter is one per record (position + content), and a broker recreated
        # under a long-lived database reuses positions.
        poison = f"{{not json {tenant}".encode()
        for body in (poison, json.dumps(wrong_version), bad_npi, good):
            await producer.publish(body, ENCOUNTERS_SUBMITTED.name, key=key)
            await asyncio.sleep(0)
    finally:
        await producer.stop()

    received = await read_from(
        bootstrap,
        received_from,
        until=lambda rs: any(b"feed-good" in r.value and tenant.encode() in r.value for r in rs),
        timeout_s=60,
    )
    good_events = [Envelope[EncounterReceived].model_validate_json(r.value) for r in received]
    assert [e.payload.encounter_id for e in good_events if e.tenant_id == tenant] == ["feed-good"]

    def ours(records: list[ConsumerRecord[bytes, bytes]]) -> list[dict[str, object]]:
        """Letters about the records this test put on the ingestion topic (the poison has no tenant)."""
        payloads = [json.loads(r.value)["payload"] for r in records]
        return [
            p
            for p in payloads
            if p["source_topic"] == SUBMITTED and p["source_offset"] >= submitted_from[p["source_partition"]]
        ]

    letters = await read_from(bootstrap, letters_from, until=lambda rs: len(ours(rs)) >= 3, timeout_s=60, settle_s=1.0)
    reasons = {(p["reason_code"], tuple(p["rule_ids"])) for p in ours(letters)}  # type: ignore[arg-type]
    assert ("SCHEMA_INVALID", ()) in reasons
    assert any("schema_version_unsupported" in str(p["message"]) for p in ours(letters))
    assert ("ENCOUNTER_INVALID", ("npi.check_digit",)) in reasons
    assert all("1234567890" not in str(p["message"]) for p in ours(letters)), "no values quoted in dead letters"


async def test_import_accepts_good_rows_and_reports_bad_ones_with_line_numbers(
    intake: Intake, tenant: str, tmp_path: Path
) -> None:
    clinic = await intake.onboard(tenant)
    jsonl = tmp_path / "encounters.jsonl"
    rows = [clinic.encounter("imp-1"), clinic.encounter("imp-2", place_of_service="98"), clinic.encounter("imp-3")]
    jsonl.write_text("\n".join(json.dumps(row) for row in rows) + "\n{broken\n")
    report = tmp_path / "report.jsonl"

    status = await run_import(intake.settings, jsonl, tenant, report)

    assert status == 1, "some rows were rejected"
    entries = [json.loads(line) for line in report.read_text().splitlines()]
    assert [(e["row"], e["status"]) for e in entries] == [(2, "rejected"), (4, "rejected")]
    assert entries[0]["errors"][0]["rule"] == "place_of_service.known"
    assert entries[1]["errors"][0]["rule"] == "schema.json_invalid"
    for accepted in ("imp-1", "imp-3"):
        response = await intake.client.get(f"/v1/encounters/{accepted}", headers=clinic.headers)
        assert response.status_code == 200


async def test_csv_import_groups_lines_into_encounters(intake: Intake, tenant: str, tmp_path: Path) -> None:
    clinic = await intake.onboard(tenant, patients=("mrn-9",))
    path = tmp_path / "encounters.csv"
    columns = ["encounter_id", "patient_id", "payer_id", "date_of_service", "place_of_service",
               "billing_provider_npi", "rendering_npi", "rendering_role", "diagnoses", "line_number", "code",
               "minutes", "assistant_minutes", "diagnosis_pointers", "modifiers", "medical_necessity_documented",
               "distinct_time_blocks"]  # fmt: skip
    common = ["mrn-9", "medicare-wps-j5", "2026-03-02", "11", clinic.npi, "1245319599", "OTA", "M62.81;R26.89"]
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        writer.writerow(["csv-1", *common, "1", "97530", "30", "30", "1", "", "true", "false"])
        writer.writerow(["csv-1", *common, "2", "97535", "10", "0", "1;2", "", "true", "false"])
        writer.writerow(["csv-2", *common, "1", "97530", "ten", "0", "1", "", "false", "false"])
    report = tmp_path / "csv-report.jsonl"

    assert await run_import(intake.settings, path, tenant, report) == 1
    (entry,) = [json.loads(line) for line in report.read_text().splitlines()]
    assert (entry["row"], entry["encounter_id"]) == (4, "csv-2")
    assert entry["errors"][0] == {
        "row": 4, "column": "minutes", "path": "lines.1.minutes", "rule": "schema.int_type",
        "message": "a whole number without quotes or decimals, e.g. 30", "severity": "error",
    }  # fmt: skip
    ok = await intake.client.get("/v1/encounters/csv-1", headers=clinic.headers)
    assert ok.status_code == 200
