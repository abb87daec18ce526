"""Days that wait for a patient record cost a batch nothing each (SQLite and PostgreSQL): a day whose patient
never arrives stays unclaimed for good, and a batch that looked each one up paid a statement per day on every
run, so its runs slowed down as such days piled up. The batch issues as many statements with 31 of them as
with one, reports every one of them pending, and still builds the day whose record is there."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from uuid import uuid4
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import event

from otrcm_claims.adapters import store
from otrcm_claims.adapters.billing_profiles import BillingProfiles
from otrcm_claims.usecases.batch_build import BuildReport, build_due_claims
from otrcm_claims.usecases.handlers import on_billing_provider_registered, on_claim_lines_ready, on_patient_recorded
from otrcm_shared.runtime.db import Database
from tests.support.claims_samples import billing_provider_registered, claim_lines_ready, patient_recorded
from tests.support.databases import BACKENDS, isolated_database, url_for

pytestmark = pytest.mark.integration

LATER = datetime(2026, 6, 1, tzinfo=UTC)
CHICAGO = ZoneInfo("America/Chicago")


async def _counted_build(db: Database) -> tuple[BuildReport, int]:
    """A batch's build, rolled back; with the number of statements it sent to the database."""
    statements = 0

    def count(*_args: object) -> None:
        nonlocal statements
        statements += 1

    event.listen(db.engine.sync_engine, "before_cursor_execute", count)
    try:
        async with db.transaction() as session:
            report = await build_due_claims(session, BillingProfiles.load(), LATER, 24, CHICAGO)
            await session.rollback()
    finally:
        event.remove(db.engine.sync_engine, "before_cursor_execute", count)
    return report, statements


@pytest.mark.parametrize("backend", BACKENDS)
async def test_days_waiting_for_their_patient_add_no_statement_to_a_batch(
    backend: str, tmp_path: Path, postgres_base_url: str
) -> None:
    tenant = f"tenant-{uuid4().hex[:8]}"
    async with isolated_database(url_for(backend, tmp_path, postgres_base_url), store.metadata) as db:
        async with db.transaction() as session:
            await on_billing_provider_registered(session, billing_provider_registered(tenant))
            await on_patient_recorded(session, patient_recorded(tenant, "pk-known"))
            await on_claim_lines_ready(session, claim_lines_ready(tenant, "pk-known"))
            await on_claim_lines_ready(session, claim_lines_ready(tenant, "pk-never-0"))
        one_waiting, statements_with_one = await _counted_build(db)

        async with db.transaction() as session:
            for n in range(1, 31):
                await on_claim_lines_ready(session, claim_lines_ready(tenant, f"pk-never-{n}"))
        many_waiting, statements_with_many = await _counted_build(db)

    assert [entry["reason"] for entry in one_waiting.pending] == ["no patient record yet"]
    assert [entry["reason"] for entry in many_waiting.pending] == ["no patient record yet"] * 31
    assert len(one_waiting.validated) == len(many_waiting.validated) == 1  # the known patient's day is built
    assert statements_with_many == statements_with_one
