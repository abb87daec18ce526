"""A dependent's coverage at the front door (issue 19 item 4), on the real broker and PostgreSQL: the API and
the import file refuse a relationship other than self without a subscriber (422 naming the field and the
rule, nothing published), and accept the child with the parent as subscriber, whose patient event carries
the relationship and the subscriber."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from otrcm_intake.usecases.importer import run_import
from otrcm_shared.topics import PATIENTS
from tests.integration.intake.conftest import TODAY, Intake
from tests.support.intake_samples import patient
from tests.support.kafka_tools import end_offsets, read_from

pytestmark = pytest.mark.integration

PARENT = {"first_name": "Hector", "last_name": "Quill", "birth_date": "1984-06-02", "sex": "M"}


def child(patient_id: str, **coverage: Any) -> dict[str, Any]:
    body = patient(patient_id, first_name="Toby", birth_date="2019-09-14", sex="M")
    body["coverages"] = [{"payer_id": "blue-commercial-ama", "member_id": "XQB884120301", **coverage}]
    return body


async def test_the_api_refuses_a_child_without_a_subscriber_and_publishes_one_with_it(
    intake: Intake, tenant: str
) -> None:
    headers = await intake.key_for(tenant)
    start = await end_offsets(intake.settings.kafka_bootstrap, PATIENTS.name)

    refused = await intake.client.post(
        "/v1/patients", json=child("mrn-child", relationship_to_subscriber="19"), headers=headers
    )
    assert refused.status_code == 422, refused.text
    assert [(e["path"], e["rule"]) for e in refused.json()["errors"]] == [
        ("coverages.1.subscriber", "subscriber.required")
    ]
    assert "Hector" not in refused.text
    assert "XQB884120301" not in refused.text

    accepted = await intake.client.post(
        "/v1/patients", json=child("mrn-child", relationship_to_subscriber="19", subscriber=PARENT), headers=headers
    )
    assert accepted.status_code == 202, accepted.text
    intake.runtime.wake_relay()
    records = await read_from(
        intake.settings.kafka_bootstrap, start, until=lambda rs: any(b"XQB884120301" in r.value for r in rs)
    )
    [coverage] = [
        json.loads(r.value)["payload"]["coverages"][0] for r in records if b"XQB884120301" in r.value
    ]  # only the accepted record was published
    assert coverage["relationship_to_subscriber"] == "19"
    assert coverage["subscriber"] == {**PARENT, "member_id": None, "address": None}


async def test_the_import_file_takes_patient_rows_with_the_same_rules(
    intake: Intake, tenant: str, tmp_path: Path
) -> None:
    await intake.key_for(tenant)
    rows = [
        {"record_type": "patient", **child("mrn-kid-1", relationship_to_subscriber="19", subscriber=PARENT)},
        {"record_type": "patient", **child("mrn-kid-2", relationship_to_subscriber="01")},
    ]
    path = tmp_path / "patients.jsonl"
    path.write_text("".join(json.dumps(row) + "\n" for row in rows))
    report = tmp_path / "report.jsonl"

    assert await run_import(intake.settings.model_copy(update={"business_date": TODAY}), path, tenant, report) == 1
    [entry] = [json.loads(line) for line in report.read_text().splitlines()]
    assert (entry["row"], entry["status"]) == (2, "rejected")
    assert [(e["path"], e["rule"]) for e in entry["errors"]] == [("coverages.1.subscriber", "subscriber.required")]
