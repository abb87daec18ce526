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
from otrcm_intake.usecases.billing_providers import register_billing_provider
from otrcm_shared.events.billing_providers import BillingProviderRegistered
from tests.integration.status.conftest import Door, door  # noqa: F401 (the fixture, for the console's tests)
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

    async def tenant_with_encounter(self, encounter_id: str) -> tuple[str, dict[str, str]]:
        """A tenant of its own (a key, a billing NPI, a patient) with one accepted encounter, and its users
        ``bea`` (biller), ``sam`` (supervisor) and ``ada`` (admin)."""
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
        await enrol(self.console, tenant, headers["X-API-Key"], ("bea", "biller"), ("sam", "supervisor"),
                    ("ada", "admin"))  # fmt: skip
        return tenant, headers


@pytest.fixture
async def site(door: Door, postgres_base_url: str) -> AsyncIterator[Site]:  # noqa: F811
    console = console_with(postgres_base_url, door.client)
    yield Site(console, create_app(console), door)
    await console.db.dispose()
