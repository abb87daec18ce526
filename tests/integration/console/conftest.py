"""The console over the front door and the status service (both in-process on the real broker and PostgreSQL,
``tests/integration/status/conftest.py``), asked through httpx as a browser would: cookies kept, forms posted."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from uuid import uuid4

import httpx
import pytest

from otrcm_console.entrypoints.app import create_app
from otrcm_console.entrypoints.web import Console
from otrcm_intake.adapters.keys import create_key
from otrcm_intake.adapters.status_reader import StatusReader
from otrcm_intake.entrypoints.api import create_api
from otrcm_intake.entrypoints.app import build_runtime as build_intake
from otrcm_intake.settings import IntakeSettings
from otrcm_intake.usecases.billing_providers import register_billing_provider
from otrcm_shared.events.billing_providers import BillingProviderRegistered
from otrcm_shared.runtime.db import Database
from otrcm_status.adapters.store import metadata as status_metadata
from otrcm_status.entrypoints.api import build_read_api
from tests.integration.status.conftest import BUSINESS_DATE, Door
from tests.support.console import PASSWORD, console_with, enrol
from tests.support.intake_samples import billing_provider, encounter, fresh_npi, fresh_tin, patient

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_of(html: str) -> str:
    found = CSRF.search(html)
    assert found, "the page has a form with its CSRF token"
    return found.group(1)


@dataclass
class Site:
    console: Console
    app: object
    door: Door

    def browser(self, https: bool = False) -> httpx.AsyncClient:
        """A fresh cookie jar (one person's browser)."""
        base = "https://console.test" if https else "http://console.test"
        return httpx.AsyncClient(transport=httpx.ASGITransport(app=self.app), base_url=base)  # type: ignore[arg-type]

    async def signed_in(self, tenant: str, username: str, https: bool = False) -> tuple[httpx.AsyncClient, str]:
        """A browser signed in as ``username``, and its session's CSRF token (from the worklist's sign-out form)."""
        client = self.browser(https)
        token = csrf_of((await client.get("/sign-in")).text)
        signed = await client.post("/sign-in", data={"csrf_token": token, "tenant": tenant, "username": username,
                                                     "password": PASSWORD})  # fmt: skip
        assert signed.status_code == 303, signed.text
        home = await client.get("/")
        assert home.status_code == 200, home.text
        return client, csrf_of(home.text)

    async def tenant_with_encounter(self, encounter_id: str, *users: tuple[str, str]) -> tuple[str, dict[str, str]]:
        """A tenant of its own (a key, a billing NPI, a patient) with one accepted encounter, and ``users`` (name,
        role; default ``bea``, a biller: each argon2 hash costs real time, so only those a test signs in as)."""
        tenant, npi = f"console-{uuid4().hex[:8]}", fresh_npi()
        intake = self.door.intake
        async with intake.db.transaction() as session:
            headers = {"X-API-Key": await create_key(session, tenant)}
            registered = BillingProviderRegistered.model_validate(billing_provider(npi, fresh_tin()))
            await register_billing_provider(session, tenant, registered)
        client = self.door.client
        assert (await client.post("/v1/patients", json=patient(), headers=headers)).status_code == 202
        body = encounter(encounter_id, date_of_service="2026-06-01", billing_provider_npi=npi)
        accepted = await client.post("/v1/encounters", json=body, headers=headers)
        assert accepted.status_code == 202, accepted.text
        await enrol(self.console, tenant, headers["X-API-Key"], *(users or (("bea", "biller"),)))
        return tenant, headers


@pytest.fixture(scope="module")
async def door(
    kafka_bootstrap: str, postgres_base_url: str, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Door]:
    """The front door with the status service's read API in-process, once for the module: the console's tests
    read what the door accepted and never wait for the pipeline, so no consumer runs (they start in seconds)."""
    var = tmp_path_factory.mktemp("console")
    settings = IntakeSettings(kafka_bootstrap=kafka_bootstrap, database_url=postgres_base_url, var_dir=var)
    status_db = Database(postgres_base_url, schema=settings.schema_for("status"))
    await status_db.create_all(status_metadata)
    intake = build_intake(settings)
    read_api = build_read_api(status_db, today=lambda: BUSINESS_DATE)
    reader_client = httpx.AsyncClient(transport=httpx.ASGITransport(app=read_api), base_url="http://status.test")
    api = create_api(intake, status=StatusReader("http://status.test", reader_client))
    try:
        async with api.router.lifespan_context(api):
            async with intake.db.transaction() as session:
                headers = {"X-API-Key": await create_key(session, "console-door")}
            async with httpx.AsyncClient(
                transport=httpx.ASGITransport(app=api), base_url="http://intake.test"
            ) as client:
                yield Door(client, headers, "console-door", settings, intake)
    finally:
        await status_db.dispose()


@pytest.fixture
async def site(door: Door, postgres_base_url: str) -> AsyncIterator[Site]:
    console = console_with(postgres_base_url, door.client)
    yield Site(console, create_app(console), door)
    await console.db.dispose()
