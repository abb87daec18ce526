"""A running intake (API + its feed consumer) on the real broker and PostgreSQL, with captured spans; statuses are
read from the status service's read API over its tables (its consumer runs only where a test starts it)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from uuid import uuid4

import httpx
import pytest
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from otrcm_intake.adapters.keys import create_key
from otrcm_intake.adapters.status_reader import StatusReader
from otrcm_intake.entrypoints.api import create_api
from otrcm_intake.entrypoints.app import build_runtime
from otrcm_intake.settings import IntakeSettings
from otrcm_intake.usecases.billing_providers import register_billing_provider
from otrcm_shared.events.billing_providers import BillingProviderRegistered
from otrcm_shared.runtime.db import Database
from otrcm_shared.runtime.migrations import migrate
from otrcm_shared.runtime.service import ServiceRuntime
from otrcm_shared.runtime.telemetry import setup_tracing
from otrcm_status.adapters.store import metadata as status_metadata
from otrcm_status.entrypoints.api import build_read_api
from tests.support.infra import ROOT
from tests.support.intake_samples import billing_provider, encounter, fresh_npi, patient

TODAY = date(2026, 3, 20)


@dataclass
class Clinic:
    """A tenant ready to bill: an API key, a billing NPI registered to it, and the sample patient recorded."""

    tenant_id: str
    headers: dict[str, str]
    npi: str

    def encounter(self, encounter_id: str = "enc-1", **changes: Any) -> dict[str, Any]:
        return encounter(encounter_id, **{"billing_provider_npi": self.npi, **changes})


@dataclass
class Intake:
    client: httpx.AsyncClient
    runtime: ServiceRuntime
    spans: InMemorySpanExporter
    settings: IntakeSettings
    status_db: Database

    async def key_for(self, tenant_id: str) -> dict[str, str]:
        async with self.runtime.db.transaction() as session:
            return {"X-API-Key": await create_key(session, tenant_id)}

    async def register(self, tenant_id: str, npi: str | None = None) -> str:
        """Register a billing provider (a fresh NPI by default) to the tenant, as the operator would."""
        registration = BillingProviderRegistered.model_validate(billing_provider(npi or fresh_npi()))
        async with self.runtime.db.transaction() as session:
            recorded = await register_billing_provider(session, tenant_id, registration)
        assert recorded.outcome.value == "accepted", recorded.as_dict()
        self.runtime.wake_relay()
        return registration.npi

    async def onboard(self, tenant_id: str, *, patients: tuple[str, ...] = ("mrn-1001",)) -> Clinic:
        headers = await self.key_for(tenant_id)
        npi = await self.register(tenant_id)
        for patient_id in patients:
            response = await self.client.post("/v1/patients", json=patient(patient_id), headers=headers)
            assert response.status_code == 202, response.text
        return Clinic(tenant_id, headers, npi)


@dataclass
class BusinessDay:
    """A business date a test can move: the API judges keys' expiry on it."""

    day: date

    def __call__(self) -> date:
        return self.day


@asynccontextmanager
async def running_intake(
    kafka_bootstrap: str, postgres_base_url: str, var_dir: Path, today: date | Callable[[], date]
) -> AsyncIterator[Intake]:
    """``today``: the business date, or a clock a test moves (keys' expiry is judged on it)."""
    settings = IntakeSettings(kafka_bootstrap=kafka_bootstrap, database_url=postgres_base_url, var_dir=var_dir)
    spans = InMemorySpanExporter()
    runtime = build_runtime(settings, setup_tracing("otrcm-intake", spans))
    status_db = await status_tables(settings)
    clock = today if callable(today) else BusinessDay(today)
    api = create_api(runtime, today=clock, status=status_reader(status_db))
    try:
        async with api.router.lifespan_context(api):
            transport = httpx.ASGITransport(app=api)
            async with httpx.AsyncClient(transport=transport, base_url="http://intake.test") as client:
                yield Intake(client, runtime, spans, settings, status_db)
    finally:
        await status_db.dispose()


async def status_tables(settings: IntakeSettings) -> Database:
    """The status service's database with its tables (its migrations, as its runtime would run them)."""
    db = Database(settings.database_url_for("status"), schema=settings.schema_for("status"))
    await migrate(db, "status", status_metadata)
    return db


def status_reader(status_db: Database) -> StatusReader:
    """Intake's reader of the status service, talking to its read API in-process instead of on loopback."""
    transport = httpx.ASGITransport(app=build_read_api(status_db))
    return StatusReader("http://status.test", httpx.AsyncClient(transport=transport, base_url="http://status.test"))


@pytest.fixture
async def intake(kafka_bootstrap: str, postgres_base_url: str, tmp_path: Path) -> AsyncIterator[Intake]:
    async with running_intake(kafka_bootstrap, postgres_base_url, tmp_path, TODAY) as running:
        yield running


@pytest.fixture
async def examples_intake(kafka_bootstrap: str, postgres_base_url: str, tmp_path: Path) -> AsyncIterator[Intake]:
    """Intake on the sample practice's business date, for tests that send the example files' records."""
    practice = json.loads((ROOT / "examples" / "missouri_clinic" / "practice.json").read_text())
    today = date.fromisoformat(practice["business_date"])
    async with running_intake(kafka_bootstrap, postgres_base_url, tmp_path, today) as running:
        yield running


@pytest.fixture
def tenant() -> str:
    return f"tenant-{uuid4().hex[:8]}"
