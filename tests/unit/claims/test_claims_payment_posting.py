"""Payment posting (issue 19 item 7) against figures worked out by hand from one 835.

The 835 below pays claim C1 of two lines (a Medicare-style line with sequestration and AMT*B6, and a line
without AMT*B6). By hand, per line, charge = paid + every adjustment (X221A1 balancing):
  line 1: 150.00 = 94.08 + (CO-45 30.00 + PR-2 24.00 + CO-253 1.92); allowed (AMT*B6) 120.00; patient 24.00;
          expected allowed 118.50, so expected paid 118.50 - 24.00 = 94.50 and variance 94.08 - 94.50 = -0.42
  line 2: 100.00 = 64.00 + (CO-45 20.00 + PR-2 16.00); allowed, no AMT*B6: 100.00 - 20.00 = 80.00;
          expected allowed 82.00, so expected paid 66.00 and variance 64.00 - 66.00 = -2.00
  claim:  charged 250.00 = paid 158.08 + adjusted 91.92; allowed 200.00; patient 40.00 (CLP05);
          expected paid 160.50, variance -2.42
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from otrcm_claims.adapters.x12 import parse_835
from otrcm_claims.domain import ServiceLine, match_lines
from otrcm_claims.domain.posting import BilledLine, line_balance, post_payment
from otrcm_claims.domain.remittance import Adjustment
from otrcm_shared.events.claims import PaymentPosting
from tests.support.claims_samples import envelope

D = Decimal

SAMPLE_835 = envelope(
    "HP",
    "005010X221A1",
    41,
    [
        "ST*835*0001",
        "BPR*I*158.08*C*ACH*CCP*01*011000015*DA*1234567*1431234567**01*021000021*DA*7654321*20260415",
        "TRN*1*EFT0415001*1431234567",
        "N1*PR*WPS MEDICARE PART B",
        "N1*PE*MERIDIAN HAND AND OT LLC*XX*1234567893",
        "LX*1",
        "CLP*C1*1*250*158.08*40*MB*PCN-77*11*1",
        "SVC*HC:97530:GO*150*94.08**2",
        "DTM*472*20260310",
        "CAS*CO*45*30**253*1.92",
        "CAS*PR*2*24",
        "REF*6R*C1-1",
        "AMT*B6*120",
        "LQ*HE*N130",
        "SVC*HC:97535:GO*100*64**1",
        "DTM*472*20260310",
        "CAS*CO*45*20",
        "CAS*PR*2*16",
        "REF*6R*C1-2",
    ],
)

BILLED = (
    ServiceLine("C1-1", "97530", D("150"), 2, (1,), date(2026, 3, 10), ("GO",)),
    ServiceLine("C1-2", "97535", D("100"), 1, (1,), date(2026, 3, 10), ("GO",)),
)


def _posting(expected: tuple[str | None, str | None] = ("118.50", "82.00")) -> PaymentPosting:
    [remittance] = parse_835(SAMPLE_835)
    [payment] = remittance.claims
    billed = {
        "C1-1": BilledLine("day-1#1", D(expected[0]) if expected[0] else None),
        "C1-2": BilledLine("day-1#2", D(expected[1]) if expected[1] else None),
    }
    return post_payment(remittance, payment, match_lines(BILLED, payment.lines), billed)


def test_each_line_balances_and_shows_its_paid_allowed_and_patient_share() -> None:
    first, second = _posting().lines
    assert (first.line_key, first.procedure_code, first.modifiers, first.units) == ("day-1#1", "97530", ("GO",), 2)
    assert first.balance.charged == first.balance.paid + first.balance.adjusted
    assert (first.balance.paid, first.balance.adjusted) == (D("94.08"), D("55.92"))
    assert (first.balance.allowed, first.balance.patient_responsibility) == (D("120"), D("24"))
    assert [(a.group, a.carc, a.amount) for a in first.adjustments] == [
        ("CO", "45", D("30")),
        ("CO", "253", D("1.92")),
        ("PR", "2", D("24")),
    ]
    assert first.adjustments[0].rarcs == ("N130",)
    assert (second.balance.allowed, second.balance.patient_responsibility) == (D("80"), D("16"))  # no AMT*B6
    assert second.balance.balanced
    assert second.balance.adjusted == D("36")


def test_expected_against_paid_variance_per_line_and_per_claim() -> None:
    posting = _posting()
    first, second = posting.lines
    assert (first.expected_paid, first.variance) == (D("94.50"), D("-0.42"))
    assert (second.expected_paid, second.variance) == (D("66.00"), D("-2.00"))
    assert (posting.expected_paid, posting.variance) == (D("160.50"), D("-2.42"))


def test_the_claims_balance_and_the_payment_that_carried_it() -> None:
    posting = _posting()
    balance = posting.balance
    assert (balance.charged, balance.allowed, balance.paid) == (D("250"), D("200"), D("158.08"))
    assert (balance.adjusted, balance.patient_responsibility, balance.balanced) == (D("91.92"), D("40"), True)
    assert balance.charged == balance.paid + balance.adjusted
    assert (posting.trace_number, posting.payment_date, posting.payment_method) == (
        "EFT0415001",
        date(2026, 4, 15),
        "ACH",
    )
    assert (posting.payer_claim_control_number, posting.claim_status_code, posting.forwarded_to) == (
        "PCN-77",
        "1",
        None,
    )


def test_a_line_without_our_estimate_has_no_variance_and_neither_has_the_claim() -> None:
    posting = _posting(("118.50", None))
    assert posting.lines[0].variance == D("-0.42")
    assert (posting.lines[1].expected_paid, posting.lines[1].variance) == (None, None)
    assert (posting.expected_paid, posting.variance) == (None, None)


def test_figures_that_do_not_add_up_are_shown_unbalanced() -> None:
    balance = line_balance(D("100"), D("70"), [Adjustment("CO", "45", D("20"))], None)
    assert balance.balanced is False
    assert balance.allowed == D("80")


@pytest.mark.parametrize(
    ("clp02", "extra", "expected"),
    [
        ("19", "", "another payer"),  # CLP02 alone says it was forwarded
        ("1", "MOA***MA18~", "the patient's supplemental insurer"),  # a crossover remark (MOA)
        ("1", "MIA*0****MA07~", "Medicaid"),  # or an inpatient remark segment (MIA05)
        ("1", "MOA***MA01~", None),  # an appeal remark forwards nothing
    ],
)
def test_a_crossover_is_read_from_clp02_or_the_remarks(clp02: str, extra: str, expected: str | None) -> None:
    text = SAMPLE_835.replace("CLP*C1*1*", f"CLP*C1*{clp02}*").replace("SVC*HC:97530", extra + "SVC*HC:97530", 1)
    [remittance] = parse_835(text)
    [payment] = remittance.claims
    assert post_payment(remittance, payment, match_lines(BILLED, payment.lines), {}).forwarded_to == expected


def test_a_crossover_names_the_payer_it_was_forwarded_to() -> None:
    crossed = SAMPLE_835.replace("CLP*C1*1*", "CLP*C1*19*").replace(
        "SVC*HC:97530", "NM1*TT*2*MO HEALTHNET*****PI*MOHNT~SVC*HC:97530", 1
    )
    [remittance] = parse_835(crossed)
    [payment] = remittance.claims
    posting = post_payment(remittance, payment, match_lines(BILLED, payment.lines), {})
    assert (posting.claim_status_code, posting.forwarded_to) == ("19", "MO HEALTHNET")
    assert posting.lines[0].line_key is None  # no billed line known: posted, but not tied to a key
