"""The claims service started in-process on the real broker and PostgreSQL, with a temporary file drop
and inbox, and helpers to feed it events and wait for what it does."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from uuid import uuid4

import pytest
from sqlalchemy import select

from otrcm_claims.adapters import store
from otrcm_claims.entrypoints.app import build_jobs, build_runtime, service_app
from otrcm_claims.entrypoints.worker import ClaimsJobs
from otrcm_claims.settings import ClaimsSettings
from otrcm_shared.events import Envelope
from otrcm_shared.events.billing_providers import BillingProviderRegistered
from otrcm_shared.runtime.kafka import ensure_topics, make_broker
from otrcm_shared.runtime.service import ServiceRuntime
from otrcm_shared.runtime.telemetry import setup_tracing
from otrcm_shared.topics import BILLING_PROVIDERS, TopicSpec, all_topics, billing_provider_key, partition_key
from tests.support.claims_samples import billing_provider_registered


@dataclass
class RunningClaims:
    runtime: ServiceRuntime
    jobs: ClaimsJobs
    settings: ClaimsSettings
    tenant_id: str

    @property
    def outbox(self) -> Path:
        return self.settings.outbox_path

    @property
    def inbox(self) -> Path:
        return self.settings.ack_inbox_path

    async def publish(self, topic: TopicSpec, event: Envelope[Any], patient_key: str) -> None:
        producer = make_broker(self.settings, "test-claims-producer", setup_tracing("test"))
        await producer.start()
        try:
            await producer.publish(event.model_dump_json(), topic.name, key=partition_key(self.tenant_id, patient_key))
        finally:
            await producer.stop()

    async def register(self, registration: BillingProviderRegistered | None = None) -> None:
        """Register a billing provider to the tenant (the sample clinic's by default) and wait until the
        service has it, so the first batch already bills under it."""
        event = billing_provider_registered(self.tenant_id, registration)
        producer = make_broker(self.settings, "test-claims-producer", setup_tracing("test"))
        await producer.start()
        try:
            key = billing_provider_key(self.tenant_id, event.payload.npi)
            await producer.publish(event.model_dump_json(), BILLING_PROVIDERS.name, key=key)
        finally:
            await producer.stop()

        async def stored() -> Any:
            async with self.runtime.db.transaction() as session:
                return await store.active_billing_providers(session, self.tenant_id)

        await wait_until(stored, lambda found: found.get(event.payload.npi) == event.payload.model_dump(mode="json"))

    async def claims_of(self, patient_key: str) -> list[Any]:
        async with self.runtime.db.transaction() as session:
            query = select(store.claims).where(
                store.claims.c.tenant_id == self.tenant_id, store.claims.c.patient_key == patient_key
            )
            return list((await session.execute(query)).mappings().all())

    async def wait_for_claims(
        self, patient_key: str, done: Callable[[list[Any]], bool], timeout_s: float = 40.0
    ) -> list[Any]:
        return await wait_until(lambda: self.claims_of(patient_key), done, timeout_s)

    def drop_in_inbox(self, name: str, text: str) -> None:
        self.inbox.mkdir(parents=True, exist_ok=True)
        temporary = self.inbox / f".{name}.tmp"
        temporary.write_text(text)
        temporary.rename(self.inbox / name)

    def files_billing(self, claim_id: str) -> list[Path]:
        if not self.outbox.is_dir():
            return []
        return sorted(p for p in self.outbox.glob("837P-*.x12") if f"*{claim_id}*" in p.read_text())


async def wait_until(read: Callable[[], Awaitable[Any]], done: Callable[[Any], bool], timeout_s: float = 40.0) -> Any:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout_s
    value = await read()
    while not done(value) and loop.time() < deadline:
        await asyncio.sleep(0.2)
        value = await read()
    return value


def outcome_payloads(
    records: list[Any], claim_ids: set[str], statuses: frozenset[str] | None = None
) -> list[tuple[str, dict[str, Any]]]:
    """(topic, payload) of the records about ``claim_ids`` (only the steps to ``statuses`` when given)."""
    found = []
    for record in records:
        payload = json.loads(record.value)["payload"]
        if payload.get("claim_id") in claim_ids and (statuses is None or payload.get("status") in statuses):
            found.append((record.topic, payload))
    return found


ClaimsFactory = Callable[..., Awaitable[RunningClaims]]


@pytest.fixture
async def start_claims(kafka_bootstrap: str, postgres_base_url: str, tmp_path: Path) -> AsyncIterator[ClaimsFactory]:
    """Start the service (app + periodic batch) with settings overrides; stopped after the test."""
    apps = []

    async def start(*, registered: bool = True, **overrides: Any) -> RunningClaims:
        """``registered``: the tenant has the sample clinic's billing provider registered before it starts."""
        fields: dict[str, Any] = {
            "kafka_bootstrap": kafka_bootstrap,
            "database_url": postgres_base_url,
            "var_dir": tmp_path,
            "claims_cutoff_hours": 0,
            "claims_batch_interval_s": 0.3,
            **overrides,
        }
        settings = ClaimsSettings(**fields)
        await ensure_topics(settings, all_topics(), "test-admin")
        runtime = build_runtime(settings, setup_tracing("otrcm-claims-test"))
        jobs = build_jobs(runtime)
        app = service_app(runtime, jobs)
        await app.start()
        apps.append(app)
        claims = RunningClaims(runtime, jobs, settings, f"tenant-{uuid4().hex[:8]}")
        if registered:
            await claims.register()
        return claims

    yield start
    for app in apps:
        await app.stop()
