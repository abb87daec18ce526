"""A child's claim waits for the subscriber and is released by the patient update (issue 19 items 2 and 4),
on the real broker and PostgreSQL: a dependent's record without a subscriber (kept from before the door
asked for one) holds the claim naming the fact; the record updated with the parent as subscriber rebuilds
the held claim, which goes out with the parent in 2010BA and the child in 2000C, accepted by pyx12."""

from __future__ import annotations

from uuid import uuid4

import pytest

from otrcm_claims.adapters.x12 import validate_x12_text
from otrcm_claims.domain.lifecycle import ClaimState
from otrcm_shared.topics import CLAIM_LINES_READY, PATIENTS
from tests.integration.claims.conftest import ClaimsFactory
from tests.support.claims_samples import COMMERCIAL, claim_lines_ready, dependent_recorded, parent_subscriber

pytestmark = pytest.mark.integration


async def test_a_dependent_claim_held_for_its_subscriber_is_released_by_the_patient_update(
    start_claims: ClaimsFactory,
) -> None:
    claims = await start_claims()
    patient = f"pk-{uuid4().hex[:8]}"
    await claims.publish(PATIENTS, dependent_recorded(claims.tenant_id, patient), patient)
    await claims.publish(CLAIM_LINES_READY, claim_lines_ready(claims.tenant_id, patient, payer_id=COMMERCIAL), patient)

    [held] = await claims.wait_for_claims(patient, lambda rows: bool(rows) and rows[0]["status"] == "held")
    assert held["status"] == ClaimState.HELD
    [reason] = held["reasons"]
    assert reason.startswith("subscriber:")
    assert "names no subscriber" in reason
    assert "QUILLFEATHER" not in reason.upper()
    assert claims.files_billing(held["claim_id"]) == []

    updated = dependent_recorded(claims.tenant_id, patient, parent_subscriber())
    await claims.publish(PATIENTS, updated, patient)
    [sent] = await claims.wait_for_claims(patient, lambda rows: rows[0]["status"] == "submitted")
    assert sent["status"] == ClaimState.SUBMITTED
    assert sent["claim_id"] == held["claim_id"]
    [path] = claims.files_billing(sent["claim_id"])
    text = path.read_text()
    segments = text.split("~")
    assert "NM1*IL*1*QUILLFEATHER*HECTOR****MI*XQB884120301" in segments
    assert "PAT*19" in segments
    assert "NM1*QC*1*QUILLFEATHER*TOBIAS" in segments
    assert validate_x12_text(text).pyx12_valid
