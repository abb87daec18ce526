"""How an 835 claim payment maps to a claim status and to published adjustments (pure)."""

from __future__ import annotations

import pytest

from otrcm_claims.adapters.x12 import parse_835, validate_x12_text
from otrcm_claims.domain import DenialCategorizer
from otrcm_claims.domain.lifecycle import ClaimState
from otrcm_claims.usecases.remittance import adjustments_of, status_of
from tests.support.claims_samples import envelope, remittance_835

pytestmark = pytest.mark.unit

TWO_LINES = envelope(
    "HP",
    "005010X221A1",
    77,
    [
        "ST*835*0001",
        "BPR*I*48*C*CHK************20260415",
        "TRN*1*TRACE77*1431234567",
        "DTM*405*20260415",
        "N1*PR*WPS MEDICARE PART B",
        "N3*PO BOX 1787",
        "N4*MADISON*WI*53701",
        "PER*BL*EDI HELP*TE*8005551234",
        "N1*PE*MERIDIAN HAND AND OT LLC*XX*1234567893",
        "REF*TJ*431234567",
        "LX*1",
        "CLP*C1*1*115*48*0*MB*PCN77*11*1",
        "NM1*QC*1*QUILLFEATHER*PRUDENCE****MI*1EG4TE5MK73",
        "SVC*HC:97530:GO*60*48**1",
        "DTM*472*20260310",
        "CAS*CO*45*12",
        "REF*6R*C1-1",
        "SVC*HC:97110:GO*55*0**1",
        "DTM*472*20260310",
        "CAS*CO*50*55",
        "REF*6R*C1-2",
        "LQ*HE*N115",
    ],
    sender="05302",
)


def test_the_hand_written_two_line_835_is_valid_x12() -> None:
    report = validate_x12_text(TWO_LINES)
    assert report.pyx12_valid, report.issues


def test_a_processed_claim_with_one_denied_line_is_partially_paid_with_categorized_adjustments() -> None:
    [remittance] = parse_835(TWO_LINES)
    [payment] = remittance.claims
    findings = DenialCategorizer.builtin().claim_findings(payment)

    assert status_of(payment, findings) is ClaimState.PARTIALLY_PAID
    adjustments = adjustments_of(payment, findings)
    assert [(a.group, a.carc, a.amount, a.category) for a in adjustments] == [
        ("CO", "45", 12, None),  # a contractual reduction is not a denial
        ("CO", "50", 55, "not_medically_necessary"),
    ]
    assert adjustments[1].rarcs == ("N115",)


@pytest.mark.parametrize(
    ("paid", "clp02", "cas", "expected"),
    [
        ("96", "1", "CAS*CO*45*24", ClaimState.PAID),
        ("0", "4", "CAS*CO*50*120", ClaimState.DENIED),
        ("0", "1", "CAS*CO*97*120", ClaimState.DENIED),  # processed, nothing paid, bundled
        ("96", "19", "CAS*CO*45*24", ClaimState.PAID),  # processed as primary and crossed over to the secondary
        ("0", "23", "CAS*OA*109*120", None),  # not our claim, forwarded to another payer: not an outcome here
    ],
)
def test_claim_status_follows_clp02_and_the_denials(paid: str, clp02: str, cas: str, expected: ClaimState) -> None:
    [remittance] = parse_835(remittance_835("C1", "120", paid, clp02, "97530:GO", [cas], control=5))
    [payment] = remittance.claims
    assert status_of(payment, DenialCategorizer.builtin().claim_findings(payment)) is expected
