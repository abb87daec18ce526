"""An 835's payment posted line by line as a biller reads it: per line what was paid, each adjustment's group and
reason in plain words, the patient's share and the variance against our estimate; the claim's balance; the check
or EFT that carried it. Pure.

Sources: ASC X12 005010X221A1 (BPR04/BPR16, TRN02, CLP02 and CLP07, CAS, AMT*B6, NM1*TT);
docs/billing-rules.md#12-payment-posting (how the claims service computes allowed, balance and variance).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from otrcm_shared.events.claims import Adjustment, Balance, PaymentPosting

if TYPE_CHECKING:  # the history imports this module; its adjustment view is only named here
    from otrcm_status.domain.claim_history import AdjustmentLine

# CLP02 claim status codes in plain words (005010X221A1).
CLAIM_STATUS_CODES: dict[str, str] = {
    "1": "processed as primary",
    "2": "processed as secondary",
    "3": "processed as tertiary",
    "4": "denied",
    "19": "processed as primary and forwarded to another payer (crossover)",
    "20": "processed as secondary and forwarded to another payer",
    "21": "processed as tertiary and forwarded to another payer",
    "22": "reversal of a previous payment",
    "23": "not our claim; forwarded to another payer",
    "25": "predetermination pricing only: no payment",
}


@dataclass(frozen=True, slots=True)
class LineView:
    line_key: str | None
    line_control_number: str | None
    procedure_code: str
    modifiers: tuple[str, ...]
    service_date: date | None
    units: Decimal
    balance: Balance
    adjustments: tuple[AdjustmentLine, ...]
    expected_allowed: Decimal | None
    expected_paid: Decimal | None
    variance: Decimal | None


@dataclass(frozen=True, slots=True)
class PostingView:
    trace_number: str
    payment_date: date | None
    payment_method: str
    claim_status_code: str
    claim_status: str | None
    payer_claim_control_number: str | None
    balance: Balance
    claim_adjustments: tuple[AdjustmentLine, ...]
    lines: tuple[LineView, ...]
    expected_paid: Decimal | None
    variance: Decimal | None
    forwarded_to: str | None


def posting_view(posting: PaymentPosting, shown: Callable[[Adjustment], AdjustmentLine]) -> PostingView:
    """The posting with each adjustment shown by ``shown`` (the claim history's words for group, CARC, RARCs)."""
    return PostingView(
        trace_number=posting.trace_number,
        payment_date=posting.payment_date,
        payment_method=posting.payment_method,
        claim_status_code=posting.claim_status_code,
        claim_status=CLAIM_STATUS_CODES.get(posting.claim_status_code),
        payer_claim_control_number=posting.payer_claim_control_number,
        balance=posting.balance,
        claim_adjustments=tuple(shown(adjustment) for adjustment in posting.claim_adjustments),
        lines=tuple(
            LineView(
                line_key=line.line_key,
                line_control_number=line.line_control_number,
                procedure_code=line.procedure_code,
                modifiers=line.modifiers,
                service_date=line.service_date,
                units=line.units,
                balance=line.balance,
                adjustments=tuple(shown(adjustment) for adjustment in line.adjustments),
                expected_allowed=line.expected_allowed,
                expected_paid=line.expected_paid,
                variance=line.variance,
            )
            for line in posting.lines
        ),
        expected_paid=posting.expected_paid,
        variance=posting.variance,
        forwarded_to=posting.forwarded_to,
    )
