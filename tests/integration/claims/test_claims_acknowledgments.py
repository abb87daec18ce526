"""Closing the loop on the real broker and PostgreSQL: 277CA, 999 and 835 files dropped in the inbox
move claims to accepted, rejected, paid, denied (with the category on the denied step of
``claims.status-changed.v2``) and back to accepted on a reversal; each file is moved to ``processed/``."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

import pytest

from otrcm_claims.adapters.x12 import validate_x12_text
from otrcm_claims.domain.lifecycle import ClaimState
from otrcm_shared.topics import CLAIM_LINES_READY, CLAIM_STATUS, PATIENTS
from tests.integration.claims.conftest import ClaimsFactory, RunningClaims, outcome_payloads
from tests.support.claims_samples import (
    claim_ack_277ca,
    claim_lines_ready,
    patient_recorded,
    remittance_835,
    syntax_ack_999,
)
from tests.support.kafka_tools import end_offsets, read_from

pytestmark = pytest.mark.integration

# the steps an acknowledgment makes (the claim stream also carries built, validated, submitted ...)
ACKNOWLEDGED = frozenset({"accepted", "rejected", "paid", "partially_paid", "denied"})


async def _submitted_claim(claims: RunningClaims) -> tuple[str, Any]:
    patient = f"pk-{uuid4().hex[:8]}"
    await claims.publish(PATIENTS, patient_recorded(claims.tenant_id, patient), patient)
    await claims.publish(CLAIM_LINES_READY, claim_lines_ready(claims.tenant_id, patient), patient)
    [claim] = await claims.wait_for_claims(patient, lambda rows: bool(rows) and rows[0]["status"] == "submitted")
    assert claim["status"] == ClaimState.SUBMITTED
    return patient, claim


async def _status_after(claims: RunningClaims, patient: str, wanted: str) -> Any:
    [claim] = await claims.wait_for_claims(patient, lambda rows: rows[0]["status"] == wanted)
    return claim


async def _offsets(claims: RunningClaims) -> dict[Any, int]:
    return await end_offsets(claims.settings.kafka_bootstrap, CLAIM_STATUS.name)


async def test_a_277ca_accepts_one_claim_and_rejects_another_and_a_999_rejects_a_third(
    start_claims: ClaimsFactory,
) -> None:
    claims = await start_claims()
    start = await _offsets(claims)
    (first_patient, first), (second_patient, second) = [await _submitted_claim(claims) for _ in range(2)]
    accept = claim_ack_277ca(first["batch_reference"], first["claim_id"], "120", "A2:20:PR", control=9001)
    reject = claim_ack_277ca(second["batch_reference"], second["claim_id"], "120", "A7:562:85", control=9002)
    assert validate_x12_text(accept).pyx12_valid, validate_x12_text(accept).issues
    claims.drop_in_inbox("ack-accept.277", accept)
    claims.drop_in_inbox("ack-reject.277", reject)

    assert (await _status_after(claims, first_patient, "accepted"))["status"] == ClaimState.ACCEPTED
    rejected = await _status_after(claims, second_patient, "rejected")
    words = "277CA STC A7:562:85 (rejected for invalid information; status code 562; about the billing provider)"
    assert words in rejected["reasons"]

    third_patient, third = await _submitted_claim(claims)
    syntax_reject = syntax_ack_999(third["interchange_control_number"], accepted=False, control=9003)
    assert validate_x12_text(syntax_reject).pyx12_valid, validate_x12_text(syntax_reject).issues
    claims.drop_in_inbox("syntax.999", syntax_reject)
    assert (await _status_after(claims, third_patient, "rejected"))["status"] == ClaimState.REJECTED

    ids = {first["claim_id"], second["claim_id"], third["claim_id"]}
    records = await read_from(
        claims.settings.kafka_bootstrap,
        start,
        until=lambda rs: len(outcome_payloads(rs, ids, ACKNOWLEDGED)) >= 3,
        settle_s=1.0,
    )
    found = {(p["claim_id"], p["status"], p["source"]) for _, p in outcome_payloads(records, ids, ACKNOWLEDGED)}
    assert found == {
        (first["claim_id"], "accepted", "277ca"),
        (second["claim_id"], "rejected", "277ca"),
        (third["claim_id"], "rejected", "999"),
    }
    processed = sorted(path.name for path in (claims.inbox / "processed").iterdir())
    assert processed == ["ack-accept.277", "ack-reject.277", "syntax.999"]


async def test_an_835_pays_one_claim_denies_another_and_a_reversal_takes_the_payment_back(
    start_claims: ClaimsFactory,
) -> None:
    claims = await start_claims()
    start = await _offsets(claims)
    (paid_patient, to_pay), (denied_patient, to_deny) = [await _submitted_claim(claims) for _ in range(2)]
    payment = remittance_835(to_pay["claim_id"], "120", "96", "1", "97530:GO", ["CAS*CO*45*24"], control=9101)
    denial = remittance_835(to_deny["claim_id"], "120", "0", "4", "97530:GO", ["CAS*CO*50*120"], control=9102)
    for text in (payment, denial):
        assert validate_x12_text(text).pyx12_valid, validate_x12_text(text).issues
    claims.drop_in_inbox("era-paid.835", payment)
    claims.drop_in_inbox("era-denied.835", denial)

    paid = await _status_after(claims, paid_patient, "paid")
    assert paid["paid"] == "96"
    denied = await _status_after(claims, denied_patient, "denied")
    assert any("not_medically_necessary" in reason for reason in denied["reasons"])

    ids = {to_pay["claim_id"], to_deny["claim_id"]}
    records = await read_from(
        claims.settings.kafka_bootstrap,
        start,
        until=lambda rs: len(outcome_payloads(rs, ids, ACKNOWLEDGED)) >= 2,
        settle_s=1.0,
    )
    by_claim = {payload["claim_id"]: payload for _, payload in outcome_payloads(records, ids, ACKNOWLEDGED)}
    paid_event = by_claim[to_pay["claim_id"]]
    assert (paid_event["status"], paid_event["paid"]) == ("paid", "96")
    assert [(a["group"], a["carc"], a["category"]) for a in paid_event["adjustments"]] == [("CO", "45", None)]
    posting = paid_event["posting"]  # posted line by line: 120 charged = 96 paid + 24 CO-45
    assert (posting["trace_number"], posting["payment_date"], posting["payment_method"]) == (
        "TRACE9101", "2026-04-15", "CHK",
    )  # fmt: skip
    assert posting["payer_claim_control_number"] == "PCN9101"
    assert posting["balance"] == {"charged": "120", "allowed": "96", "paid": "96", "adjusted": "24",
                                  "patient_responsibility": "0", "balanced": True}  # fmt: skip
    [line] = posting["lines"]
    assert (line["line_key"], line["procedure_code"], line["balance"]["paid"]) == (
        f"{paid_patient}-enc-1#1", "97530", "96",
    )  # fmt: skip
    denied_event = by_claim[to_deny["claim_id"]]
    assert denied_event["status"] == "denied"
    assert denied_event["denial_category"] == "not_medically_necessary"
    assert denied_event["line_keys"] == [f"{denied_patient}-enc-1#1"]
    assert [(a["carc"], a["category"]) for a in denied_event["adjustments"]] == [("50", "not_medically_necessary")]

    reversal = remittance_835(to_pay["claim_id"], "-120", "-96", "22", "97530:GO", ["CAS*CO*45*-24"], control=9103)
    claims.drop_in_inbox("era-reversal.835", reversal)
    reversed_claim = await _status_after(claims, paid_patient, "accepted")
    assert any("reversal" in reason for reason in reversed_claim["reasons"])


async def test_an_unreadable_file_goes_to_failed_with_a_reason(start_claims: ClaimsFactory) -> None:
    claims = await start_claims()
    claims.drop_in_inbox("garbage.txt", "this is not X12")

    async def failed() -> list[str]:
        folder = claims.inbox / "failed"
        return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []

    from tests.integration.claims.conftest import wait_until

    assert await wait_until(failed, lambda names: len(names) == 2) == ["garbage.txt", "garbage.txt.reason.txt"]
    assert "UnreadableAcknowledgment" in (claims.inbox / "failed" / "garbage.txt.reason.txt").read_text()
