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
import importlib
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from uuid import uuid4

import httpx
import pytest
from sqlalchemy import select

from otrcm_claims import store as claims_store
from otrcm_claims.app import build_jobs, service_app
from otrcm_claims.app import build_runtime as build_claims_runtime
from otrcm_claims.settings import ClaimsSettings
from otrcm_claims.x12 import validate_x12_text
from otrcm_intake.api import create_api
from otrcm_intake.billing_providers import register_billing_provider
from otrcm_intake.keys import create_key
from otrcm_shared.events.billing_providers import BillingProviderRegistered
from otrcm_shared.runtime.kafka import ensure_topics
from otrcm_shared.runtime.service import ServiceRuntime
from otrcm_shared.runtime.settings import RuntimeSettings
from otrcm_shared.runtime.telemetry import setup_tracing
from otrcm_shared.topics import all_topics
from tests.integration.claims.test_claims_billing_identity import billed_as
from tests.support.intake_samples import billing_provider, encounter, fresh_npi, fresh_tin, patient

pytestmark = pytest.mark.e2e

TODAY = date(2026, 11, 20)
DAY = "2026-10-05"
PHYSICIAN_NPI = "1339485728"  # in the sample provider directory (the referring, certifying physician)


@dataclass
class Pipeline:
    client: httpx.AsyncClient
    intake: ServiceRuntime
    claims: ServiceRuntime
    outbox: Path

    async def onboard(self, tenant: str, *npis: str) -> dict[str, str]:
        """An API key; the given billing NPIs registered (fresh tax ids); the sample patient with a certified plan."""
        async with self.intake.db.transaction() as session:
            headers = {"X-API-Key": await create_key(session, tenant)}
            for npi in npis:
                registration = BillingProviderRegistered.model_validate(billing_provider(npi, fresh_tin()))
                assert (await register_billing_provider(session, tenant, registration)).outcome.value == "accepted"
        self.intake.wake_relay()
        plan = {"plan_id": "poc-1", "patient_id": "mrn-1001", "evaluation_date": "2026-10-01", "duration_days": 60}
        certified = {"kind": "certified", "event_date": "2026-10-02", "certifier_npi": PHYSICIAN_NPI,
                     "certifier_credential": "MD"}  # fmt: skip
        for path, body in (
            ("/v1/patients", patient()),
            ("/v1/plans-of-care", plan),
            ("/v1/plans-of-care/poc-1/events", certified),
        ):
            response = await self.client.post(path, json=body, headers=headers)
            assert response.status_code == 202, response.text
        await asyncio.sleep(1.0)  # the plan reaches poc before the encounters do
        return headers

    async def claims_of(self, tenant: str) -> list[Any]:
        async with self.claims.db.transaction() as session:
            query = select(claims_store.claims).where(claims_store.claims.c.tenant_id == tenant)
            return list((await session.execute(query)).mappings().all())

    async def wait_for_claims(self, tenant: str, count: int, timeout_s: float = 60.0) -> list[Any]:
        for _ in range(int(timeout_s / 0.25)):
            rows = await self.claims_of(tenant)
            if len(rows) >= count and all(row["status"] == "submitted" for row in rows):
                return rows
            await asyncio.sleep(0.25)
        return await self.claims_of(tenant)

    def files(self) -> list[str]:
        return [path.read_text() for path in sorted(self.outbox.glob("837P-*.x12"))]


@pytest.fixture
async def pipeline(kafka_bootstrap: str, postgres_base_url: str, tmp_path: Path) -> AsyncIterator[Pipeline]:
    settings = RuntimeSettings(kafka_bootstrap=kafka_bootstrap, database_url=postgres_base_url, var_dir=tmp_path)
    await ensure_topics(settings, all_topics(), "test-admin")
    intake = importlib.import_module("otrcm_intake.app").build_runtime(settings, setup_tracing("otrcm-intake"))
    api = create_api(intake, today=lambda: TODAY)
    claims_settings = ClaimsSettings(**settings.model_dump(), claims_cutoff_hours=0, claims_batch_interval_s=0.3)
    async with AsyncExitStack() as stack:
        for name in ("units", "poc", "modifiers"):
            runtime = importlib.import_module(f"otrcm_{name}.app").build_runtime(settings, setup_tracing(name))
            app = runtime.app(name)
            await app.start()
            stack.push_async_callback(app.stop)
        claims = build_claims_runtime(claims_settings, setup_tracing("otrcm-claims"))
        claims_app = service_app(claims, build_jobs(claims))
        await claims_app.start()
        stack.push_async_callback(claims_app.stop)
        await stack.enter_async_context(api.router.lifespan_context(api))
        client = await stack.enter_async_context(
            httpx.AsyncClient(transport=httpx.ASGITransport(app=api), base_url="http://intake.test")
        )
        yield Pipeline(client, intake, claims, claims_settings.outbox_path)


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
