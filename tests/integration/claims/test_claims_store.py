"""The claims store and batch on SQLite and PostgreSQL: newest version wins, control numbers increase,
a day waits for its patient record, a crash after writing an interchange writes it again (same file),
and an acknowledgment that asks for an invalid transition changes nothing."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from uuid import uuid4
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from otrcm_claims.adapters import store
from otrcm_claims.adapters.billing_profiles import BillingProfiles
from otrcm_claims.adapters.clearinghouse import FileDropClearinghouse
from otrcm_claims.entrypoints.ack_inbox import ingest_text
from otrcm_claims.usecases.batch import build_and_submit
from otrcm_claims.usecases.handlers import on_billing_provider_registered, on_claim_lines_ready, on_patient_recorded
from otrcm_shared.events.patients import Coverage
from otrcm_shared.runtime.db import Database
from otrcm_shared.runtime.tables import KitTables
from otrcm_shared.topics import CLAIM_STATUS
from tests.support.claims_samples import (
    CLINIC_NPI,
    MEDICARE,
    billing_provider_registered,
    claim_ack_277ca,
    claim_lines_ready,
    patient_recorded,
    ready_line,
)
from tests.support.databases import BACKENDS, isolated_database, url_for

pytestmark = pytest.mark.integration

LATER = datetime(2026, 6, 1, tzinfo=UTC)
CHICAGO = ZoneInfo("America/Chicago")
TABLES = KitTables(store.metadata)


class CrashingOnce(FileDropClearinghouse):
    """Writes the file, then fails once, like a process killed before it could record the submission."""

    crashed = False

    async def submit(self, interchange_control_number: int, text: str) -> str:
        where = await super().submit(interchange_control_number, text)
        if not self.crashed:
            self.crashed = True
            raise ConnectionError("killed after the write")
        return where


async def _batch(db: Database, drop: FileDropClearinghouse) -> Any:
    return await build_and_submit(db, TABLES, BillingProfiles.load(), drop, LATER, cutoff_hours=24, zone=CHICAGO)


async def _claims(db: Database, tenant: str) -> list[Any]:
    async with db.transaction() as session:
        query = select(store.claims).where(store.claims.c.tenant_id == tenant)
        return list((await session.execute(query)).mappings().all())


@pytest.mark.parametrize("backend", BACKENDS)
async def test_newest_version_wins_and_control_numbers_increase(
    backend: str, tmp_path: Path, postgres_base_url: str
) -> None:
    tenant, patient = f"tenant-{uuid4().hex[:8]}", "pk-1"
    v1, v2 = (claim_lines_ready(tenant, patient, version=v, lines=(ready_line("e#1", units=v),)) for v in (1, 2))
    async with isolated_database(url_for(backend, tmp_path, postgres_base_url), store.metadata) as db:
        for event in (v2, v1):
            async with db.transaction() as session:
                await on_claim_lines_ready(session, event)
        async with db.transaction() as session:
            row = (await session.execute(select(store.ready_days))).mappings().one()
            numbers = [await store.next_control_number(session, "interchange") for _ in range(3)]
    assert (row["version"], row["ready"]["lines"][0]["units"], row["claimed"]) == (2, 2, False)
    assert numbers == [1, 2, 3]


@pytest.mark.parametrize("backend", BACKENDS)
async def test_a_day_waits_for_its_patient_then_a_crash_after_the_write_writes_the_same_file_again(
    backend: str, tmp_path: Path, postgres_base_url: str
) -> None:
    tenant, patient = f"tenant-{uuid4().hex[:8]}", "pk-2"
    drop = CrashingOnce(tmp_path / "outbox")
    async with isolated_database(url_for(backend, tmp_path, postgres_base_url), store.metadata) as db:
        async with db.transaction() as session:
            await on_billing_provider_registered(session, billing_provider_registered(tenant))
            await on_claim_lines_ready(session, claim_lines_ready(tenant, patient))
        waiting = await _batch(db, drop)
        assert [entry["reason"] for entry in waiting.build.pending] == ["no patient record yet"]
        assert await _claims(db, tenant) == []

        async with db.transaction() as session:
            await on_patient_recorded(session, patient_recorded(tenant, patient))
        with pytest.raises(ConnectionError):
            await _batch(db, drop)
        [claim] = await _claims(db, tenant)
        assert claim["status"] == "validated"

        resumed = await _batch(db, drop)
        [claim] = await _claims(db, tenant)
        async with db.transaction() as session:
            staged = list(await session.scalars(select(TABLES.outbox.c.topic).order_by(TABLES.outbox.c.id)))
    assert resumed.submitted == [claim["claim_id"]]
    assert claim["status"] == "submitted"
    assert [p.name for p in (tmp_path / "outbox").iterdir()] == [f"837P-{claim['interchange_control_number']:09d}.x12"]
    # built and validated in the first batch, then submitted once, after the write: one stream, no .v1 topic
    assert staged == ["otrcm.claims.status-changed.v2"] * 3


@pytest.mark.parametrize("backend", BACKENDS)
async def test_an_acknowledgment_for_a_claim_that_cannot_take_it_changes_nothing(
    backend: str, tmp_path: Path, postgres_base_url: str
) -> None:
    tenant, patient = f"tenant-{uuid4().hex[:8]}", "pk-3"
    async with isolated_database(url_for(backend, tmp_path, postgres_base_url), store.metadata) as db:
        async with db.transaction() as session:
            await on_patient_recorded(session, patient_recorded(tenant, patient))
            await on_billing_provider_registered(session, billing_provider_registered(tenant))
            await on_claim_lines_ready(session, claim_lines_ready(tenant, patient))
        await _batch(db, FileDropClearinghouse(tmp_path / "outbox"))
        [claim] = await _claims(db, tenant)
        reject = claim_ack_277ca(claim["batch_reference"], claim["claim_id"], "120", "A7:562:85", control=1)
        accept = claim_ack_277ca(claim["batch_reference"], claim["claim_id"], "120", "A2:20:PR", control=2)
        first = await ingest_text(db, TABLES, reject)
        late = await ingest_text(db, TABLES, accept)
        again = await ingest_text(db, TABLES, reject)
        [claim] = await _claims(db, tenant)
    assert first is not None
    assert first.changes == [f"{claim['claim_id']}: submitted -> rejected"]
    assert late is not None
    assert late.changes == []
    assert late.notes == [
        f"claim {claim['claim_id']}: cannot go from rejected to accepted (allowed from rejected: none)"
    ]
    assert again is None  # the same file content twice is read once
    assert claim["status"] == "rejected"


async def _staged_steps(db: Database, claim_id: str, status: str) -> list[dict[str, Any]]:
    """The claim's steps to ``status`` staged for otrcm.claims.status-changed.v2."""
    topic = TABLES.outbox.c.topic
    async with db.transaction() as session:
        rows = (await session.execute(select(TABLES.outbox.c.payload).where(topic == CLAIM_STATUS.name))).scalars()
        payloads = [json.loads(row)["payload"] for row in rows]
    return [payload for payload in payloads if payload["claim_id"] == claim_id and payload["status"] == status]


