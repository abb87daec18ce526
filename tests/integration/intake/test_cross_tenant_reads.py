"""Every GET path of the front door's OpenAPI document, walked with another tenant's key and with no key:
never a 200 that carries the first tenant's data (issue 17). New read routes are covered as they appear."""

from __future__ import annotations

import re
from typing import Any
from uuid import uuid4

import pytest

from otrcm_shared.events import Envelope
from otrcm_shared.events.claim_status import ClaimStatus, ClaimStatusChanged
from otrcm_status.usecases.handlers import on_claim_status_changed
from tests.integration.intake.conftest import Intake

pytestmark = pytest.mark.integration

PARAMETER = re.compile(r"\{([a-z_]+)\}")


async def test_no_get_path_shows_one_tenants_data_to_another_or_to_no_one(intake: Intake, tenant: str) -> None:
    owner = await intake.onboard(tenant)
    marker = f"e-{uuid4().hex[:10]}"
    claim_id = f"C{uuid4().hex[:19].upper()}"
    posted = await intake.client.post("/v1/encounters", json=owner.encounter(marker), headers=owner.headers)
    assert posted.status_code == 202, posted.text
    held = ClaimStatusChanged(
        claim_id=claim_id, revision=2, status=ClaimStatus.HELD, source="batch", patient_key="pk-walk",
        payer_id="medicare-wps-j5", billing_provider_npi=owner.npi, day_keys=("d",), encounter_ids=(marker,),
        reasons=("referring-provider: missing",),
    )  # fmt: skip
    event = Envelope.root(held, tenant_id=tenant, subject=claim_id, natural_key=claim_id, stage="claims.held")
    async with intake.status_db.transaction() as session:
        await on_claim_status_changed(session, event)
    values = {"encounter_id": marker, "claim_id": claim_id, "plan_id": "plan-none", "patient_id": "mrn-1001"}
    secrets = (marker, claim_id, owner.npi)

    document = (await intake.client.get("/openapi.json")).json()
    paths = [path for path, methods in document["paths"].items() if "get" in methods]
    assert {"/v1/encounters/{encounter_id}", "/v1/claims/{claim_id}", "/v1/worklist"} <= set(paths)
    for path in paths:
        url = PARAMETER.sub(lambda m: values[m.group(1)], path)
        own = await intake.client.get(url, headers=owner.headers)
        assert own.status_code == 200, (path, own.status_code)  # the walk reaches real data
        intruder = await intake.onboard(f"{tenant}-{uuid4().hex[:4]}", patients=())
        for who, headers in (("another tenant", intruder.headers), ("no key", {})):
            answer = await intake.client.get(url, headers=headers)
            leaked: list[Any] = [s for s in secrets if s in answer.text] if answer.status_code == 200 else []
            assert leaked == [], f"{path} showed {who} the first tenant's {leaked}"
            assert answer.status_code in (200, 401, 404), (path, who, answer.status_code)
