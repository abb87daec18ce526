"""A batch builds its claims a range of patients per transaction (SQLite and PostgreSQL), so its memory is
bounded by a range and not by everything due. Cut into ranges of about 3 days, the batch bills exactly what
one range of everything bills: the same claims with the same days, each submitted, in more interchanges; and
a patient whose days fill more than a range is never split between two claims."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import uuid4
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import event, select

from otrcm_claims.adapters import store
from otrcm_claims.adapters.billing_profiles import BillingProfiles
from otrcm_claims.adapters.clearinghouse import FileDropClearinghouse
from otrcm_claims.adapters.due_days import PatientRange, patient_ranges
from otrcm_claims.usecases import batch
from otrcm_claims.usecases.handlers import on_billing_provider_registered, on_claim_lines_ready, on_patient_recorded
from otrcm_shared.runtime.tables import KitTables
from tests.support.claims_samples import billing_provider_registered, claim_lines_ready, patient_recorded
from tests.support.databases import BACKENDS, isolated_database, url_for

pytestmark = pytest.mark.integration

LATER = datetime(2026, 6, 1, tzinfo=UTC)
CHICAGO = ZoneInfo("America/Chicago")
TABLES = KitTables(store.metadata)
DAYS_OF = {"pk-a": 1, "pk-b": 2, "pk-c": 5, "pk-d": 1, "pk-e": 2}  # 11 days, pk-c's more than a range


async def _batch_of_everything(url: str, tenant: str, drop: Path, days_per_transaction: int) -> dict[str, Any]:
    """The same days through one batch cut into ranges of ``days_per_transaction``: what it billed."""
    async with isolated_database(url, store.metadata) as db:
        async with db.transaction() as session:
            await on_billing_provider_registered(session, billing_provider_registered(tenant))
            for patient_key, count in DAYS_OF.items():
                await on_patient_recorded(session, patient_recorded(tenant, patient_key))
                for n in range(count):
                    on = date(2026, 3, 2) + timedelta(days=n)
                    await on_claim_lines_ready(session, claim_lines_ready(tenant, patient_key, on=on))
        async with db.transaction() as session:
            ranges = await patient_ranges(session, days_per_transaction)
        commits = 0

        def count_commit(*_args: object) -> None:
            nonlocal commits
            commits += 1

        event.listen(db.engine.sync_engine, "commit", count_commit)
        original = batch.DAYS_PER_TRANSACTION
        batch.DAYS_PER_TRANSACTION = days_per_transaction
        try:
            report = await batch.build_and_submit(
                db, TABLES, BillingProfiles.load(), FileDropClearinghouse(drop), LATER, cutoff_hours=24, zone=CHICAGO
            )
        finally:
            batch.DAYS_PER_TRANSACTION = original
            event.remove(db.engine.sync_engine, "commit", count_commit)
        async with db.transaction() as session:
            rows = (await session.execute(select(store.claims).where(store.claims.c.tenant_id == tenant))).mappings()
            claims = {row["claim_id"]: (sorted(row["day_keys"]), row["status"]) for row in rows}
            left = await session.scalar(
                select(store.ready_days.c.day_key).where(store.ready_days.c.claimed.is_(False)).limit(1)
            )
    return {"ranges": ranges, "report": report, "claims": claims, "commits": commits, "unclaimed": left}


@pytest.mark.parametrize("backend", BACKENDS)
async def test_a_batch_in_ranges_bills_what_one_range_bills(
    backend: str, tmp_path: Path, postgres_base_url: str
) -> None:
    tenant = f"tenant-{uuid4().hex[:8]}"
    for where in ("ranges", "whole"):
        (tmp_path / where).mkdir()
    url = url_for(backend, tmp_path / "ranges", postgres_base_url)
    in_ranges = await _batch_of_everything(url, tenant, tmp_path / "drop-ranges", 3)
    url = url_for(backend, tmp_path / "whole", postgres_base_url)
    whole = await _batch_of_everything(url, tenant, tmp_path / "drop-whole", 2000)

    assert in_ranges["ranges"] == [
        PatientRange((tenant, "pk-a"), (tenant, "pk-b")),  # 1 + 2 days
        PatientRange((tenant, "pk-c"), (tenant, "pk-c")),  # 5 days: a range of its own, never split
        PatientRange((tenant, "pk-d"), (tenant, "pk-e")),  # 1 + 2 days
    ]
    assert whole["ranges"] == [PatientRange((tenant, "pk-a"), (tenant, "pk-e"))]
    assert in_ranges["claims"] == whole["claims"], "the same claims, each with the same days"
    assert {status for _, status in whole["claims"].values()} == {"submitted"}
    assert {day.split("/")[0] for days, _ in whole["claims"].values() for day in days} == set(DAYS_OF)
    assert (in_ranges["unclaimed"], whole["unclaimed"]) == (None, None), "every day claimed"
    assert sorted(in_ranges["report"].submitted) == sorted(whole["report"].submitted) == sorted(whole["claims"])
    assert (len(in_ranges["report"].build.interchanges), len(whole["report"].build.interchanges)) == (3, 1)
    assert in_ranges["commits"] - whole["commits"] >= 2, "each range commits on its own"
