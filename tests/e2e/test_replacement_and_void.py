"""Replacement and void claims through the whole pipeline on the real broker and PostgreSQL (issue 19 item 1):
a billed day revised by a late visit becomes a replacement claim (CLM05-3 7) naming the payer's claim number
(REF*F8) once a biller approves it; a biller voids a sent claim (CLM05-3 8). Each 837P passes pyx12, and the
claim answers of the front door show original -> replacement."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any
from uuid import uuid4

import pytest

from otrcm_claims.adapters.x12 import validate_x12_text
from otrcm_claims.entrypoints.ack_inbox import ingest_text
from tests.e2e.conftest import Pipeline
from tests.support.claims_samples import claim_ack_277ca
from tests.support.intake_samples import encounter, fresh_npi

pytestmark = pytest.mark.e2e

DAY = "2026-10-05"
LATE_VISIT = [{"line_number": 1, "code": "97110", "minutes": 25, "diagnosis_pointers": [1]}]


async def _until(pipeline: Pipeline, tenant: str, found: Callable[[list[Any]], Any], timeout_s: float = 90.0) -> Any:
    for _ in range(int(timeout_s / 0.5)):
        hit = found(await pipeline.claims_of(tenant))
        if hit:
            return hit
        await asyncio.sleep(0.5)
    raise AssertionError(
        f"not reached: {[(r['claim_id'], r['status'], r['reasons']) for r in await pipeline.claims_of(tenant)]}"
    )


async def _answer(
    pipeline: Pipeline, headers: dict[str, str], claim_id: str, done: Callable[[dict[str, Any]], bool]
) -> dict[str, Any]:
    body: dict[str, Any] = {}
    for _ in range(120):
        response = await pipeline.client.get(f"/v1/claims/{claim_id}", headers=headers)
        body = response.json() if response.status_code == 200 else {}
        if body and done(body):
            return body
        await asyncio.sleep(0.5)
    raise AssertionError(f"claim {claim_id} answer not reached: {body}")


def _claim_segments(pipeline: Pipeline, claim_id: str) -> list[str]:
    """The claim's segments in the 837P file that carries it, that file passing pyx12."""
    for path in pipeline.outbox.rglob("*.x12"):
        text = path.read_text()
        segments = [segment.strip() for segment in text.split("~") if segment.strip()]
        starts = [i for i, s in enumerate(segments) if s.startswith(f"CLM*{claim_id}*")]
        if starts:
            assert validate_x12_text(text).pyx12_valid, path.name
            claim = segments[starts[0] :]
            return claim[: next(i for i, s in enumerate(claim[1:], 1) if s.startswith(("CLM*", "HL*", "SE*")))]
    return []


async def _sent_and_acknowledged(pipeline: Pipeline, tenant: str, number: str) -> tuple[dict[str, str], Any]:
    """A visit billed and sent, and the payer's 277CA accepting it with its claim control number."""
    npi = fresh_npi()
    headers = await pipeline.onboard(tenant, npi)
    first = encounter("visit-1", date_of_service=DAY, billing_provider_npi=npi)
    assert (await pipeline.client.post("/v1/encounters", json=first, headers=headers)).status_code == 202
    [original] = await pipeline.wait_for_claims(tenant, 1)
    assert original["status"] == "submitted", original["reasons"]
    ack = claim_ack_277ca(
        original["batch_reference"], original["claim_id"], original["charge"], "A2:20:PR", control=11,
        payer_claim_number=number,
    )  # fmt: skip
    assert await ingest_text(pipeline.claims.db, pipeline.claims.tables, ack) is not None
    pipeline.claims.wake_relay()
    await _answer(pipeline, headers, original["claim_id"], lambda body: body["status"] == "accepted")
    return headers, original


