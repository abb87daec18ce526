"""Secondary claims in the claims service on the real broker and PostgreSQL (issue 19 item 5): a commercial plan
listed after Medicare gets its claim after Medicare's 835, pyx12-valid, with Medicare's adjudication; a payer whose
set-up takes no secondary claims holds it with the reason, and a second 835 of the primary builds nothing twice."""

from __future__ import annotations

import asyncio
from typing import Any
from uuid import uuid4

import pytest

from otrcm_claims.adapters.x12 import validate_x12_text
from otrcm_shared.events.patients import Coverage
from otrcm_shared.topics import CLAIM_LINES_READY, PATIENTS
from tests.integration.claims.conftest import ClaimsFactory, RunningClaims
from tests.support.claims_samples import claim_lines_ready, patient_recorded, remittance_835

pytestmark = pytest.mark.integration


async def _primary_paid(claims: RunningClaims, second_payer: str, control: int) -> tuple[str, Any]:
    """A patient with Medicare then ``second_payer``; the Medicare claim submitted and paid by an 835."""
    patient = f"pk-{uuid4().hex[:8]}"
    record = patient_recorded(claims.tenant_id, patient)
    coverages = (*record.payload.coverages, Coverage(payer_id=second_payer, member_id="SEC123456"))
    record = record.model_copy(update={"payload": record.payload.model_copy(update={"coverages": coverages})})
    await claims.publish(PATIENTS, record, patient)
    await claims.publish(CLAIM_LINES_READY, claim_lines_ready(claims.tenant_id, patient), patient)
    [primary] = await claims.wait_for_claims(patient, lambda rows: bool(rows) and rows[0]["status"] == "submitted")
    era = remittance_835(primary["claim_id"], "120", "76.80", "1", "97530:GO", ["CAS*CO*45*24", "CAS*PR*2*19.20"],
                         control=control)  # fmt: skip
    claims.drop_in_inbox(f"era-{control}.835", era)
    return patient, primary


def _secondary(rows: list[Any], primary: Any) -> Any:
    return next((row for row in rows if row["claim_id"] != primary["claim_id"]), None)


async def test_a_commercial_secondary_goes_out_with_medicares_adjudication(start_claims: ClaimsFactory) -> None:
    claims = await start_claims()
    patient, primary = await _primary_paid(claims, "blue-commercial-ama", 9501)
    rows = await claims.wait_for_claims(
        patient, lambda rows: len(rows) == 2 and all(r["status"] in ("paid", "submitted") for r in rows), 60
    )
    secondary = _secondary(rows, primary)
    assert secondary is not None, rows
    assert (secondary["payer_id"], secondary["status"]) == ("blue-commercial-ama", "submitted"), secondary["reasons"]
    [path] = claims.files_billing(secondary["claim_id"])
    text = path.read_text()
    assert validate_x12_text(text).pyx12_valid, validate_x12_text(text).issues
    segments = text.split("~")
    assert "SBR*S*18*******CI" in segments
    assert "SBR*P*18*******MB" in segments
    assert "AMT*D*76.8" in segments
    assert "SVD*05302*76.8*HC:97530:GO**2" in segments
    assert "CAS*CO*45*24" in segments
    assert "CAS*PR*2*19.2" in segments
    assert "DTP*573*D8*20260415" in segments
    assert "AMT*EAF*19.2" in segments

    again = remittance_835(primary["claim_id"], "120", "76.80", "1", "97530:GO", ["CAS*CO*45*24", "CAS*PR*2*19.20"],
                           control=9502)  # fmt: skip
    claims.drop_in_inbox("era-9502.835", again)
    await asyncio.sleep(2.0)
    assert len(await claims.claims_of(patient)) == 2, "a second 835 of the primary builds no second secondary"
    assert len(claims.files_billing(secondary["claim_id"])) == 1


async def test_a_payer_that_takes_no_secondary_claims_holds_it_with_the_reason(start_claims: ClaimsFactory) -> None:
    claims = await start_claims()
    patient, primary = await _primary_paid(claims, "school-iep", 9503)
    rows = await claims.wait_for_claims(patient, lambda rows: any(r["status"] == "held" for r in rows), 60)
    secondary = _secondary(rows, primary)
    assert secondary is not None, rows
    assert (secondary["payer_id"], secondary["status"]) == ("school-iep", "held")
    reason = "payer-setup: payer school-iep takes no secondary claims after payer medicare-wps-j5"
    assert reason in secondary["reasons"]
    assert claims.files_billing(secondary["claim_id"]) == []
