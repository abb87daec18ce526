"""The secondary claim (issue 19 item 5): MO HealthNet after Medicare (a dual-eligible patient), carrying the
primary's adjudication, rendered and validated by pyx12 in the test itself.

The primary's 835 (below) adjudicated the three Medicare lines of ``medicare_claim`` (charge 235.00). By hand:
  L1 97140  60.00 = paid 23.52 + CO-45 30.00 + PR-2 6.00 + CO-253 0.48   (allowed 30, 80% = 24, less 2%)
  L2 97530 120.00 = paid 62.72 + CO-45 40.00 + PR-2 16.00 + CO-253 1.28  (allowed 80, 80% = 64, less 2%)
  L3 97110  55.00 = paid  0.00 + CO-45 20.00 + PR-1 35.00                (allowed 35, all to the deductible)
  claim: paid 86.24, patient responsibility 57.00; 235.00 - 148.76 adjusted = 86.24 (the X222A1 2320 balance:
  CLM02 less every 2320 and 2430 CAS amount is AMT*D, and AMT*D is the sum of SVD02).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from otrcm_claims.adapters.x12 import parse_835, validate_837p
from otrcm_claims.adapters.x12.segments import DEFAULT_SEPARATORS
from otrcm_claims.domain import Claim, match_lines
from otrcm_claims.domain.coordination import PayerResponsibility, keyed_by_control_number, primary_adjudication
from otrcm_claims.domain.parties import ClaimFilingIndicator, Payer
from otrcm_claims.domain.posting import BilledLine, post_payment
from otrcm_shared.events.patients import Coverage
from tests.support.claims_samples import envelope
from tests.unit.claims.builders import COMMERCIAL, MEDICARE_PATIENT, MO_HEALTHNET, medicare_claim, render, segments_of

pytestmark = pytest.mark.unit

PRIMARY_835 = envelope(
    "HP",
    "005010X221A1",
    77,
    [
        "ST*835*0001",
        "BPR*I*86.24*C*ACH*CCP*01*011000015*DA*1234567*1431234567**01*021000021*DA*7654321*20250410",
        "TRN*1*EFT-MCR-0410*1431234567",
        "N1*PR*WPS MEDICARE PART B",
        "N1*PE*MERIDIAN HAND AND OT LLC*XX*1234567893",
        "LX*1",
        "CLP*MCR-0001*1*235*86.24*57*MB*MCRICN0001*11*1",
        "SVC*HC:97140:GO:KX*60*23.52**1",
        "CAS*CO*45*30**253*.48",
        "CAS*PR*2*6",
        "REF*6R*MCR-0001-L1",
        "SVC*HC:97530:GO:59:KX*120*62.72**2",
        "CAS*CO*45*40**253*1.28",
        "CAS*PR*2*16",
        "REF*6R*MCR-0001-L2",
        "SVC*HC:97110:GO:CO:KX*55*0**1",
        "CAS*CO*45*20",
        "CAS*PR*1*35",
        "REF*6R*MCR-0001-L3",
    ],
)
MEDICAID_ID = "MO123456789"


def secondary_claim(payer: Payer = MO_HEALTHNET, claim_id: str = "MHN-S-0001") -> Claim:
    primary = medicare_claim()
    [remittance] = parse_835(PRIMARY_835)
    [payment] = remittance.claims
    billed = {line.line_control_number: BilledLine(f"day#{n}") for n, line in enumerate(primary.lines, 1)}
    posting = post_payment(remittance, payment, match_lines(primary.lines, payment.lines), billed)
    other = primary_adjudication(
        posting, name="WPS MEDICARE PART B", payer_id="05302", filing_indicator=ClaimFilingIndicator.MEDICARE_PART_B,
        subscriber=MEDICARE_PATIENT.name, coverage=Coverage(payer_id="medicare-wps-j5", member_id="1EG4TE5MK73"),
        adjudicated_on=date(2025, 4, 11),
    )  # fmt: skip
    lines = tuple(replace(line, line_control_number=f"{claim_id}-L{n}") for n, line in enumerate(primary.lines, 1))
    other, missing = keyed_by_control_number(other, {f"day#{n}": line.line_control_number for n, line in
                                                     enumerate(lines, 1)})  # fmt: skip
    assert missing == []
    return replace(
        primary, claim_id=claim_id, payer=payer, lines=lines,
        subscriber=replace(MEDICARE_PATIENT, member_id=MEDICAID_ID),
        responsibility=PayerResponsibility.SECONDARY, other_payer=other,
    )  # fmt: skip


@pytest.mark.parametrize("payer", [MO_HEALTHNET, COMMERCIAL], ids=["mo-healthnet-after-medicare", "commercial"])
def test_the_secondary_claim_passes_pyx12_and_the_project_checks(payer: Payer) -> None:
    claim = secondary_claim(payer)
    report = validate_837p([claim], render(claim))
    assert report.pyx12_valid is True, report.issues
    assert report.issues == ()
    [group] = report.acknowledgments
    assert [(ts.control_number, ts.code) for ts in group.transaction_sets] == [("0001", "A")]


def test_the_secondary_claim_carries_the_primarys_adjudication_claim_and_lines() -> None:
    segments = segments_of(render(secondary_claim()).text)
    assert "SBR*S*18*******MC" in segments  # 2000B: MO HealthNet pays second
    assert "NM1*PR*2*MO HEALTHNET*****PI*MOHNT" in segments  # 2010BB: the destination payer
    start = segments.index("SBR*P*18*******MB")  # 2320: Medicare paid first
    assert segments[start : start + 5] == [
        "SBR*P*18*******MB",
        "AMT*D*86.24",  # no claim-level CAS in this 835
        "OI***Y***Y",
        "NM1*IL*1*QUILLFEATHER*PRUDENCE****MI*1EG4TE5MK73",  # 2330A: the Medicare subscriber
        "NM1*PR*2*WPS MEDICARE PART B*****PI*05302",  # 2330B: the other payer with its id
    ]
    assert start < segments.index("LX*1")
    second_line = segments.index("REF*6R*MHN-S-0001-L2")
    assert segments[second_line + 1 : second_line + 6] == [
        "SVD*05302*62.72*HC:97530:GO:59:KX**2",
        "CAS*CO*45*40**253*1.28",
        "CAS*PR*2*16",
        "DTP*573*D8*20250410",  # BPR16, the primary's payment date
        "AMT*EAF*16",  # what the patient still owes on the line
    ]
    svd_paid = [Decimal(s.split("*")[2]) for s in segments if s.startswith("SVD*")]
    cas = [Decimal(s.split("*")[i]) for s in segments[start:] if s.startswith("CAS*") for i in (3, 6) if
           len(s.split("*")) > i and s.split("*")[i]]  # fmt: skip
    assert sum(svd_paid) == Decimal("86.24")
    assert Decimal("235") - sum(cas) == Decimal("86.24")


def test_a_primary_claim_has_none_of_the_other_payer_loops() -> None:
    segments = segments_of(render(medicare_claim()).text)
    assert not any(s.startswith(("SVD*", "OI*", "AMT*D*")) for s in segments)


def test_adjustments_go_one_cas_per_group_at_most_six_reasons_each() -> None:
    from otrcm_claims.adapters.x12.loops_cob import adjustment_segments
    from otrcm_shared.events.claims import Adjustment

    reasons = [Adjustment(group="CO", carc=str(code), amount=Decimal(1)) for code in (45, 59, 94, 97, 129, 136, 237)]
    reasons.append(Adjustment(group="PR", carc="2", amount=Decimal("16.5")))
    segments = [segment.render(DEFAULT_SEPARATORS) for segment in adjustment_segments(reasons)]
    assert segments == [
        "CAS*CO*45*1**59*1**94*1**97*1**129*1**136*1",
        "CAS*CO*237*1",
        "CAS*PR*2*16.5",
    ]
