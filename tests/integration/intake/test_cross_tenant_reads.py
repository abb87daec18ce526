"""Every GET path of the front door's OpenAPI document, walked with another tenant's key and with no key:
never a 200 that carries the first tenant's data (issue 17). New read routes are covered as they appear: each
path parameter and required query parameter is filled from the first tenant's records."""

from __future__ import annotations

import re
from datetime import date
from typing import Any
from uuid import uuid4

import pytest
from sqlalchemy import select

from otrcm_intake.adapters.store import patient_keys
from otrcm_shared.events import Envelope
from otrcm_shared.events.alerts import AlertRaised
from otrcm_shared.events.claim_status import ClaimStatus, ClaimStatusChanged
from otrcm_shared.events.plans import AuthorizationRecorded, PlanEventKind, PlanOfCareRecorded
from otrcm_status.usecases.handlers import on_claim_status_changed
from otrcm_status.usecases.records import on_alert_raised, on_authorization_recorded, on_plan_recorded
from tests.integration.intake.conftest import Intake

pytestmark = pytest.mark.integration

PARAMETER = re.compile(r"\{([a-z_]+)\}")


async def _patient_key(intake: Intake, tenant: str, patient_id: str) -> str:
    c = patient_keys.c
    async with intake.runtime.db.transaction() as session:
        found = await session.scalar(select(c.patient_key).where(c.tenant_id == tenant, c.patient_id == patient_id))
    assert found is not None, "the patient was recorded through the door"
    return str(found)


async def _records_in_the_status_service(intake: Intake, tenant: str, patient_key: str, ids: dict[str, str]) -> None:
    """A held claim, a plan, an authorization and an alert of the tenant, as the status service's consumer
    would have recorded them from their topics."""
    claim_id, plan_id, auth_id = ids["claim_id"], ids["plan_id"], ids["authorization_id"]
    claim = ClaimStatusChanged(
        claim_id=claim_id, revision=1, status=ClaimStatus.HELD, source="batch", patient_key=patient_key,
        payer_id="medicare-wps-j5", day_keys=("d",), encounter_ids=(ids["encounter_id"],),
        reasons=("referring-provider: missing",),
    )  # fmt: skip
    plan = PlanOfCareRecorded(plan_id=plan_id, patient_key=patient_key, kind=PlanEventKind.CREATED,
                              event_date=date(2026, 3, 2), duration_days=60)  # fmt: skip
    auth = AuthorizationRecorded(authorization_id=auth_id, patient_key=patient_key, payer_id="mo-healthnet-ffs",
                                 authorized=12, start_date=date(2026, 3, 1), end_date=date(2026, 5, 31))  # fmt: skip
    alert = AlertRaised(condition_id=f"{plan_id}:recert-due:2026-04-30", kind="recert-due", patient_key=patient_key,
                        subject_id=plan_id, message=f"plan {plan_id}: recertification due")  # fmt: skip
    async with intake.status_db.transaction() as session:
        for payload, handler in ((claim, on_claim_status_changed), (plan, on_plan_recorded),
                                 (auth, on_authorization_recorded), (alert, on_alert_raised)):  # fmt: skip
            event = Envelope.root(payload, tenant_id=tenant, subject="walk", natural_key=str(uuid4()), stage="walk")
            await handler(session, event)  # type: ignore[arg-type]


def _url(path: str, operation: dict[str, Any], values: dict[str, str]) -> str:
    url = PARAMETER.sub(lambda m: values[m.group(1)], path)
    required = [p["name"] for p in operation.get("parameters", ()) if p["in"] == "query" and p.get("required")]
    return url + ("?" + "&".join(f"{name}={values[name]}" for name in required) if required else "")


async def test_no_get_path_shows_one_tenants_data_to_another_or_to_no_one(intake: Intake, tenant: str) -> None:
    owner = await intake.onboard(tenant)
    marker = f"e-{uuid4().hex[:10]}"
    posted = await intake.client.post("/v1/encounters", json=owner.encounter(marker), headers=owner.headers)
    assert posted.status_code == 202, posted.text
    values = {
        "encounter_id": marker, "claim_id": f"C{uuid4().hex[:19].upper()}", "plan_id": f"plan-{uuid4().hex[:10]}",
        "authorization_id": f"auth-{uuid4().hex[:10]}", "patient_id": "mrn-1001",
    }  # fmt: skip
    await _records_in_the_status_service(intake, tenant, await _patient_key(intake, tenant, "mrn-1001"), values)
    secrets = (marker, values["claim_id"], values["plan_id"], values["authorization_id"], owner.npi)

    document = (await intake.client.get("/openapi.json")).json()
    paths = {path: methods["get"] for path, methods in document["paths"].items() if "get" in methods}
    assert {"/v1/encounters/{encounter_id}", "/v1/claims/{claim_id}", "/v1/worklist", "/v1/alerts",
            "/v1/plans-of-care/{plan_id}", "/v1/plans-of-care", "/v1/authorizations/{authorization_id}",
            "/v1/authorizations"} <= set(paths)  # fmt: skip
    for path, operation in paths.items():
        url = _url(path, operation, values)
        own = await intake.client.get(url, headers=owner.headers)
        assert own.status_code == 200, (path, own.status_code, own.text)  # the walk reaches real data
        intruder = await intake.onboard(f"{tenant}-{uuid4().hex[:4]}", patients=())
        for who, headers in (("another tenant", intruder.headers), ("no key", {})):
            answer = await intake.client.get(url, headers=headers)
            leaked: list[Any] = [s for s in secrets if s in answer.text] if answer.status_code == 200 else []
            assert leaked == [], f"{path} showed {who} the first tenant's {leaked}"
            assert answer.status_code in (200, 401, 404), (path, who, answer.status_code)
