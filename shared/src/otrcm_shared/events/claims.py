"""A remittance adjustment (835 CAS) and a claim's payment posted line by line, as the claims stream carries them
(``ClaimStatusChanged.adjustments`` and ``.posting``). The ``.v1`` ``ClaimOutcome`` topics are retired
(docs/adr/010)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from pydantic import Field

from otrcm_shared.events.base import StrictModel


class Adjustment(StrictModel):
    group: str = Field(description="CAS group: CO, PR, OA, PI.")
    carc: str
    amount: Decimal
    rarcs: tuple[str, ...] = ()
    category: str | None = Field(default=None, description="Denial category, e.g. missing_modifier, bundling.")


class Balance(StrictModel):
    """Charged = paid + adjusted when the payer's figures balance (X221A1 balancing;
    docs/billing-rules.md#12-payment-posting)."""

    charged: Decimal
    allowed: Decimal = Field(description="AMT*B6 when the payer sends it, else charged less CO/PI/OA adjustments.")
    paid: Decimal
    adjusted: Decimal = Field(description="Every CAS amount, of every group.")
    patient_responsibility: Decimal = Field(description="The PR adjustments (a claim: CLP05).")
    balanced: bool = Field(description="charged = paid + adjusted.")


class LinePosting(StrictModel):
    """One 835 service line (2110 SVC) posted against the line billed."""

    line_key: str | None = Field(default=None, description="The billed line it pays; None when none matched.")
    line_control_number: str | None = Field(default=None, description="REF*6R as echoed.")
    procedure_code: str
    modifiers: tuple[str, ...] = ()
    service_date: date | None = None
    units: Decimal
    balance: Balance
    adjustments: tuple[Adjustment, ...] = ()
    expected_allowed: Decimal | None = Field(default=None, description="Our estimate of the allowed amount.")
    expected_paid: Decimal | None = Field(
        default=None, description="Expected allowed less the patient's share the payer reports."
    )
    variance: Decimal | None = Field(default=None, description="Paid less expected paid (negative: paid less).")


class PaymentPosting(StrictModel):
    """What one 835 paid on one claim, line by line, with the payment that carried it (835 steps only)."""

    trace_number: str = Field(max_length=50, description="TRN02: the check or EFT trace number.")
    payment_date: date | None = Field(default=None, description="BPR16: the check issue or EFT effective date.")
    payment_method: str = Field(description="BPR04: CHK, ACH, FWT, BOP or NON.")
    claim_status_code: str = Field(description="CLP02 (1 primary, 2 secondary, 19 primary and forwarded ...).")
    payer_claim_control_number: str | None = Field(default=None, max_length=50, description="CLP07.")
    balance: Balance
    claim_adjustments: tuple[Adjustment, ...] = Field(default=(), description="Claim-level CAS (2100).")
    lines: tuple[LinePosting, ...] = ()
    expected_paid: Decimal | None = Field(default=None, description="The lines' expected paid, when all are known.")
    variance: Decimal | None = Field(default=None, description="Paid less expected paid, when it is known.")
    forwarded_to: str | None = Field(
        default=None, max_length=80, description="The payer the claim was crossed over to (NM1*TT name or id)."
    )
