"""Issue 14, finding 1, on the real broker and PostgreSQL: only acknowledgments addressed to us move a claim.

A 999, 277CA or 835 whose envelope names another submitter (with control numbers that collide with
ours) changes nothing: it is reported as ``not_ours`` with the reason, recorded for a person and moved
to ``not-ours/`` with a ``.reason.txt``. A wrong rejection that did move a claim is reversed by the
admin command or by a later acknowledgment of ours, and every step stays in the claim's history.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
from pathlib import Path
from typing import Any
from uuid import uuid4

import pytest
from sqlalchemy import select

from otrcm_claims.adapters import store
from otrcm_claims.domain.lifecycle import ClaimState
from otrcm_shared.topics import CLAIM_LINES_READY, CLAIM_STATUS, PATIENTS
from tests.integration.claims.conftest import ClaimsFactory, RunningClaims, outcome_payloads, wait_until
from tests.support.claims_samples import (
    CLINIC_NPI,
    claim_ack_277ca,
    claim_lines_ready,
    patient_recorded,
    remittance_835,
    syntax_ack_999,
)
from tests.support.kafka_tools import end_offsets, read_from

pytestmark = pytest.mark.integration

ANOTHER_SUBMITTER = "OTHERSUB9"
ANOTHER_CLEARINGHOUSE = "OTHERCH7"
ANOTHER_NPI = "1497758544"
ANOTHER_TIN = "987654321"


async def _submitted_claim(claims: RunningClaims) -> tuple[str, Any]:
    patient = f"pk-{uuid4().hex[:8]}"
    await claims.publish(PATIENTS, patient_recorded(claims.tenant_id, patient), patient)
    await claims.publish(CLAIM_LINES_READY, claim_lines_ready(claims.tenant_id, patient), patient)
    [claim] = await claims.wait_for_claims(patient, lambda rows: bool(rows) and rows[0]["status"] == "submitted")
    return patient, claim


async def _read_once(claims: RunningClaims, name: str) -> None:
    """Wait until the inbox poll has taken the file ``name`` away (wherever it put it)."""

    async def waiting() -> bool:
        return (claims.inbox / name).exists()

    assert await wait_until(waiting, lambda still_there: not still_there) is False


async def _claim(claims: RunningClaims, patient: str) -> Any:
    [claim] = await claims.claims_of(patient)
    return claim


async def _foreign(claims: RunningClaims, text: str) -> list[Any]:
    """The record kept of this acknowledgment (by its SHA-256: the database outlives the test)."""
    digest = hashlib.sha256(text.encode()).hexdigest()
    async with claims.runtime.db.transaction() as session:
        query = select(store.foreign_acknowledgments).where(store.foreign_acknowledgments.c.digest == digest)
        return list((await session.execute(query)).mappings().all())


# every claim that left has these first steps: built, validated, submitted (all by the batch)
SENT = [("", "built", "batch"), ("built", "validated", "batch"), ("validated", "submitted", "batch")]


async def _history(claims: RunningClaims, claim_id: str) -> list[tuple[str, str, str]]:
    async with claims.runtime.db.transaction() as session:
        changes = store.claim_status_changes
        query = select(changes).where(changes.c.claim_id == claim_id).order_by(changes.c.step)
        rows = (await session.execute(query)).mappings().all()
    return [(row["from_status"], row["to_status"], row["source"]) for row in rows]


def _kept_as_not_ours(inbox: Path, name: str) -> str:
    assert (inbox / "not-ours" / name).is_file()
    assert not (inbox / "processed" / name).exists()
    return (inbox / "not-ours" / f"{name}.reason.txt").read_text()


async def test_a_999_addressed_to_another_submitter_with_our_group_number_leaves_the_claim_submitted(
    start_claims: ClaimsFactory,
) -> None:
    claims = await start_claims()
    patient, claim = await _submitted_claim(claims)
    foreign = syntax_ack_999(
        claim["interchange_control_number"],  # AK1 collides with our interchange's GS06
        accepted=False,
        control=9201,
        addressed_to=ANOTHER_SUBMITTER,
        from_=ANOTHER_CLEARINGHOUSE,
    )
    claims.drop_in_inbox("foreign.999", foreign)
    await _read_once(claims, "foreign.999")
    await asyncio.sleep(0.5)

    assert (await _claim(claims, patient))["status"] == ClaimState.SUBMITTED
    reason = _kept_as_not_ours(claims.inbox, "foreign.999")
    assert ANOTHER_SUBMITTER in reason
    [kept] = await _foreign(claims, foreign)
    assert (kept["kind"], kept["reason"], kept["file_name"]) == ("999", reason.strip(), "foreign.999")
    assert await _history(claims, claim["claim_id"]) == [*SENT]


async def test_a_277ca_and_an_835_addressed_to_another_submitter_change_nothing(start_claims: ClaimsFactory) -> None:
    claims = await start_claims()
    patient, claim = await _submitted_claim(claims)
    rejection = claim_ack_277ca(
        claim["batch_reference"], claim["claim_id"], "120", "A7:562:85", control=9301, addressed_to=ANOTHER_SUBMITTER
    )
    denial = remittance_835(
        claim["claim_id"], "120", "0", "4", "97530:GO", ["CAS*CO*50*120"], control=9302,
        addressed_to=ANOTHER_SUBMITTER, payee_npi=ANOTHER_NPI, payee_tin=ANOTHER_TIN,
    )  # fmt: skip
    claims.drop_in_inbox("foreign.277", rejection)
    claims.drop_in_inbox("foreign.835", denial)
    await _read_once(claims, "foreign.277")
    await _read_once(claims, "foreign.835")
    await asyncio.sleep(0.5)

    assert (await _claim(claims, patient))["status"] == ClaimState.SUBMITTED
    for name, kind, text in (("foreign.277", "277", rejection), ("foreign.835", "835", denial)):
        reason = _kept_as_not_ours(claims.inbox, name)
        assert ANOTHER_SUBMITTER in reason
        assert [row["kind"] for row in await _foreign(claims, text)] == [kind]

    # An 835 addressed to us but paying another billing provider is not ours either.
    other_payee = remittance_835(
        claim["claim_id"], "120", "96", "1", "97530:GO", ["CAS*CO*45*24"], control=9303, payee_npi=ANOTHER_NPI
    )
    path = claims.settings.var_dir / "other-payee.835"
    path.write_text(other_payee)
    from otrcm_claims.entrypoints.ack_inbox import ingest_file

    report = await ingest_file(claims.runtime.db, claims.jobs.tables, path)
    assert (report.kind, report.outcome, report.changes) == ("835", "not_ours", [])
    assert any("payee" in note and ANOTHER_NPI in note for note in report.notes)
    assert (await _claim(claims, patient))["status"] == ClaimState.SUBMITTED


async def _wrongly_rejected(claims: RunningClaims) -> tuple[str, Any]:
    """A claim rejected by a 999 that was addressed to us (the clearinghouse's mistake)."""
    patient, claim = await _submitted_claim(claims)
    wrong = syntax_ack_999(claim["interchange_control_number"], accepted=False, control=9401)
    claims.drop_in_inbox(f"wrong-{patient}.999", wrong)
    [rejected] = await claims.wait_for_claims(patient, lambda rows: rows[0]["status"] == "rejected")
    assert rejected["status"] == ClaimState.REJECTED
    return patient, claim


async def test_a_wrong_rejection_is_reversed_by_the_admin_command_with_the_history_kept(
    start_claims: ClaimsFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    claims = await start_claims()
    start = await end_offsets(claims.settings.kafka_bootstrap, CLAIM_STATUS.name)
    patient, claim = await _wrongly_rejected(claims)
    monkeypatch.setenv("OTRCM_DATABASE_URL", claims.settings.database_url or "")
    monkeypatch.setenv("OTRCM_KAFKA_BOOTSTRAP", claims.settings.kafka_bootstrap)
    monkeypatch.setenv("OTRCM_VAR_DIR", str(claims.settings.var_dir))
    from otrcm_claims.entrypoints.cli import main

    argv = ["reverse", claim["claim_id"], "--to", "submitted", "--reason", "999 was sent in error (ticket 88)"]
    assert await asyncio.to_thread(main, argv) == 0

    restored = await _claim(claims, patient)
    assert restored["status"] == ClaimState.SUBMITTED
    assert await _history(claims, claim["claim_id"]) == [
        *SENT,
        ("submitted", "rejected", "999"),
        ("rejected", "submitted", "admin"),
    ]
    assert "reversal by an administrator: step 4 (999, rejected restored to submitted) undone" in restored["reasons"]
    async with claims.runtime.db.transaction() as session:
        changes = store.claim_status_changes
        query = select(changes.c.note, changes.c.reverses_step).where(
            changes.c.claim_id == claim["claim_id"], changes.c.source == "admin"
        )
        rows = (await session.execute(query)).all()
    assert rows == [("999 was sent in error (ticket 88)", 4)]  # step 4: the 999, after built, validated, submitted
    ids, sent = {claim["claim_id"]}, frozenset({"submitted"})
    records = await read_from(
        claims.settings.kafka_bootstrap, start, until=lambda rs: len(outcome_payloads(rs, ids, sent)) >= 2, settle_s=1.0
    )
    steps = [(payload["status"], payload["source"]) for _, payload in outcome_payloads(records, ids, sent)]
    assert steps == [("submitted", "batch"), ("submitted", "admin")]  # sent, then restored after the wrong rejection

    # Nothing else can be reversed: the claim's last change is now the admin's, not an acknowledgment's.
    assert await asyncio.to_thread(main, argv) == 1


async def test_a_wrong_rejection_is_reversed_by_a_later_277ca_of_ours(start_claims: ClaimsFactory) -> None:
    claims = await start_claims()
    start = await end_offsets(claims.settings.kafka_bootstrap, CLAIM_STATUS.name)
    patient, claim = await _wrongly_rejected(claims)
    accept = claim_ack_277ca(claim["batch_reference"], claim["claim_id"], "120", "A2:20:PR", control=9501)
    claims.drop_in_inbox("correct.277", accept)

    [accepted] = await claims.wait_for_claims(patient, lambda rows: rows[0]["status"] == "accepted")
    assert accepted["status"] == ClaimState.ACCEPTED
    assert await _history(claims, claim["claim_id"]) == [
        *SENT,
        ("submitted", "rejected", "999"),
        ("rejected", "accepted", "277ca"),
    ]
    ids, accepted_steps = {claim["claim_id"]}, frozenset({"accepted"})
    records = await read_from(
        claims.settings.kafka_bootstrap,
        start,
        until=lambda rs: len(outcome_payloads(rs, ids, accepted_steps)) >= 1,
        settle_s=1.0,
    )
    assert [p["source"] for _, p in outcome_payloads(records, ids, accepted_steps)] == ["277ca"]


async def test_a_claims_life_is_one_ordered_stream_of_numbered_steps_on_the_v2_topic(
    start_claims: ClaimsFactory,
) -> None:
    """Built, validated, submitted, rejected by a 999, accepted by the 277CA correcting it: five
    ClaimStatusChanged, revisions 1-5, one key (tenant and patient key) so one partition, in order; every
    step names the billing provider the claim bills under (the tenant's registered NPI)."""
    claims = await start_claims()
    start = await end_offsets(claims.settings.kafka_bootstrap, CLAIM_STATUS.name)
    patient, claim = await _wrongly_rejected(claims)
    accept = claim_ack_277ca(claim["batch_reference"], claim["claim_id"], "120", "A2:20:PR", control=9502)
    claims.drop_in_inbox("stream.277", accept)
    await claims.wait_for_claims(patient, lambda rows: rows[0]["status"] == "accepted")

    ids = {claim["claim_id"]}
    records = await read_from(
        claims.settings.kafka_bootstrap, start, until=lambda rs: len(outcome_payloads(rs, ids)) >= 5, settle_s=1.0
    )
    mine = [record for record in records if json.loads(record.value)["payload"]["claim_id"] in ids]
    steps = [(p["revision"], p["previous_status"], p["status"], p["source"]) for _, p in outcome_payloads(mine, ids)]
    assert steps == [
        (1, None, "built", "batch"),
        (2, "built", "validated", "batch"),
        (3, "validated", "submitted", "batch"),
        (4, "submitted", "rejected", "999"),
        (5, "rejected", "accepted", "277ca"),
    ]
    assert {record.key for record in mine} == {f"{claims.tenant_id}:{patient}".encode()}
    assert len({record.partition for record in mine}) == 1
    envelopes = [json.loads(record.value) for record in mine]
    assert len({envelope["event_id"] for envelope in envelopes}) == 5
    assert {envelope["schema_version"] for envelope in envelopes} == {2}
    assert {envelope["payload"]["billing_provider_npi"] for envelope in envelopes} == {CLINIC_NPI}
    assert all(patient not in " ".join(envelope["payload"]["reasons"]) for envelope in envelopes)


async def test_the_fault_suites_foreign_acknowledgments_move_nothing_and_the_invariant_holds(
    start_claims: ClaimsFactory,
) -> None:
    from tests.faults.foreign_acks import acknowledgment_rows, drop_foreign_acknowledgments
    from tests.faults.invariants import claims_moved_by_acknowledgments_not_addressed_to_them
    from tests.faults.observe import Observations, record_acknowledgments

    claims = await start_claims()
    patient, claim = await _wrongly_rejected(claims)  # one change by an acknowledgment that is ours
    accept = claim_ack_277ca(claim["batch_reference"], claim["claim_id"], "120", "A2:20:PR", control=9601)
    claims.drop_in_inbox("correct.277", accept)
    await claims.wait_for_claims(patient, lambda rows: rows[0]["status"] == "accepted")
    names = drop_foreign_acknowledgments(
        claims.inbox,
        interchange_control_number=claim["interchange_control_number"],
        batch_reference=claim["batch_reference"],
        claim_id=claim["claim_id"],
    )
    for name in names:
        await _read_once(claims, name)
        _kept_as_not_ours(claims.inbox, name)
    assert (await _claim(claims, patient))["status"] == ClaimState.ACCEPTED

    observations = Observations()
    record_acknowledgments(
        observations, *await acknowledgment_rows(claims.settings.database_url or "", claims.tenant_id)
    )
    assert [c["source"] for c in observations.claim_status_changes] == ["batch", "batch", "batch", "999", "277ca"]
    assert claims_moved_by_acknowledgments_not_addressed_to_them(observations) == []