async def test_a_revised_billed_day_becomes_a_replacement_with_the_original_number(pipeline: Pipeline) -> None:
    tenant, number = f"tenant-{uuid4().hex[:8]}", f"PCN{uuid4().hex[:10].upper()}"
    headers, original = await _sent_and_acknowledged(pipeline, tenant, number)
    npi = original["day_keys"][0].rsplit("/", 1)[-1]

    late = encounter("visit-2", date_of_service=DAY, billing_provider_npi=npi, lines=LATE_VISIT)
    assert (await pipeline.client.post("/v1/encounters", json=late, headers=headers)).status_code == 202
    held = await _until(pipeline, tenant, lambda rows: next((r for r in rows if r["status"] == "held"), None))
    assert [reason.split(":")[0] for reason in held["reasons"]] == ["approval-needed"], held["reasons"]
    assert sorted(held["encounter_ids"]) == ["visit-1", "visit-2"]
    await _answer(pipeline, headers, held["claim_id"], lambda body: body["status"] == "held")

    refused = await pipeline.client.post(f"/v1/claims/{original['claim_id']}/approve", json={}, headers=headers)
    assert refused.status_code == 422
    assert [(e["path"], e["rule"]) for e in refused.json()["errors"]] == [("claim_id", "claim.awaits_approval")]
    approved = await pipeline.client.post(f"/v1/claims/{held['claim_id']}/approve", json={}, headers=headers)
    assert approved.status_code == 202, approved.text

    sent = await _until(
        pipeline, tenant,
        lambda rows: next((r for r in rows if r["claim_id"] == held["claim_id"] and r["status"] == "submitted"), None),
    )  # fmt: skip
    segments = _claim_segments(pipeline, sent["claim_id"])
    assert segments[0].split("*")[5] == "11:B:7"
    assert f"REF*F8*{number}" in segments
    replacement = await _answer(pipeline, headers, sent["claim_id"], lambda body: body["status"] == "submitted")
    assert (replacement["frequency"], replacement["replaces"]) == ("7", original["claim_id"])
    first = await _answer(pipeline, headers, original["claim_id"], lambda body: bool(body["corrected_by"]))
    assert first["corrected_by"] == [{"claim_id": sent["claim_id"], "frequency": "7"}]
    assert first["frequency"] == "1"


async def test_a_biller_voids_a_sent_claim(pipeline: Pipeline) -> None:
    tenant, number = f"tenant-{uuid4().hex[:8]}", f"PCN{uuid4().hex[:10].upper()}"
    headers, original = await _sent_and_acknowledged(pipeline, tenant, number)
    claim_id = original["claim_id"]

    no_reason = await pipeline.client.post(f"/v1/claims/{claim_id}/void", json={}, headers=headers)
    assert no_reason.status_code == 422
    assert [(e["path"], e["rule"]) for e in no_reason.json()["errors"]] == [("reason", "schema.missing")]
    other = await pipeline.onboard(f"tenant-{uuid4().hex[:8]}", fresh_npi())
    theirs = await pipeline.client.post(f"/v1/claims/{claim_id}/void", json={"reason": "x"}, headers=other)
    assert theirs.status_code == 404, "another tenant's claim answers as a missing one"

    asked = await pipeline.client.post(f"/v1/claims/{claim_id}/void", json={"reason": "wrong patient"}, headers=headers)
    assert asked.status_code == 202, asked.text
    first = await _answer(pipeline, headers, claim_id, lambda body: bool(body["corrected_by"]))
    [void] = first["corrected_by"]
    assert void["frequency"] == "8"
    held = await _answer(pipeline, headers, void["claim_id"], lambda body: body["status"] == "held")
    assert held["replaces"] == claim_id
    not_sent = await pipeline.client.post(f"/v1/claims/{void['claim_id']}/void", json={"reason": "x"}, headers=headers)
    assert [(e["path"], e["rule"]) for e in not_sent.json()["errors"]] == [("claim_id", "claim.may_be_voided")]

    approved = await pipeline.client.post(f"/v1/claims/{void['claim_id']}/approve", json={}, headers=headers)
    assert approved.status_code == 202, approved.text
    await _answer(pipeline, headers, void["claim_id"], lambda body: body["status"] == "submitted")
    segments = _claim_segments(pipeline, void["claim_id"])
    original_segments = _claim_segments(pipeline, claim_id)
    assert segments[0].split("*")[5] == "11:B:8"
    assert f"REF*F8*{number}" in segments
    assert [s for s in segments if s.startswith("SV1*")] == [s for s in original_segments if s.startswith("SV1*")]