@pytest.mark.parametrize("backend", BACKENDS)
async def test_a_held_claim_is_rebuilt_and_submitted_once_a_new_patient_record_fixes_it(
    backend: str, tmp_path: Path, postgres_base_url: str
) -> None:
    tenant, patient = f"tenant-{uuid4().hex[:8]}", "pk-4"
    record = patient_recorded(tenant, patient)
    dependent = record.payload.model_copy(
        update={"coverages": (Coverage(payer_id=MEDICARE, member_id="1EG4TE5MK73", relationship_to_subscriber="19"),)}
    )
    drop = FileDropClearinghouse(tmp_path / "outbox")
    async with isolated_database(url_for(backend, tmp_path, postgres_base_url), store.metadata) as db:
        async with db.transaction() as session:
            await on_patient_recorded(session, record.model_copy(update={"payload": dependent}))
            await on_billing_provider_registered(session, billing_provider_registered(tenant))
            await on_claim_lines_ready(session, claim_lines_ready(tenant, patient))
        first = await _batch(db, drop)
        [held] = await _claims(db, tenant)
        announced = await _staged_steps(db, held["claim_id"], "held")
        async with db.transaction() as session:
            await on_patient_recorded(session, record)
        second = await _batch(db, drop)
        [claim] = await _claims(db, tenant)
    assert list(first.build.held) == [held["claim_id"]]
    assert held["status"] == "held"
    assert held["reasons"][0].startswith("subscriber:")
    # Found by the fault suite: a held claim used to be silent, so its encounters stayed "ready" forever.
    assert [(p["status"], p["encounter_ids"], p["reasons"], p["billing_provider_npi"]) for p in announced] == [
        ("held", held["encounter_ids"], held["reasons"], CLINIC_NPI)
    ]
    assert second.submitted == [held["claim_id"]]
    assert claim["status"] == "submitted"
    assert "rebuild: the patient record changed" in claim["reasons"]


