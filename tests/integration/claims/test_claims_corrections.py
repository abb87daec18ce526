"""Replacement and void claims (issue 19 item 1) in the claims service, on SQLite and PostgreSQL: a day that
changes after its claim left gets a replacement (CLM05-3 7) naming the payer's claim number in REF*F8, held
until the number is known and a biller approves it (or sent at once under an ``automatically`` policy); a
biller's void sends CLM05-3 8 with the sent claim's lines; every 837P written passes pyx12."""

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
from otrcm_claims.adapters.x12.validate import validate_x12_text
from otrcm_claims.entrypoints.ack_inbox import ingest_text
from otrcm_claims.usecases.batch import build_and_submit
from otrcm_claims.usecases.corrections import on_claim_action_requested, void_id_for
from otrcm_claims.usecases.handlers import on_billing_provider_registered, on_claim_lines_ready, on_patient_recorded
from otrcm_shared.events import Envelope
from otrcm_shared.events.claim_actions import ClaimAction, ClaimActionRequested
from otrcm_shared.runtime.db import Database
from otrcm_shared.runtime.tables import KitTables
from otrcm_shared.topics import CLAIM_STATUS
from tests.support.claims_samples import (
    billing_provider_registered,
    claim_ack_277ca,
    claim_lines_ready,
    clinic_registration,
    patient_recorded,
    ready_line,
)
from tests.support.databases import BACKENDS, isolated_database, url_for

pytestmark = pytest.mark.integration

LATER = datetime(2026, 6, 1, tzinfo=UTC)
CHICAGO = ZoneInfo("America/Chicago")
TABLES = KitTables(store.metadata)
PAYER_NUMBER = "WPS26071000123"


async def _batch(db: Database, drop: FileDropClearinghouse) -> Any:
    return await build_and_submit(db, TABLES, BillingProfiles.load(), drop, LATER, cutoff_hours=24, zone=CHICAGO)


async def _claim(db: Database, claim_id: str) -> Any:
    async with db.transaction() as session:
        return await store.claim_row(session, claim_id)


async def _claims(db: Database, tenant: str) -> list[Any]:
    async with db.transaction() as session:
        query = select(store.claims).where(store.claims.c.tenant_id == tenant)
        return list((await session.execute(query)).mappings().all())


async def _act(db: Database, tenant: str, claim_id: str, action: ClaimAction) -> None:
    asked = ClaimActionRequested(
        action_id=uuid4().hex, claim_id=claim_id, action=action, requested_by="key-biller-1", reason="billed in error"
    )
    event = Envelope.root(asked, tenant_id=tenant, subject=claim_id, natural_key=asked.action_id, stage="intake")
    async with db.transaction() as session:
        await on_claim_action_requested(session, event)


async def _steps(db: Database, claim_id: str) -> list[dict[str, Any]]:
    topic = TABLES.outbox.c.topic
    async with db.transaction() as session:
        rows = (await session.execute(select(TABLES.outbox.c.payload).where(topic == CLAIM_STATUS.name))).scalars()
        payloads = [json.loads(row)["payload"] for row in rows]
    return [payload for payload in payloads if payload["claim_id"] == claim_id]


def _sent_segments(outbox: Path, claim_id: str) -> list[str]:
    """The segments of the claim (CLM .. next claim or SE) in the 837P files written, each file passing pyx12."""
    for path in sorted(outbox.glob("*.x12")):
        text = path.read_text()
        segments = [segment for segment in text.split("~") if segment]
        starts = [i for i, s in enumerate(segments) if s.startswith(f"CLM*{claim_id}*")]
        if starts:
            assert validate_x12_text(text).pyx12_valid, path.name
            claim = segments[starts[0] :]
            return claim[: next((i for i, s in enumerate(claim[1:], 1) if s.startswith(("CLM*", "HL*", "SE*"))))]
    return []


async def _sent_original(db: Database, drop: FileDropClearinghouse, tenant: str, patient: str, policy: str) -> Any:
    """A day billed and sent, under a tenant whose corrections are sent ``policy``."""
    async with db.transaction() as session:
        await on_patient_recorded(session, patient_recorded(tenant, patient))
        registration = clinic_registration(corrections_sent=policy)
        await on_billing_provider_registered(session, billing_provider_registered(tenant, registration))
        await on_claim_lines_ready(session, claim_lines_ready(tenant, patient, lines=(ready_line(f"{patient}-e1#1"),)))
    [original] = (await _batch(db, drop)).submitted
    return await _claim(db, original)


async def _acknowledged(db: Database, original: Any, number: str | None = PAYER_NUMBER, stc: str = "A2:20:PR") -> None:
    ack = claim_ack_277ca(
        original["batch_reference"], original["claim_id"], original["charge"], stc, control=7, payer_claim_number=number
    )
    assert await ingest_text(db, TABLES, ack) is not None


