"""The whole pipeline in-process on the real broker and PostgreSQL (six services, the intake API behind an
httpx client, the status service's read API in-process), and a practice's onboarding: a key, billing NPIs
registered, the sample patient with a plan of care (certified unless told otherwise)."""

from __future__ import annotations

import asyncio
import importlib
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from otrcm_claims.adapters import store as claims_store
from otrcm_claims.entrypoints.app import build_jobs, service_app
from otrcm_claims.entrypoints.app import build_runtime as build_claims_runtime
from otrcm_claims.settings import ClaimsSettings
from otrcm_intake.adapters.keys import create_key
from otrcm_intake.adapters.status_reader import StatusReader
from otrcm_intake.entrypoints.api import create_api
from otrcm_intake.usecases.billing_providers import register_billing_provider
from otrcm_shared.events.billing_providers import BillingProviderRegistered
from otrcm_shared.runtime.kafka import ensure_topics
from otrcm_shared.runtime.service import ServiceRuntime
from otrcm_shared.runtime.settings import RuntimeSettings
from otrcm_shared.runtime.telemetry import setup_tracing
from otrcm_shared.topics import all_topics
from otrcm_status.entrypoints.api import build_read_api
from tests.support.intake_samples import billing_provider, fresh_tin, patient

TODAY = date(2026, 11, 20)
PHYSICIAN_NPI = "1339485728"  # in the sample provider directory (the referring, certifying physician)


CERTIFIED = {"kind": "certified", "event_date": "2026-10-02", "certifier_npi": PHYSICIAN_NPI,
             "certifier_credential": "MD"}  # fmt: skip


@dataclass
class Pipeline:
    client: httpx.AsyncClient
    intake: ServiceRuntime
    claims: ServiceRuntime
    outbox: Path
    runtimes: dict[str, ServiceRuntime] = field(default_factory=dict)  # every service, by name

    async def onboard(self, tenant: str, *npis: str, certified: bool = True, **registration: Any) -> dict[str, str]:
        """An API key; the given billing NPIs registered (fresh tax ids, and ``registration``'s fields); the sample
        patient with a plan of care, certified unless ``certified`` is false."""
        async with self.intake.db.transaction() as session:
            headers = {"X-API-Key": await create_key(session, tenant)}
            for npi in npis:
                body = billing_provider(npi, fresh_tin(), **registration)
                registered = BillingProviderRegistered.model_validate(body)
                assert (await register_billing_provider(session, tenant, registered)).outcome.value == "accepted"
        self.intake.wake_relay()
        plan = {"plan_id": "poc-1", "patient_id": "mrn-1001", "evaluation_date": "2026-10-01", "duration_days": 60}
        steps = [("/v1/patients", patient()), ("/v1/plans-of-care", plan)]
        for path, body in steps + ([("/v1/plans-of-care/poc-1/events", CERTIFIED)] if certified else []):
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
    intake = importlib.import_module("otrcm_intake.entrypoints.app").build_runtime(
        settings, setup_tracing("otrcm-intake")
    )
    status = importlib.import_module("otrcm_status.entrypoints.app").build_runtime(
        settings, setup_tracing("otrcm-status")
    )
    reader_transport = httpx.ASGITransport(app=build_read_api(status.db))
    reader = StatusReader(
        "http://status.test", httpx.AsyncClient(transport=reader_transport, base_url="http://status.test")
    )
    api = create_api(intake, today=lambda: TODAY, status=reader)
    claims_settings = ClaimsSettings(**settings.model_dump(), claims_cutoff_hours=0, claims_batch_interval_s=0.3)
    runtimes: dict[str, ServiceRuntime] = {"intake": intake, "status": status}
    async with AsyncExitStack() as stack:
        status_app = status.app("status")
        await status_app.start()
        stack.push_async_callback(status_app.stop)
        for name in ("units", "poc", "modifiers"):
            runtime = importlib.import_module(f"otrcm_{name}.entrypoints.app").build_runtime(
                settings, setup_tracing(name)
            )
            runtimes[name] = runtime
            app = runtime.app(name)
            await app.start()
            stack.push_async_callback(app.stop)
        claims = build_claims_runtime(claims_settings, setup_tracing("otrcm-claims"))
        runtimes["claims"] = claims
        claims_app = service_app(claims, build_jobs(claims))
        await claims_app.start()
        stack.push_async_callback(claims_app.stop)
        await stack.enter_async_context(api.router.lifespan_context(api))
        client = await stack.enter_async_context(
            httpx.AsyncClient(transport=httpx.ASGITransport(app=api), base_url="http://intake.test")
        )
        yield Pipeline(client, intake, claims, claims_settings.outbox_path, runtimes)