@pytest.mark.parametrize("backend", BACKENDS)
async def test_one_unreadable_stored_day_does_not_stop_the_other_claims(
    backend: str, tmp_path: Path, postgres_base_url: str
) -> None:
    """Found by the fault suite: a stored day that no longer parsed failed the whole batch, every tenant."""
    tenant, patient = f"tenant-{uuid4().hex[:8]}", "pk-6"
    async with isolated_database(url_for(backend, tmp_path, postgres_base_url), store.metadata) as db:
        async with db.transaction() as session:
            await on_patient_recorded(session, patient_recorded(tenant, patient))
            await on_billing_provider_registered(session, billing_provider_registered(tenant))
            await on_claim_lines_ready(session, claim_lines_ready(tenant, patient))
            await session.execute(
                store.ready_days.insert().values(
                    tenant_id=tenant, day_key="broken-day", version=1, patient_key=patient, payer_id=MEDICARE,
                    billing_provider_npi="1234567893", date_of_service=datetime(2026, 3, 2).date(),
                    ready={"day_key": "broken-day"}, claimed=False, updated_at=store.utc_now(),
                )
            )  # fmt: skip
        report = await _batch(db, FileDropClearinghouse(tmp_path / "outbox"))
        [claim] = await _claims(db, tenant)
    assert report.submitted == [claim["claim_id"]]
    [pending] = [p for p in report.build.pending if p["day_key"] == "broken-day"]
    assert pending["reason"].startswith("stored ready day unreadable: version: missing")


@pytest.mark.parametrize("backend", BACKENDS)
async def test_a_day_that_changes_after_its_claim_left_becomes_a_held_correction(
    backend: str, tmp_path: Path, postgres_base_url: str
) -> None:
    """Found by the fault suite: a second visit pooled into a day whose claim was already sent was never
    billed and its encounter waited at "ready" forever. It is now a held replacement naming the sent claim
    (waiting for the payer's claim number and a biller's approval: test_claims_corrections.py)."""
    tenant, patient = f"tenant-{uuid4().hex[:8]}", "pk-7"
    first = (ready_line(f"{patient}-enc-1#1"),)
    both = (ready_line(f"{patient}-enc-1#1"), ready_line(f"{patient}-enc-2#1", code="97110", units=1))
    drop = FileDropClearinghouse(tmp_path / "outbox")
    async with isolated_database(url_for(backend, tmp_path, postgres_base_url), store.metadata) as db:
        async with db.transaction() as session:
            await on_patient_recorded(session, patient_recorded(tenant, patient))
            await on_billing_provider_registered(session, billing_provider_registered(tenant))
            await on_claim_lines_ready(session, claim_lines_ready(tenant, patient, lines=first))
        sent = await _batch(db, drop)
        async with db.transaction() as session:
            await on_claim_lines_ready(session, claim_lines_ready(tenant, patient, version=2, lines=both))
        later = await _batch(db, drop)
        again = await _batch(db, drop)
        claims = {claim["status"]: claim for claim in await _claims(db, tenant)}
        announced = await _staged_steps(db, claims["held"]["claim_id"], "held")
    original = sent.submitted[0]
    assert later.submitted == []
    assert claims["submitted"]["claim_id"] == original
    assert claims["held"]["reasons"][0].startswith(
        "payer-claim-number: the replacement (CLM05-3 7) of claim " + original
    )
    assert [p["encounter_ids"] for p in announced] == [[f"{patient}-enc-1", f"{patient}-enc-2"]]
    assert again.build.held == {}  # the correction is made once
    assert again.build.pending == []
    assert len(list((tmp_path / "outbox").glob("*.x12"))) == 1  # and nothing is sent twice
