"""A running intake (API + feed consumers) on the real broker and PostgreSQL, with captured spans."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from uuid import uuid4

import httpx
import pytest
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from otrcm_intake.api import create_api
from otrcm_intake.app import build_runtime
from otrcm_intake.keys import create_key
from otrcm_intake.settings import IntakeSettings
from otrcm_shared.runtime.service import ServiceRuntime
from otrcm_shared.runtime.telemetry import setup_tracing

TODAY = date(2026, 3, 20)


@dataclass
class Intake:
    client: httpx.AsyncClient
    runtime: ServiceRuntime
    spans: InMemorySpanExporter
    settings: IntakeSettings

    async def key_for(self, tenant_id: str) -> dict[str, str]:
        async with self.runtime.db.transaction() as session:
            return {"X-API-Key": await create_key(session, tenant_id)}


@pytest.fixture
async def intake(kafka_bootstrap: str, postgres_base_url: str, tmp_path: Path) -> AsyncIterator[Intake]:
    settings = IntakeSettings(kafka_bootstrap=kafka_bootstrap, database_url=postgres_base_url, var_dir=tmp_path)
    spans = InMemorySpanExporter()
    runtime = build_runtime(settings, setup_tracing("otrcm-intake", spans))
    api = create_api(runtime, today=lambda: TODAY)
    async with api.router.lifespan_context(api):
        transport = httpx.ASGITransport(app=api)
        async with httpx.AsyncClient(transport=transport, base_url="http://intake.test") as client:
            yield Intake(client, runtime, spans, settings)


@pytest.fixture
def tenant() -> str:
    return f"tenant-{uuid4().hex[:8]}"