async def _revised(db: Database, tenant: str, patient: str) -> None:
    """The day again, with a second visit's line (a revision that changes what is billed)."""
    lines = (ready_line(f"{patient}-e1#1"), ready_line(f"{patient}-e2#1", code="97110", units=1))
    async with db.transaction() as session:
        await on_claim_lines_ready(session, claim_lines_ready(tenant, patient, version=2, lines=lines))


@pytest.mark.parametrize("backend", BACKENDS)
async def test_a_revised_billed_day_is_replaced_after_approval_with_the_payers_number(
    backend: str, tmp_path: Path, postgres_base_url: str
) -> None:
    tenant, patient, drop = f"tenant-{uuid4().hex[:8]}", "pk-r1", FileDropClearinghouse(tmp_path / "outbox")
    async with isolated_database(url_for(backend, tmp_path, postgres_base_url), store.metadata) as db:
        original = await _sent_original(db, drop, tenant, patient, "after_approval")
        await _revised(db, tenant, patient)
        waiting = await _batch(db, drop)  # no payer number yet, no approval
        [replacement_id] = waiting.build.held
        assert [reason.split(":")[0] for reason in waiting.build.held[replacement_id]] == [
            "payer-claim-number", "approval-needed",
        ]  # fmt: skip
        await _acknowledged(db, original)
        numbered = await _batch(db, drop)
        assert [reason.split(":")[0] for reason in numbered.build.held[replacement_id]] == ["approval-needed"]
        await _act(db, tenant, replacement_id, ClaimAction.APPROVE)
        sent = await _batch(db, drop)
        again = await _batch(db, drop)
        steps = await _steps(db, replacement_id)
    assert sent.submitted == [replacement_id]
    assert again.submitted == [], "the replacement is sent once"
    assert again.build.held == {}
    segments = _sent_segments(tmp_path / "outbox", replacement_id)
    assert segments[0].split("*")[5] == "11:B:7", "CLM05-3 7: replacement of prior claim"
    assert f"REF*F8*{PAYER_NUMBER}" in segments
    assert sum(segment.startswith("SV1*") for segment in segments) == 2, "the day's lines as they now stand"
    assert {(step["frequency"], step["replaces_claim_id"]) for step in steps} == {("7", original["claim_id"])}
    assert [step["status"] for step in steps][-2:] == ["validated", "submitted"]


@pytest.mark.parametrize("backend", BACKENDS)
async def test_a_tenant_sending_corrections_automatically_needs_no_approval(
    backend: str, tmp_path: Path, postgres_base_url: str
) -> None:
    tenant, patient, drop = f"tenant-{uuid4().hex[:8]}", "pk-r2", FileDropClearinghouse(tmp_path / "outbox")
    async with isolated_database(url_for(backend, tmp_path, postgres_base_url), store.metadata) as db:
        original = await _sent_original(db, drop, tenant, patient, "automatically")
        await _acknowledged(db, original)
        await _revised(db, tenant, patient)
        sent = await _batch(db, drop)
    [replacement_id] = sent.submitted
    assert replacement_id != original["claim_id"]
    assert f"REF*F8*{PAYER_NUMBER}" in _sent_segments(tmp_path / "outbox", replacement_id)


@pytest.mark.parametrize("backend", BACKENDS)
async def test_a_new_version_billing_the_same_lines_sends_nothing(
    backend: str, tmp_path: Path, postgres_base_url: str
) -> None:
    tenant, patient, drop = f"tenant-{uuid4().hex[:8]}", "pk-r3", FileDropClearinghouse(tmp_path / "outbox")
    async with isolated_database(url_for(backend, tmp_path, postgres_base_url), store.metadata) as db:
        await _sent_original(db, drop, tenant, patient, "automatically")
        async with db.transaction() as session:  # a new verdict, the same lines
            same = (ready_line(f"{patient}-e1#1"),)
            await on_claim_lines_ready(session, claim_lines_ready(tenant, patient, version=2, lines=same))
        later = await _batch(db, drop)
        again = await _batch(db, drop)
        claims = await _claims(db, tenant)
    assert later.submitted == []
    assert later.build.held == {}
    assert "bills what claim" in later.build.pending[0]["reason"]
    assert again.build.pending == [], "noted once"
    assert len(claims) == 1


