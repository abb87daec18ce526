"""The front door (intake's API) and the status service with its consumer, both in-process on the real broker and
PostgreSQL; the status service's read API answers intake in-process instead of on loopback (docs/adr/011)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from uuid import uuid4

import httpx
import pytest

from otrcm_intake.adapters.keys import create_key
from otrcm_intake.adapters.status_reader import StatusReader
from otrcm_intake.adapters.store import patient_keys
from otrcm_intake.entrypoints.api import create_api
from otrcm_intake.entrypoints.app import build_runtime as build_intake
from otrcm_intake.settings import IntakeSettings
from otrcm_shared.runtime.service import ServiceRuntime
from otrcm_shared.runtime.telemetry import setup_tracing
from otrcm_status.entrypoints.api import build_read_api
from otrcm_status.entrypoints.app import build_runtime

BUSINESS_DATE = date(2026, 6, 15)  # "today" of the read models (progress reports, a plan's standing)


@dataclass
class Door:
    client: httpx.AsyncClient
    headers: dict[str, str]
    tenant: str
    settings: IntakeSettings
    intake: ServiceRuntime

    async def get(self, url: str, headers: dict[str, str] | None = None, status: int = 200) -> Any:
        """GET through the front door (with this tenant's key unless ``headers`` are given), expecting ``status``."""
        response = await self.client.get(url, headers=self.headers if headers is None else headers)
        assert response.status_code == status, (url, response.status_code, response.text)
        return response.json()

    async def patient(self, patient_id: str) -> str:
        """A patient of this tenant, as the door records one (its opaque key), and the key."""
        patient_key = str(uuid4())
        async with self.intake.db.transaction() as session:
            await session.execute(patient_keys.insert().values(
                tenant_id=self.tenant, patient_id=patient_id, patient_key=patient_key))  # fmt: skip
        return patient_key

    async def another_tenant(self) -> dict[str, str]:
        async with self.intake.db.transaction() as session:
            return {"X-API-Key": await create_key(session, f"{self.tenant}-other")}

    async def status(self, encounter_id: str) -> dict[str, Any]:
        response = await self.client.get(f"/v1/encounters/{encounter_id}", headers=self.headers)
        assert response.status_code == 200, response.text
        found: dict[str, Any] = response.json()
        return found

    async def until(self, encounter_id: str, status: str, timeout_s: float = 30.0) -> dict[str, Any]:
        seen: dict[str, Any] = {}
        for _ in range(int(timeout_s / 0.2)):
            seen = await self.status(encounter_id)
            if seen["status"] == status:
                return seen
            await asyncio.sleep(0.2)
        raise AssertionError(f"{encounter_id} is {seen.get('status')}, not {status}: {seen}")


@pytest.fixture
async def door(kafka_bootstrap: str, postgres_base_url: str, tmp_path: Path) -> AsyncIterator[Door]:
    """Intake's API (the one front door) and the status service with its consumer, both in-process."""
    settings = IntakeSettings(kafka_bootstrap=kafka_bootstrap, database_url=postgres_base_url, var_dir=tmp_path)
    status = build_runtime(settings, setup_tracing("otrcm-status-test"))
    status_app = status.app("status")
    intake = build_intake(settings, setup_tracing("otrcm-intake-test"))
    read_api = build_read_api(status.db, today=lambda: BUSINESS_DATE)
    reader_client = httpx.AsyncClient(transport=httpx.ASGITransport(app=read_api), base_url="http://status.test")
    api = create_api(intake, status=StatusReader("http://status.test", reader_client))
    tenant = f"tenant-{uuid4().hex[:8]}"
    await status_app.start()
    try:
        async with api.router.lifespan_context(api):
            async with intake.db.transaction() as session:
                headers = {"X-API-Key": await create_key(session, tenant)}
            transport = httpx.ASGITransport(app=api)
            async with httpx.AsyncClient(transport=transport, base_url="http://intake.test") as client:
                yield Door(client, headers, tenant, settings, intake)
    finally:
        await status_app.stop()
