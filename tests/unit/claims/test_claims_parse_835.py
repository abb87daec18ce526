"""835 parsing with Decimal money: a paid claim whose payer dropped modifiers, a denial, a reversal
(CLP02 = 22) and a balanced PLB. Lines are matched back to what we billed, denials categorized.

The 835 is written by hand below and checked by pyx12 against 005010X221A1 before it is parsed.
Each claim balances (CLP03 - CLP04 = its CAS), and the transaction balances:
CLP04 150 + 0 - 80 = 70; PLB 25.00 (WO, an overpayment recovered) - 1.50 (L6, interest) = 23.50;
70 - 23.50 = 46.50 = BPR02.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal

import pytest

from otrcm_claims.adapters.x12 import parse_835, validate_x12_text
from otrcm_claims.domain import (
    Adjustment,
    ClaimPaymentStatus,
    DenialCategorizer,
    DenialCategory,
    MatchMethod,
    ProviderAdjustment,
    ServiceLine,
    match_lines,
)
from tests.unit.claims.builders import DOS, medicare_claim

pytestmark = pytest.mark.unit

ISA = "ISA*00*          *00*          *ZZ*05302          *ZZ*SUB123         *250415*1200*^*00501*000000835*0*T*:~"
BODY = [
    "ST*835*0001",
    "BPR*I*46.5*C*CHK************20250415",
    "TRN*1*CHK0001234*1431234567",
    "DTM*405*20250415",
    "N1*PR*WPS MEDICARE PART B",
    "N3*PO BOX 1787",
    "N4*MADISON*WI*53701",
    "PER*BL*EDI HELP*TE*8005551234",
    "N1*PE*MERIDIAN HAND AND OT LLC*XX*1234567893",
    "REF*TJ*431234567",
    "LX*1",
    # paid: the payer dropped KX from 97530 (REF*6R kept) and CO+KX from 97110 (no REF*6R)
    "CLP*MCR-0001*1*235*150*26*MB*25075000123400*11*1",
    "NM1*QC*1*QUILLFEATHER*PRUDENCE****MI*1EG4TE5MK73",
    "MOA***MA01",
    "SVC*HC:97530:GO:59*120*80**2",
    "DTM*472*20250314",
    "CAS*CO*45*24",
    "CAS*PR*2*16",
    "REF*6R*MCR-0001-L2",
    "AMT*B6*96",
    "SVC*HC:97110:GO*55*35**1",
    "DTM*472*20250314",
    "CAS*CO*45*20",
    "SVC*HC:97140:GO:KX*60*35**1",
    "DTM*472*20250314",
    "CAS*CO*45*14**253*1",
    "CAS*PR*2*10",
    # denied: 97530 over the threshold without KX; 97535 with an invalid modifier
    "CLP*MCR-0002*4*110*0*0*MB*25075000999900*11*1",
    "NM1*QC*1*QUILLFEATHER*PRUDENCE****MI*1EG4TE5MK73",
    "SVC*HC:97530:GO*60*0**1",
    "DTM*472*20250314",
    "CAS*CO*119*60",
    "REF*6R*MCR-0002-L1",
    "SVC*HC:97535:GO*50*0**1",
    "DTM*472*20250314",
    "CAS*CO*4*50",
    "REF*6R*MCR-0002-L2",
    "LQ*HE*M51",
    # reversal of an earlier payment
    "CLP*MCR-0000*22*-80*-80*0*MB*25074000555500*11*1",
    "NM1*QC*1*QUILLFEATHER*PRUDENCE****MI*1EG4TE5MK73",
    "SVC*HC:97110:GO*-80*-80",
    "DTM*472*20250301",
    "PLB*1234567893*20251231*WO:MCR-0000*25*L6*-1.5",
]
EIGHT_THIRTY_FIVE = (
    ISA
    + "GS*HP*05302*SUB123*20250415*1200*835*X*005010X221A1~"
    + "".join(f"{segment}~" for segment in BODY)
    + f"SE*{len(BODY) + 1}*0001~GE*1*835~IEA*1*000000835~"
)


def test_the_hand_written_835_is_valid_x12() -> None:
    report = validate_x12_text(EIGHT_THIRTY_FIVE)
    assert report.pyx12_valid, report.issues


def test_claims_and_lines_are_read_with_decimal_money() -> None:
    [remit] = parse_835(EIGHT_THIRTY_FIVE)
    paid, denied, reversal = remit.claims

    assert (remit.payment_amount, remit.payment_method, remit.payment_date) == (
        Decimal("46.5"),
        "CHK",
        date(2025, 4, 15),
    )
    assert (remit.trace_number, remit.payer_name, remit.payee_id) == ("CHK0001234", "WPS MEDICARE PART B", "1234567893")
    assert (paid.claim_id, paid.status, paid.charge, paid.paid) == (
        "MCR-0001",
        ClaimPaymentStatus.PROCESSED_AS_PRIMARY,
        Decimal("235"),
        Decimal("150"),
    )
    assert paid.patient_responsibility == Decimal("26")
    assert paid.remarks == ("MA01",)
    first = paid.lines[0]
    assert (first.procedure_code, first.modifiers) == ("97530", ("GO", "59"))
    assert (first.units, first.allowed) == (Decimal(2), Decimal(96))
    assert first.adjustments == (Adjustment("CO", "45", Decimal("24")), Adjustment("PR", "2", Decimal("16")))
    assert paid.lines[2].adjustments == (
        Adjustment("CO", "45", Decimal("14")),
        Adjustment("CO", "253", Decimal("1")),
        Adjustment("PR", "2", Decimal("10")),
    )
    assert denied.status is ClaimPaymentStatus.DENIED
    assert denied.lines[1].remarks == ("M51",)
    assert all(isinstance(line.paid, Decimal) for claim in remit.claims for line in claim.lines)
    assert reversal.is_reversal
    assert (reversal.charge, reversal.paid, reversal.lines[0].units) == (Decimal("-80"), Decimal("-80"), Decimal(1))


def test_each_claim_balances_against_its_adjustments() -> None:
    [remit] = parse_835(EIGHT_THIRTY_FIVE)
    for claim in remit.claims:
        adjustments = sum((adj.amount for line in claim.lines for adj in line.adjustments), Decimal(0))
        assert claim.charge - claim.paid == adjustments + sum((adj.amount for adj in claim.adjustments), Decimal(0))


def test_plb_balances_the_payment() -> None:
    [remit] = parse_835(EIGHT_THIRTY_FIVE)

    assert remit.provider_adjustments == (
        ProviderAdjustment("1234567893", date(2025, 12, 31), "WO", "MCR-0000", Decimal("25")),
        ProviderAdjustment("1234567893", date(2025, 12, 31), "L6", None, Decimal("-1.5")),
    )
    assert sum(c.paid for c in remit.claims) - sum(p.amount for p in remit.provider_adjustments) == remit.payment_amount
    assert remit.is_balanced
    assert not dataclasses.replace(remit, payment_amount=Decimal("70")).is_balanced


def test_lines_are_matched_by_ref_6r_then_code_and_modifiers_then_code_alone() -> None:
    [remit] = parse_835(EIGHT_THIRTY_FIVE)
    billed = medicare_claim("MCR-0001").lines

    matches = match_lines(billed, remit.claims[0].lines)

    assert [(m.line.line_control_number if m.line else None, m.method, m.modifiers_dropped) for m in matches] == [
        ("MCR-0001-L2", MatchMethod.LINE_CONTROL_NUMBER, ("KX",)),  # dropped KX, matched by REF*6R
        ("MCR-0001-L3", MatchMethod.CODE_ONLY, ("CO", "KX")),  # dropped CO and KX, no REF*6R: by code
        ("MCR-0001-L1", MatchMethod.CODE_AND_MODIFIERS, ()),
    ]


def test_an_unknown_line_stays_unmatched() -> None:
    [remit] = parse_835(EIGHT_THIRTY_FIVE)
    [match] = match_lines(medicare_claim().lines[:1], remit.claims[1].lines[1:])
    assert (match.line, match.method) == (None, MatchMethod.UNMATCHED)


def test_denials_are_categorized_from_the_billed_modifiers() -> None:
    [remit] = parse_835(EIGHT_THIRTY_FIVE)
    paid, denied, reversal = remit.claims
    billed = (
        ServiceLine("MCR-0002-L1", "97530", Decimal("60.00"), 1, (1,), DOS, ("GO",)),
        ServiceLine("MCR-0002-L2", "97535", Decimal("50.00"), 1, (1,), DOS, ("GO", "ZZ")),
    )
    categorizer = DenialCategorizer.builtin()

    findings = categorizer.claim_findings(denied, billed)

    assert [(f.category, f.reason, f.line_index) for f in findings] == [
        (DenialCategory.THRESHOLD_EXCEEDED_WITHOUT_KX, "119", 1),
        (DenialCategory.MISSING_OR_INVALID_MODIFIER, "4", 2),
    ]
    assert categorizer.claim_findings(paid, medicare_claim().lines) == ()  # CO-45 and PR-2 are no denials
    assert categorizer.claim_findings(reversal) == ()


@pytest.mark.parametrize(
    ("reason", "remarks", "modifiers", "category"),
    [
        ("4", (), ("GO",), DenialCategory.MISSING_OR_INVALID_MODIFIER),
        ("119", (), ("GO",), DenialCategory.THRESHOLD_EXCEEDED_WITHOUT_KX),
        ("119", (), ("GO", "KX"), DenialCategory.BENEFIT_MAXIMUM),
        ("50", (), ("GO", "KX"), DenialCategory.NOT_MEDICALLY_NECESSARY),
        ("96", (), ("GO",), DenialCategory.NON_COVERED),
        ("97", (), ("GO",), DenialCategory.BUNDLED),
        ("18", (), ("GO",), DenialCategory.DUPLICATE),
        ("16", ("MA130",), ("GO",), DenialCategory.MISSING_INFORMATION),
        ("29", (), ("GO",), DenialCategory.TIMELY_FILING),
        ("197", (), ("GO",), DenialCategory.AUTHORIZATION),
        ("15", (), ("GO",), DenialCategory.AUTHORIZATION),
        ("252", ("MA130",), ("GO",), DenialCategory.MISSING_INFORMATION),  # RARC decides when the CARC has no category
        ("204", (), ("GO",), DenialCategory.OTHER),
    ],
)
def test_denial_categories(reason: str, remarks: tuple[str, ...], modifiers: tuple[str, ...], category: str) -> None:
    finding = DenialCategorizer.builtin().categorize(Adjustment("CO", reason, Decimal("10")), remarks, modifiers)
    assert finding is not None
    assert finding.category == category


def test_expected_reductions_are_not_denials() -> None:
    categorizer = DenialCategorizer.builtin()
    for group, reason in (("CO", "45"), ("PR", "1"), ("PR", "2"), ("PR", "3"), ("CO", "253")):
        assert categorizer.categorize(Adjustment(group, reason, Decimal("5")), (), ("GO",)) is None
