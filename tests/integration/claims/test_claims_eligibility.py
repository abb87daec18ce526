"""Eligibility through the claims service on the real broker and PostgreSQL (issue 19 item 9, ADR 015): an
``EligibilityRequested`` for a child on a parent's plan becomes a 270 in the file drop (the parent in 2100C,
the child in 2100D, our trace number); the payer's 271 dropped in the inbox becomes ``EligibilityChecked``
(inactive after the plan ended, the plan dates, the member id compared, no PHI); a 271 echoing a trace we
never sent changes nothing and is set aside as not ours; a request whose facts are missing waits, naming the
fact, and goes out once the patient record has it."""

from __future__ import annotations

import asyncio
import json
from datetime import date
from pathlib import Path
from uuid import uuid4

import pytest

from otrcm_claims.adapters.eligibility_store import request_row
from otrcm_shared.events import Envelope
from otrcm_shared.events.eligibility import EligibilityReason, EligibilityRequested
from otrcm_shared.topics import ELIGIBILITY_CHECKED, ELIGIBILITY_REQUESTED, PATIENTS
from tests.integration.claims.conftest import ClaimsFactory, RunningClaims, wait_until
from tests.support.claims_samples import COMMERCIAL, dependent_recorded, parent_subscriber
from tests.support.kafka_tools import end_offsets, read_from

pytestmark = pytest.mark.integration

RESPONSE = Path(__file__).parents[2] / "support" / "x12" / "271-dependent-plan-ended.x12"
FILE_TRACE = "fedcba9876543210fedc"


async def _asked(claims: RunningClaims, patient: str) -> str:
    request_id = uuid4().hex[:20]
    payload = EligibilityRequested(
        request_id=request_id,
        patient_key=patient,
        payer_id=COMMERCIAL,
        service_date=date(2026, 3, 10),
        reason=EligibilityReason.NEW_PATIENT,
    )
    event = Envelope.root(
        payload, tenant_id=claims.tenant_id, subject=request_id, natural_key=f"eligibility/{request_id}", stage="intake"
    )
    await claims.publish(ELIGIBILITY_REQUESTED, event, patient)
    return request_id


async def _request(claims: RunningClaims, request_id: str) -> object:
    async with claims.runtime.db.transaction() as session:
        return await request_row(session, request_id)


async def test_a_270_goes_out_and_the_271_comes_back_as_an_eligibility_event(start_claims: ClaimsFactory) -> None:
    claims = await start_claims()
    patient = f"pk-{uuid4().hex[:8]}"
    await claims.publish(PATIENTS, dependent_recorded(claims.tenant_id, patient, parent_subscriber()), patient)
    request_id = await _asked(claims, patient)

    sent = await wait_until(
        lambda: _request(claims, request_id), lambda row: row is not None and row["status"] == "sent"
    )
    assert sent is not None, "the request was sent"
    drop = claims.settings.eligibility_outbox_path / f"270-{sent['interchange_control_number']:09d}.x12"
    segments = drop.read_text().split("~")
    assert "NM1*IL*1*QUILLFEATHER*HECTOR****MI*XQB884120301" in segments
    assert f"TRN*1*{request_id}*1431234567" in segments
    assert "NM1*03*1*QUILLFEATHER*TOBIAS" in segments
    assert "DTP*291*D8*20260310" in segments

    start = await end_offsets(claims.settings.kafka_bootstrap, ELIGIBILITY_CHECKED.name)
    claims.drop_in_inbox("271-answer.x12", RESPONSE.read_text().replace(FILE_TRACE, request_id))
    records = await read_from(
        claims.settings.kafka_bootstrap, start, until=lambda rs: any(request_id.encode() in r.value for r in rs)
    )
    [checked] = [json.loads(r.value)["payload"] for r in records if request_id.encode() in r.value]
    assert checked == {
        "request_id": request_id,
        "patient_key": patient,
        "payer_id": COMMERCIAL,
        "service_date": "2026-03-10",
        "status": "inactive",
        "plan_begin": "2025-01-01",
        "plan_end": "2026-02-28",
        "member_id_matches": False,  # the payer answers XQB884120399; the record has XQB884120301
        "therapy_amounts": [],
        "rejection_reasons": [],
    }
    answered = await _request(claims, request_id)
    assert answered is not None
    assert answered["status"] == "answered"
    assert (claims.inbox / "processed" / "271-answer.x12").is_file()


async def test_a_271_for_a_trace_we_never_sent_is_not_ours(start_claims: ClaimsFactory) -> None:
    claims = await start_claims()
    stranger = uuid4().hex[:20]  # new content each run: the inbox reads the same content once
    claims.drop_in_inbox("271-stranger.x12", RESPONSE.read_text().replace(FILE_TRACE, stranger))
    reason = claims.inbox / "not-ours" / "271-stranger.x12.reason.txt"
    await wait_until(lambda: _exists(reason), bool)
    assert f"271 TRN02 {stranger} names no eligibility request we sent" in reason.read_text()


async def _exists(path: Path) -> bool:
    return await asyncio.to_thread(path.is_file)


async def test_a_request_waits_naming_the_missing_fact_and_goes_out_once_the_record_has_it(
    start_claims: ClaimsFactory,
) -> None:
    claims = await start_claims()
    patient = f"pk-{uuid4().hex[:8]}"
    await claims.publish(PATIENTS, dependent_recorded(claims.tenant_id, patient), patient)  # no subscriber
    request_id = await _asked(claims, patient)

    waiting = await wait_until(
        lambda: _request(claims, request_id), lambda row: row is not None and row["status"] == "waiting"
    )
    assert waiting is not None
    assert waiting["status"] == "waiting"
    assert waiting["note"].startswith("subscriber:")
    assert "QUILLFEATHER" not in waiting["note"].upper()

    await claims.publish(PATIENTS, dependent_recorded(claims.tenant_id, patient, parent_subscriber()), patient)
    sent = await wait_until(
        lambda: _request(claims, request_id), lambda row: row is not None and row["status"] == "sent"
    )
    assert sent is not None
    assert sent["status"] == "sent"
    assert sent["note"] is None
