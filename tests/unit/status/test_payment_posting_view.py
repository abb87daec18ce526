"""The status service shows an 835 step's payment posted line by line: the balance, each line's adjustments with
their group and reason in plain words, the variance, the trace and date, and CLP02 in words."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from otrcm_shared.events.claim_status import ClaimStatus, ClaimStatusChanged
from otrcm_shared.events.claims import Adjustment, Balance, LinePosting, PaymentPosting
from otrcm_status.domain.claim_history import claim_history, outcome
from otrcm_status.entrypoints.views import remittance_json

pytestmark = pytest.mark.unit
D = Decimal

LINE = LinePosting(
    line_key="day-1#1", line_control_number="C1-1", procedure_code="97530", modifiers=("GO",),
    service_date=date(2026, 3, 10), units=D(2),
    balance=Balance(charged=D(150), allowed=D(120), paid=D("94.08"), adjusted=D("55.92"),
                    patient_responsibility=D(24), balanced=True),
    adjustments=(Adjustment(group="CO", carc="45", amount=D(30)), Adjustment(group="PR", carc="2", amount=D(24)),
                 Adjustment(group="CO", carc="253", amount=D("1.92"))),
    expected_allowed=D("118.50"), expected_paid=D("94.50"), variance=D("-0.42"),
)  # fmt: skip
POSTING = PaymentPosting(
    trace_number="EFT0415001", payment_date=date(2026, 4, 15), payment_method="ACH", claim_status_code="19",
    payer_claim_control_number="PCN-77", forwarded_to="MO HEALTHNET",
    balance=Balance(charged=D(150), allowed=D(120), paid=D("94.08"), adjusted=D("55.92"),
                    patient_responsibility=D(24), balanced=True),
    lines=(LINE,), expected_paid=D("94.50"), variance=D("-0.42"),
)  # fmt: skip


def _paid_step(posting: PaymentPosting | None) -> tuple[datetime, ClaimStatusChanged]:
    return datetime(2026, 4, 16, tzinfo=UTC), ClaimStatusChanged(
        claim_id="C1", revision=5, status=ClaimStatus.PAID, source="835", patient_key="pk",
        payer_id="medicare-wps-j5", day_keys=("d",), charge=D(150), paid=D("94.08"), posting=posting,
    )  # fmt: skip


def test_the_posting_is_shown_with_its_balance_lines_and_codes_in_words() -> None:
    shown = remittance_json(outcome(claim_history([_paid_step(POSTING)])))
    assert shown is not None
    posting = shown["posting"]
    assert (posting["trace_number"], posting["payment_date"], posting["payment_method"]) == (
        "EFT0415001", "2026-04-15", "ACH",
    )  # fmt: skip
    assert posting["claim_status"] == "processed as primary and forwarded to another payer (crossover)"
    assert posting["forwarded_to"] == "MO HEALTHNET"
    assert posting["balance"] == {
        "charged": "150", "allowed": "120", "paid": "94.08", "adjusted": "55.92", "patient_responsibility": "24",
        "balanced": True,
    }  # fmt: skip
    [line] = posting["lines"]
    assert (line["line_key"], line["expected_paid"], line["variance"]) == ("day-1#1", "94.50", "-0.42")
    words = [(a["group"]["code"], a["reason"]["code"], a["reason"]["description"]) for a in line["adjustments"]]
    assert words == [
        ("CO", "45", "the charge is above the fee schedule or contracted amount: the difference is written off"),
        ("PR", "2", "the patient's coinsurance"),
        ("CO", "253", "sequestration: the federal payment reduction"),
    ]
    assert not any(a["denial"] for a in line["adjustments"])


def test_crossover_and_coordination_codes_read_in_words() -> None:
    crossed = POSTING.model_copy(
        update={"claim_adjustments": (Adjustment(group="OA", carc="23", amount=D(0), rarcs=("MA18", "MA07")),)}
    )
    shown = remittance_json(outcome(claim_history([_paid_step(crossed)])))
    assert shown is not None
    [adjustment] = shown["posting"]["claim_adjustments"]
    assert adjustment["reason"]["description"] == "what a prior payer already paid or adjusted"
    assert [r["description"] for r in adjustment["remarks"]] == [
        "the claim was also forwarded to the patient's supplemental insurer (a crossover)",
        "the claim was also forwarded to Medicaid (a crossover)",
    ]


def test_an_835_step_without_a_posting_shows_none() -> None:
    shown = remittance_json(outcome(claim_history([_paid_step(None)])))
    assert shown is not None
    assert shown["posting"] is None
