"""Eligibility requests that wait take turns, and a new fact moves them up (SQLite and PostgreSQL). A run
tries at most ``limit`` unsent requests; waiting ones used to be taken oldest first, so once more than
``limit`` requests waited for good the newer ones were never tried again, even after their facts arrived.
Now the one tried longest ago goes first, and a patient record or a billing provider registration makes the
tenant's waiting requests pending again, ahead of every waiting one."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from uuid import uuid4

import pytest

from otrcm_claims.adapters import store
from otrcm_claims.adapters.eligibility_store import remember_request, request_row, requests_to_send, set_request
from otrcm_claims.usecases.handlers import on_billing_provider_registered, on_patient_recorded
from otrcm_shared.runtime.db import Database
from tests.support.claims_samples import billing_provider_registered, patient_recorded
from tests.support.databases import BACKENDS, isolated_database, url_for

pytestmark = pytest.mark.integration


async def _waiting(db: Database, tenant: str, *requests: tuple[str, str]) -> None:
    """Ask for each (request id, patient key) and mark it waiting, one transaction each (in this order)."""
    for request_id, patient in requests:
        async with db.transaction() as session:
            values = {
                "request_id": request_id,
                "patient_key": patient,
                "payer_id": "medicare-wps-j5",
                "service_date": date(2026, 11, 2),
                "reason": "new_patient",
            }
            await remember_request(session, tenant, values)
        await _tried(db, request_id)


async def _tried(db: Database, request_id: str) -> None:
    async with db.transaction() as session:
        await set_request(session, request_id, status="waiting", note="patient: no patient record yet")


async def _next(db: Database, limit: int) -> list[str]:
    async with db.transaction() as session:
        return [row["request_id"] for row in await requests_to_send(session, limit=limit)]


@pytest.mark.parametrize("backend", BACKENDS)
async def test_waiting_requests_take_turns_when_more_wait_than_a_run_takes(
    backend: str, tmp_path: Path, postgres_base_url: str
) -> None:
    tenant = f"tenant-{uuid4().hex[:8]}"
    first, second, third = (f"{tenant}-{n}"[:20] for n in (1, 2, 3))
    async with isolated_database(url_for(backend, tmp_path, postgres_base_url), store.metadata) as db:
        await _waiting(db, tenant, (first, "pk-1"), (second, "pk-2"), (third, "pk-3"))
        taken = await _next(db, limit=2)
        for request_id in taken:
            await _tried(db, request_id)
        after = await _next(db, limit=2)
    assert taken == [first, second]
    assert after == [third, first]  # the one never tried again goes first


@pytest.mark.parametrize("backend", BACKENDS)
async def test_a_patient_record_or_a_registration_makes_waiting_requests_pending_again(
    backend: str, tmp_path: Path, postgres_base_url: str
) -> None:
    tenant = f"tenant-{uuid4().hex[:8]}"
    mine, other, later = (f"{tenant}-{n}"[:20] for n in ("a", "b", "c"))
    async with isolated_database(url_for(backend, tmp_path, postgres_base_url), store.metadata) as db:
        await _waiting(db, tenant, (mine, "pk-mine"), (other, "pk-other"))
        async with db.transaction() as session:
            await on_patient_recorded(session, patient_recorded(tenant, "pk-mine"))
            statuses = [(await request_row(session, r))["status"] for r in (mine, other)]
        first_in_line = await _next(db, limit=1)

        await _waiting(db, tenant, (later, "pk-later"))
        async with db.transaction() as session:
            await on_billing_provider_registered(session, billing_provider_registered(tenant))
            after_registration = sorted([(await request_row(session, r))["status"] for r in (mine, other, later)])
    assert statuses == ["pending", "waiting"]  # only the recorded patient's request
    assert first_in_line == [mine]
    assert after_registration == ["pending", "pending", "pending"]  # the whole tenant's
