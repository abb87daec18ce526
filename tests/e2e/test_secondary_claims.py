"""Secondary claims through the whole pipeline on the real broker and PostgreSQL (issue 19 item 5): a
dual-eligible patient (Medicare, then MO HealthNet) gets the Medicare claim; its 835 is posted line by line and
the MO HealthNet claim goes out with Medicare's adjudication; a crossover 835 (Medicare forwarded the claim to
MO HealthNet itself) sends nothing a second time."""

from __future__ import annotations

import asyncio
from decimal import Decimal
from pathlib import Path
from typing import Any
from uuid import uuid4

import pytest

from otrcm_claims.adapters import store as claims_store
from otrcm_claims.adapters.x12 import validate_x12_text
from tests.e2e.conftest import Pipeline
from tests.support.claims_samples import envelope
from tests.support.intake_samples import SAMPLE_MBI, encounter, fresh_npi, patient

pytestmark = pytest.mark.e2e

DUAL_ELIGIBLE = [
    {"payer_id": "medicare-wps-j5", "member_id": SAMPLE_MBI},
    {"payer_id": "mo-healthnet-ffs", "member_id": "MO99887766"},
]


async def _dual_eligible_claim(pipeline: Pipeline) -> tuple[str, dict[str, str], Any]:
    """A tenant whose patient has Medicare then MO HealthNet, and the submitted Medicare claim of one visit."""
    tenant, npi = f"tenant-{uuid4().hex[:8]}", fresh_npi()
    headers = await pipeline.onboard(tenant, npi)
    response = await pipeline.client.post("/v1/patients", json=patient(coverages=DUAL_ELIGIBLE), headers=headers)
    assert response.status_code == 202, response.text
    await asyncio.sleep(1.0)  # the two coverages reach the claims service before the visit's day does
    body = encounter("dual-1", date_of_service="2026-10-06", billing_provider_npi=npi)
    assert (await pipeline.client.post("/v1/encounters", json=body, headers=headers)).status_code == 202
    [claim] = await pipeline.wait_for_claims(tenant, 1, timeout_s=90)
    assert (claim["status"], claim["payer_id"]) == ("submitted", "medicare-wps-j5")
    return tenant, headers, claim


async def _tin_of(pipeline: Pipeline, tenant: str, npi: str) -> str:
    async with pipeline.claims.db.transaction() as session:
        registrations = await claims_store.active_billing_providers(session, tenant)
    return str(registrations[npi]["tin"])


def _medicare_835(claim: Any, npi: str, tin: str, control: int, *, crossover: bool) -> tuple[str, Decimal]:
    """Medicare pays each line 80% of an allowed amount of 80% of the charge, less 2% sequestration; the patient
    owes the 20% coinsurance. Returns the 835 and what it paid."""
    svc: list[str] = []
    paid_total, patient_share = Decimal(0), Decimal(0)
    for line in claim["lines"]:
        charge = Decimal(line["charge"])
        allowed = (charge * Decimal("0.8")).quantize(Decimal("0.01"))
        coinsurance = (allowed * Decimal("0.2")).quantize(Decimal("0.01"))
        sequestration = ((allowed - coinsurance) * Decimal("0.02")).quantize(Decimal("0.01"))
        paid = allowed - coinsurance - sequestration
        paid_total += paid
        patient_share += coinsurance
        code = ":".join(["HC", line["code"], *line["modifiers"]])
        svc += [f"SVC*{code}*{charge}*{paid}**{line['units']}", f"DTM*472*{line['service_date'].replace('-', '')}",
                f"CAS*CO*45*{charge - allowed}**253*{sequestration}", f"CAS*PR*2*{coinsurance}",
                f"REF*6R*{line['control_number']}", f"AMT*B6*{allowed}"]  # fmt: skip
    charge = Decimal(claim["charge"])
    clp02 = "19" if crossover else "1"
    body = [
        "ST*835*0001",
        f"BPR*I*{paid_total}*C*ACH*CCP*01*011000015*DA*1234567*1431234567**01*021000021*DA*7654321*20261110",
        f"TRN*1*EFT{control}*1431234567",
        "DTM*405*20261110",
        "N1*PR*WPS MEDICARE PART B",
        "N3*PO BOX 1787",
        "N4*MADISON*WI*53701",
        "PER*BL*EDI HELP*TE*8005551234",
        f"N1*PE*MERIDIAN HAND AND OT LLC*XX*{npi}",
        f"REF*TJ*{tin}",
        "LX*1",
        f"CLP*{claim['claim_id']}*{clp02}*{charge}*{paid_total}*{patient_share}*MB*MCR{control}*11*1",
        f"NM1*QC*1*QUILL*ADA****MI*{SAMPLE_MBI}",
        *(["NM1*TT*2*MO HEALTHNET*****PI*MOHNT"] if crossover else []),
        *svc,
    ]
    return envelope("HP", "005010X221A1", control, body, sender="05302"), paid_total


def _x12(value: Decimal) -> str:
    """An amount as the 837P writes it: no trailing zeros after the point."""
    text = f"{value:.2f}"
    return text.rstrip("0").rstrip(".")


