"""One encounter, one trace: from the intake request through units, poc, modifiers and claims, carried
in Kafka headers and through every outbox (in-memory span exporter, real broker and PostgreSQL)."""

from __future__ import annotations

import asyncio
import importlib
from contextlib import AsyncExitStack
from datetime import date
from pathlib import Path
from uuid import uuid4

import httpx
import pytest
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from otrcm_intake.adapters.keys import create_key
from otrcm_intake.entrypoints.api import create_api
from otrcm_intake.usecases.billing_providers import register_billing_provider
from otrcm_shared.events.billing_providers import BillingProviderRegistered
from otrcm_shared.runtime.kafka import ensure_topics
from otrcm_shared.runtime.settings import RuntimeSettings
from otrcm_shared.runtime.telemetry import setup_tracing
from otrcm_shared.topics import all_topics
from tests.support.intake_samples import billing_provider, encounter, fresh_npi, patient

pytestmark = pytest.mark.e2e

PIPELINE = ("units", "poc", "modifiers", "claims")


async def test_one_encounter_one_trace_across_five_services(
    kafka_bootstrap: str, postgres_base_url: str, tmp_path: Path
) -> None:
    settings = RuntimeSettings(kafka_bootstrap=kafka_bootstrap, database_url=postgres_base_url, var_dir=tmp_path)
    await ensure_topics(settings, all_topics(), "test-admin")
    spans = InMemorySpanExporter()
    tenant = f"tenant-trace-{uuid4().hex[:8]}"
    intake_runtime = importlib.import_module("otrcm_intake.entrypoints.app").build_runtime(
        settings, setup_tracing("otrcm-intake", spans, sample_ratio=1.0)
    )
    api = create_api(intake_runtime, today=lambda: date(2025, 12, 31))
    async with AsyncExitStack() as stack:
        for name in PIPELINE:
            runtime = importlib.import_module(f"otrcm_{name}.entrypoints.app").build_runtime(
                settings, setup_tracing(f"otrcm-{name}", spans, sample_ratio=1.0)
            )
            app = runtime.app(name)
            await app.start()
            stack.push_async_callback(app.stop)
        await stack.enter_async_context(api.router.lifespan_context(api))
        client = await stack.enter_async_context(
            httpx.AsyncClient(transport=httpx.ASGITransport(app=api), base_url="http://intake.test")
        )
        registration = BillingProviderRegistered.model_validate(billing_provider(fresh_npi()))
        async with intake_runtime.db.transaction() as session:
            headers = {"X-API-Key": await create_key(session, tenant)}
            await register_billing_provider(session, tenant, registration)
        plan = {"plan_id": "poc-t", "patient_id": "mrn-1001", "evaluation_date": "2025-12-01", "duration_days": 60}
        certified = {"kind": "certified", "event_date": "2025-12-02", "certifier_npi": "1234567893",
                     "certifier_credential": "MD"}  # fmt: skip
        assert (await client.post("/v1/patients", json=patient(), headers=headers)).status_code == 202
        assert (await client.post("/v1/plans-of-care", json=plan, headers=headers)).status_code == 202
        step = await client.post("/v1/plans-of-care/poc-t/events", json=certified, headers=headers)
        assert step.status_code == 202
        await asyncio.sleep(1.0)  # let the plan reach poc before the encounter does
        body = encounter("enc-trace", date_of_service="2025-12-03", billing_provider_npi=registration.npi)
        response = await client.post("/v1/encounters", json=body, headers=headers)
        assert response.status_code == 202, response.text

        (request,) = [
            s
            for s in spans.get_finished_spans()
            if s.name == "intake.http" and s.attributes and s.attributes.get("http.route") == "/v1/encounters"
        ]
        trace_id = request.context.trace_id

        def services_in_trace() -> set[str]:
            return {
                str(s.resource.attributes["service.name"])
                for s in spans.get_finished_spans()
                if s.context.trace_id == trace_id
            }

        for _ in range(300):
            if "otrcm-claims" in services_in_trace():
                break
            await asyncio.sleep(0.1)
    assert services_in_trace() >= {f"otrcm-{name}" for name in ("intake", *PIPELINE)}
