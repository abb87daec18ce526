"""The claims service on the real broker and PostgreSQL: a patient record and a ready day in, one valid
837P file out (named by its ICN) and one ``claims.submitted``; a broken claim is held and never
written; redelivery bills once; a newer version before submission replaces the older."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path
from uuid import uuid4

import pytest
from sqlalchemy import select

from otrcm_claims.adapters import store
from otrcm_claims.adapters.x12 import validate_x12_text
from otrcm_claims.domain.lifecycle import ClaimState
from otrcm_shared.topics import CLAIM_LINES_READY, CLAIM_STATUS, PATIENTS
from tests.integration.claims.conftest import ClaimsFactory, outcome_payloads, wait_until
from tests.support.claims_samples import claim_lines_ready, clinic_registration, patient_recorded, ready_line
from tests.support.kafka_tools import end_offsets, read_from

pytestmark = pytest.mark.integration

ISA13 = re.compile(r"^ISA(?:\*[^*]*){12}\*(\d{9})\*")


async def test_a_ready_day_becomes_one_valid_837p_file_and_one_submitted_event(start_claims: ClaimsFactory) -> None:
    claims = await start_claims()
    patient = f"pk-{uuid4().hex[:8]}"
    bootstrap = claims.settings.kafka_bootstrap
    start = await end_offsets(bootstrap, CLAIM_STATUS.name)

    await claims.publish(PATIENTS, patient_recorded(claims.tenant_id, patient), patient)
    await claims.publish(CLAIM_LINES_READY, claim_lines_ready(claims.tenant_id, patient), patient)

    [claim] = await claims.wait_for_claims(patient, lambda rows: bool(rows) and rows[0]["status"] == "submitted")
    assert claim["status"] == ClaimState.SUBMITTED
    [written] = claims.files_billing(claim["claim_id"])
    text = written.read_text()
    icn = ISA13.match(text)
    assert icn is not None
    assert written.name == f"837P-{icn.group(1)}.x12"
    assert int(icn.group(1)) == claim["interchange_control_number"]
    report = validate_x12_text(text)
    assert report.pyx12_valid, report.issues
    # SV102 = 2 units x the sample charge master's 60.00 for 97530; CLM02 = the sum
    assert f"CLM*{claim['claim_id']}*120*" in text
    assert "SV1*HC:97530:GO*120*UN*2" in text
    assert f"BHT*0019*00*{claim['batch_reference']}*" in text

    sent = frozenset({"submitted"})
    records = await read_from(
        bootstrap, start, until=lambda rs: bool(outcome_payloads(rs, {claim["claim_id"]}, sent)), settle_s=2.0
    )
    [(topic, submitted)] = outcome_payloads(records, {claim["claim_id"]}, sent)
    assert topic == CLAIM_STATUS.name
    assert submitted["status"] == "submitted"
    assert submitted["patient_key"] == patient
    assert submitted["interchange_control_number"] == icn.group(1)
    for phi in ("Quillfeather", "QUILLFEATHER", "1EG4TE5MK73", "1948", "Elm"):
        assert phi.lower() not in json.dumps(submitted).lower()


async def test_a_claim_with_an_invalid_billing_npi_is_held_and_never_written(
    start_claims: ClaimsFactory, tmp_path: Path
) -> None:
    claims = await start_claims()
    await claims.register(clinic_registration(npi="1234567890", tin="431234568"))  # bad check digit
    patient = f"pk-{uuid4().hex[:8]}"

    await claims.publish(PATIENTS, patient_recorded(claims.tenant_id, patient), patient)
    ready = claim_lines_ready(claims.tenant_id, patient, billing_npi="1234567890")
    await claims.publish(CLAIM_LINES_READY, ready, patient)

    [claim] = await claims.wait_for_claims(patient, lambda rows: bool(rows) and rows[0]["status"] == "held")
    assert claim["status"] == ClaimState.HELD
    assert any(reason.startswith("npi-check-digit:") for reason in claim["reasons"]), claim["reasons"]
    assert claim["interchange_control_number"] is None
    assert claim["segment_text"] is None
    assert claims.files_billing(claim["claim_id"]) == []


async def test_redelivery_bills_once_and_a_newer_version_before_submission_replaces_the_older(
    start_claims: ClaimsFactory,
) -> None:
    claims = await start_claims(claims_cutoff_hours=1_000_000)  # ~114 years: nothing is due until the batch below
    patient = f"pk-{uuid4().hex[:8]}"
    first = claim_lines_ready(claims.tenant_id, patient, version=1)
    newer = claim_lines_ready(claims.tenant_id, patient, version=2, lines=(ready_line(f"{patient}-enc-1#1", units=3),))
    await claims.publish(PATIENTS, patient_recorded(claims.tenant_id, patient), patient)
    for event in (first, first, newer, first):  # v1 redelivered, v2, then v1 late again
        await claims.publish(CLAIM_LINES_READY, event, patient)

    async def stored_version_and_patient() -> tuple[int | None, bool]:
        async with claims.runtime.db.transaction() as session:
            days = store.ready_days
            version = await session.scalar(
                select(days.c.version).where(days.c.tenant_id == claims.tenant_id, days.c.day_key == first.subject)
            )
            return version, await store.patient_record(session, claims.tenant_id, patient) is not None

    assert await wait_until(stored_version_and_patient, lambda found: found == (2, True)) == (2, True)
    report = await claims.jobs.run_batch(now=datetime(3000, 1, 1, tzinfo=UTC))
    [claim] = await claims.claims_of(patient)
    assert claim["claim_id"] in report.submitted
    assert claim["status"] == ClaimState.SUBMITTED
    assert [line["units"] for line in claim["lines"]] == [3]  # version 2's units
    assert claim["day_versions"] == {first.subject: 2}

    again = await claims.jobs.run_batch(now=datetime(3000, 1, 2, tzinfo=UTC))
    assert claim["claim_id"] not in again.submitted
    assert len(await claims.claims_of(patient)) == 1

    newest = claim_lines_ready(claims.tenant_id, patient, version=3, lines=(ready_line(f"{patient}-enc-1#1", units=4),))
    await claims.publish(CLAIM_LINES_READY, newest, patient)
    [claim] = await claims.wait_for_claims(
        patient, lambda rows: any("replacement-needed" in reason for reason in rows[0]["reasons"])
    )
    assert claim["status"] == ClaimState.SUBMITTED
    assert [line["units"] for line in claim["lines"]] == [3]