@pytest.mark.parametrize("backend", BACKENDS)
async def test_a_day_whose_claim_was_rejected_goes_again_as_an_original(
    backend: str, tmp_path: Path, postgres_base_url: str
) -> None:
    tenant, patient, drop = f"tenant-{uuid4().hex[:8]}", "pk-r4", FileDropClearinghouse(tmp_path / "outbox")
    async with isolated_database(url_for(backend, tmp_path, postgres_base_url), store.metadata) as db:
        original = await _sent_original(db, drop, tenant, patient, "after_approval")
        await _acknowledged(db, original, number=None, stc="A7:562:85")
        await _revised(db, tenant, patient)
        sent = await _batch(db, drop)
    [corrected] = sent.submitted
    segments = _sent_segments(tmp_path / "outbox", corrected)
    assert segments[0].split("*")[5] == "11:B:1"
    assert not any(segment.startswith("REF*F8") for segment in segments)


@pytest.mark.parametrize("backend", BACKENDS)
async def test_a_billers_void_repeats_the_sent_claim_with_frequency_8_after_approval(
    backend: str, tmp_path: Path, postgres_base_url: str
) -> None:
    tenant, patient, drop = f"tenant-{uuid4().hex[:8]}", "pk-v1", FileDropClearinghouse(tmp_path / "outbox")
    async with isolated_database(url_for(backend, tmp_path, postgres_base_url), store.metadata) as db:
        original = await _sent_original(db, drop, tenant, patient, "after_approval")
        await _acknowledged(db, original)
        await _act(db, tenant, original["claim_id"], ClaimAction.VOID)
        await _act(db, tenant, original["claim_id"], ClaimAction.VOID)  # asked twice: one void
        void_id = void_id_for(original["claim_id"])
        held = await _batch(db, drop)
        await _act(db, tenant, void_id, ClaimAction.APPROVE)
        sent = await _batch(db, drop)
        claims = await _claims(db, tenant)
        steps = await _steps(db, void_id)
    assert [reason.split(":")[0] for reason in held.build.held[void_id]] == ["approval-needed"]
    assert sent.submitted == [void_id]
    assert len(claims) == 2
    segments = _sent_segments(tmp_path / "outbox", void_id)
    original_segments = _sent_segments(tmp_path / "outbox", original["claim_id"])
    assert segments[0].split("*")[5] == "11:B:8", "CLM05-3 8: void of prior claim"
    assert segments[0].split("*")[2] == original_segments[0].split("*")[2], "the same charge as the claim voided"
    assert f"REF*F8*{PAYER_NUMBER}" in segments
    assert [s for s in segments if s.startswith("SV1*")] == [s for s in original_segments if s.startswith("SV1*")]
    assert {(step["frequency"], step["replaces_claim_id"]) for step in steps} == {("8", original["claim_id"])}


@pytest.mark.parametrize("backend", BACKENDS)
async def test_a_claim_not_sent_cannot_be_voided_and_another_tenant_cannot_act_on_it(
    backend: str, tmp_path: Path, postgres_base_url: str
) -> None:
    tenant, patient, drop = f"tenant-{uuid4().hex[:8]}", "pk-v2", FileDropClearinghouse(tmp_path / "outbox")
    async with isolated_database(url_for(backend, tmp_path, postgres_base_url), store.metadata) as db:
        original = await _sent_original(db, drop, tenant, patient, "automatically")
        await _act(db, "someone-else", original["claim_id"], ClaimAction.VOID)
        assert await _claim(db, void_id_for(original["claim_id"])) is None
        await _act(db, tenant, void_id_for("C-NOT-A-CLAIM"), ClaimAction.APPROVE)
        assert len(await _claims(db, tenant)) == 1


@pytest.mark.parametrize("backend", BACKENDS)
async def test_a_second_change_replaces_the_first_replacement_naming_its_number(
    backend: str, tmp_path: Path, postgres_base_url: str
) -> None:
    tenant, patient, drop = f"tenant-{uuid4().hex[:8]}", "pk-r5", FileDropClearinghouse(tmp_path / "outbox")
    async with isolated_database(url_for(backend, tmp_path, postgres_base_url), store.metadata) as db:
        original = await _sent_original(db, drop, tenant, patient, "automatically")
        await _acknowledged(db, original)
        await _revised(db, tenant, patient)
        [first_id] = (await _batch(db, drop)).submitted
        first = await _claim(db, first_id)
        await _acknowledged(db, first, number="WPS-SECOND-NUMBER")
        three = tuple(ready_line(f"{patient}-e{n}#1", code="97110", units=1) for n in (2, 3))
        async with db.transaction() as session:
            lines = (ready_line(f"{patient}-e1#1"), *three)
            await on_claim_lines_ready(session, claim_lines_ready(tenant, patient, version=3, lines=lines))
        [second_id] = (await _batch(db, drop)).submitted
        steps = await _steps(db, second_id)
    segments = _sent_segments(tmp_path / "outbox", second_id)
    assert "REF*F8*WPS-SECOND-NUMBER" in segments, "REF*F8 names the replacement the payer holds now"
    assert {step["replaces_claim_id"] for step in steps} == {first_id}
    assert sum(segment.startswith("SV1*") for segment in segments) == 3