async def _door_claim(pipeline: Pipeline, headers: dict[str, str], claim_id: str, done: Any) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for _ in range(120):
        response = await pipeline.client.get(f"/v1/claims/{claim_id}", headers=headers)
        if response.status_code == 200 and done(found := response.json()):
            break
        await asyncio.sleep(0.5)
    return found


def _inbox(pipeline: Pipeline) -> Path:
    inbox = pipeline.outbox.parent.parent / "inbox"  # <var_dir>/inbox beside <var_dir>/outbox/837p
    inbox.mkdir(parents=True, exist_ok=True)
    return inbox


def _interchange_with(pipeline: Pipeline, claim_id: str) -> str:
    return next(text for text in pipeline.files() if f"CLM*{claim_id}*" in text)


async def test_a_dual_eligible_patients_medicare_835_brings_the_mo_healthnet_claim(pipeline: Pipeline) -> None:
    tenant, headers, primary = await _dual_eligible_claim(pipeline)
    npi = primary["day_keys"][0].rsplit("/", 1)[-1]  # a day key ends with its billing NPI
    era, paid = _medicare_835(primary, npi, await _tin_of(pipeline, tenant, npi), 7301, crossover=False)
    assert validate_x12_text(era).pyx12_valid, validate_x12_text(era).issues
    (_inbox(pipeline) / "era-dual.835").write_text(era)

    rows: list[Any] = []
    for _ in range(180):
        rows = await pipeline.claims_of(tenant)
        if len(rows) == 2 and all(row["status"] in ("submitted", "paid") for row in rows):
            break
        await asyncio.sleep(0.5)
    by_payer = {row["payer_id"]: row for row in rows}
    assert by_payer["medicare-wps-j5"]["status"] == "paid"
    secondary = by_payer["mo-healthnet-ffs"]
    assert secondary["status"] == "submitted", secondary["reasons"]
    assert secondary["day_keys"] == primary["day_keys"]

    text = _interchange_with(pipeline, secondary["claim_id"])
    assert validate_x12_text(text).pyx12_valid, validate_x12_text(text).issues
    segments = [s for s in text.split("~") if s]
    assert "SBR*S*18*******MC" in segments  # MO HealthNet pays second
    assert "SBR*P*18*******MB" in segments  # 2320: Medicare paid first
    assert f"AMT*D*{_x12(paid)}" in segments  # what Medicare paid
    assert f"NM1*IL*1*QUILL*ADA****MI*{SAMPLE_MBI}" in segments  # 2330A, the Medicare subscriber
    assert "NM1*PR*2*WPS MEDICARE PART B*****PI*05302" in segments  # 2330B
    svd = [s for s in segments if s.startswith("SVD*05302*")]
    assert len(svd) == len(primary["lines"])
    assert segments.count("DTP*573*D8*20261110") == len(primary["lines"])  # the 835's payment date per line
    assert sum(Decimal(s.split("*")[2]) for s in svd) == paid

    shown = await _door_claim(pipeline, headers, primary["claim_id"], lambda c: c.get("remittance") is not None)
    posting = shown["remittance"]["posting"]
    assert posting["balance"]["balanced"] is True
    assert Decimal(posting["balance"]["paid"]) == paid
    assert posting["trace_number"] == "EFT7301"
    assert posting["forwarded_to"] is None
    assert all(line["balance"]["balanced"] for line in posting["lines"])
    for _ in range(60):  # the encounter's claims, through the front door: Medicare's and MO HealthNet's
        listed = (await pipeline.client.get("/v1/encounters/dual-1/claims", headers=headers)).json()["claims"]
        if {(c["payer_id"], c["status"]) for c in listed} == {
            ("medicare-wps-j5", "paid"),
            ("mo-healthnet-ffs", "submitted"),
        }:
            break
        await asyncio.sleep(0.5)
    assert {(c["claim_id"], c["status"]) for c in listed} == {
        (primary["claim_id"], "paid"), (secondary["claim_id"], "submitted"),
    }  # fmt: skip


async def test_a_crossover_835_sends_no_second_claim(pipeline: Pipeline) -> None:
    tenant, headers, primary = await _dual_eligible_claim(pipeline)
    npi = primary["day_keys"][0].rsplit("/", 1)[-1]
    era, _ = _medicare_835(primary, npi, await _tin_of(pipeline, tenant, npi), 7302, crossover=True)
    assert validate_x12_text(era).pyx12_valid, validate_x12_text(era).issues
    (_inbox(pipeline) / "era-crossover.835").write_text(era)

    shown = await _door_claim(pipeline, headers, primary["claim_id"], lambda c: c.get("status") == "paid")
    assert shown["status"] == "paid"
    assert shown["remittance"]["posting"]["forwarded_to"] == "MO HEALTHNET"
    assert any(reason.startswith("crossed over") for reason in shown["history"][-1]["reasons"])
    await asyncio.sleep(3.0)  # ten batches at 0.3 s: none builds a secondary claim
    rows = await pipeline.claims_of(tenant)
    assert [(row["claim_id"], row["payer_id"]) for row in rows] == [(primary["claim_id"], "medicare-wps-j5")]
