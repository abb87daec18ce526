"""Intake asks for eligibility checks (issue 19 item 9, ADR 015) on the real broker and PostgreSQL: a new
patient asks each payer, a new plan of care asks again, and the API asks on demand (202 with the request id;
404 for a patient never recorded; 422 for a payer the patient has no coverage with). The events carry the
opaque patient key, never the client's patient id or any PHI."""

from __future__ import annotations

import json
from typing import Any

import pytest

from otrcm_shared.topics import ELIGIBILITY_REQUESTED
from tests.integration.intake.conftest import TODAY, Intake
from tests.support.intake_samples import patient
from tests.support.kafka_tools import end_offsets, read_from

pytestmark = pytest.mark.integration


async def _requests(intake: Intake, start: Any, count: int) -> list[dict[str, Any]]:
    intake.runtime.wake_relay()
    records = await read_from(intake.settings.kafka_bootstrap, start, until=lambda rs: len(rs) >= count)
    return [json.loads(record.value) for record in records]


async def test_a_new_patient_a_plan_and_the_api_each_ask_the_payer(intake: Intake, tenant: str) -> None:
    headers = await intake.key_for(tenant)
    start = await end_offsets(intake.settings.kafka_bootstrap, ELIGIBILITY_REQUESTED.name)
    body = patient("mrn-elig")
    assert (await intake.client.post("/v1/patients", json=body, headers=headers)).status_code == 202
    plan = {"plan_id": "plan-elig", "patient_id": "mrn-elig", "evaluation_date": "2026-03-02", "duration_days": 90}
    assert (await intake.client.post("/v1/plans-of-care", json=plan, headers=headers)).status_code == 202
    asked = await intake.client.post(
        "/v1/patients/mrn-elig/eligibility-checks", json={"date_of_service": "2026-04-01"}, headers=headers
    )
    assert asked.status_code == 202, asked.text

    events = [e for e in await _requests(intake, start, 3) if e["tenant_id"] == tenant]
    reasons = [(e["payload"]["reason"], e["payload"]["payer_id"], e["payload"]["service_date"]) for e in events]
    assert sorted(reasons) == [
        ("new_patient", "medicare-wps-j5", TODAY.isoformat()),
        ("on_demand", "medicare-wps-j5", "2026-04-01"),
        ("plan_of_care", "medicare-wps-j5", TODAY.isoformat()),
    ]
    on_demand = next(e for e in events if e["payload"]["reason"] == "on_demand")
    assert asked.json()["id"] == on_demand["payload"]["request_id"]
    assert all("mrn-elig" not in json.dumps(e) and "Quill" not in json.dumps(e) for e in events)

    again = await intake.client.post(
        "/v1/patients/mrn-elig/eligibility-checks", json={"date_of_service": "2026-04-01"}, headers=headers
    )
    assert again.json()["id"] == asked.json()["id"], "the same check the same day is the same request"


async def test_the_api_refuses_an_unknown_patient_and_a_payer_without_coverage(intake: Intake, tenant: str) -> None:
    headers = await intake.key_for(tenant)
    unknown = await intake.client.post("/v1/patients/mrn-nobody/eligibility-checks", json={}, headers=headers)
    assert unknown.status_code == 404
    assert [e["rule"] for e in unknown.json()["errors"]] == ["patient.recorded"]

    assert (await intake.client.post("/v1/patients", json=patient("mrn-e2"), headers=headers)).status_code == 202
    other = await intake.client.post(
        "/v1/patients/mrn-e2/eligibility-checks", json={"payer_id": "blue-commercial-ama"}, headers=headers
    )
    assert other.status_code == 422
    assert [(e["path"], e["rule"]) for e in other.json()["errors"]] == [("payer_id", "coverage.payer")]
