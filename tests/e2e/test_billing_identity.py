"""Billing integrity through the whole pipeline (real broker and PostgreSQL, five services in-process):
a claim goes out only under its own tenant's billing provider, and one billing provider per claim.

Findings of issue 14 that these tests pin down (each failed on the code before the fix):
- two encounters of one patient on one date under billing NPIs A and B were pooled into one day and
  billed on one claim under B's identity;
- a tenant could post an encounter under another practice's billing NPI, and its claim went out with
  that practice's tax id (new tenants silently used the sample billing profile);
- an encounter for a patient the tenant never recorded was accepted and then sat "ready" forever.
"""

from __future__ import annotations

import asyncio
from uuid import uuid4

import pytest

from otrcm_claims.adapters.x12 import validate_x12_text
from tests.e2e.conftest import Pipeline
from tests.integration.claims.test_claims_billing_identity import billed_as
from tests.support.intake_samples import encounter, fresh_npi

pytestmark = pytest.mark.e2e

DAY = "2026-10-05"


async def test_two_billing_providers_on_one_date_are_two_claims_each_under_its_own_identity(
    pipeline: Pipeline,
) -> None:
    tenant = f"tenant-{uuid4().hex[:8]}"
    first, second = fresh_npi(), fresh_npi()
    headers = await pipeline.onboard(tenant, first, second)
    visits = [
        encounter("visit-a", date_of_service=DAY, billing_provider_npi=first),
        encounter("visit-b", date_of_service=DAY, billing_provider_npi=second,
                  lines=[{"line_number": 1, "code": "97110", "minutes": 20, "diagnosis_pointers": [1]}]),
    ]  # fmt: skip
    for body in visits:
        response = await pipeline.client.post("/v1/encounters", json=body, headers=headers)
        assert response.status_code == 202, response.text

    rows = await pipeline.wait_for_claims(tenant, 2)
    assert sorted(row["status"] for row in rows) == ["submitted", "submitted"], [r["reasons"] for r in rows]
    assert sorted(tuple(row["encounter_ids"]) for row in rows) == [("visit-a",), ("visit-b",)]
    billed: dict[str, tuple[str, str]] = {}
    for text in pipeline.files():
        assert validate_x12_text(text).pyx12_valid
        billed.update(billed_as(text))
    npi_of = {row["encounter_ids"][0]: billed[row["claim_id"]][0] for row in rows}
    assert npi_of == {"visit-a": first, "visit-b": second}
    # Minutes were not pooled across the two practices: 25 + 15 minutes at A is 3 units (40 min), B's 20 is 1.
    units = {row["encounter_ids"][0]: sum(line["units"] for line in row["lines"]) for row in rows}
    assert units == {"visit-a": 3, "visit-b": 1}


async def test_another_tenants_billing_npi_and_an_unrecorded_patient_are_refused_at_the_door(
    pipeline: Pipeline,
) -> None:
    owner, intruder = f"tenant-{uuid4().hex[:8]}", f"tenant-{uuid4().hex[:8]}"
    theirs, ours = fresh_npi(), fresh_npi()
    await pipeline.onboard(owner, theirs)
    headers = await pipeline.onboard(intruder, ours)

    posing = await pipeline.client.post(
        "/v1/encounters", json=encounter("posing", date_of_service=DAY, billing_provider_npi=theirs), headers=headers
    )
    assert posing.status_code == 422
    assert [(e["path"], e["rule"]) for e in posing.json()["errors"]] == [
        ("billing_provider_npi", "billing_provider.registered")
    ]
    assert theirs not in posing.text, "the answer never says whose NPI it is"
    assert owner not in posing.text

    ghost = encounter("ghost", date_of_service=DAY, billing_provider_npi=ours, patient_id="mrn-never-recorded")
    unknown = await pipeline.client.post("/v1/encounters", json=ghost, headers=headers)
    assert unknown.status_code == 422
    assert [(e["path"], e["rule"]) for e in unknown.json()["errors"]] == [("patient_id", "patient.recorded")]
    for refused in ("posing", "ghost"):
        assert (await pipeline.client.get(f"/v1/encounters/{refused}", headers=headers)).status_code == 404

    listed = await pipeline.client.get("/v1/billing-providers", headers=headers)
    assert [entry["npi"] for entry in listed.json()["billing_providers"]] == [ours]
    await asyncio.sleep(2.0)
    assert await pipeline.claims_of(intruder) == []
