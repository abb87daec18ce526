"""What an 835 pays: claims (CLP), service lines (SVC), adjustments (CAS), remarks (LQ), PLB.

Source: ASC X12 005010X221A1; docs/billing-rules.md#10-denials. Money is Decimal; a reversal (CLP02 = 22)
carries negative amounts. The transaction balances when the sum of CLP04 minus the sum of the PLB
adjustments equals BPR02 (X221A1 section 1.10.2.1, balancing).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum


class ClaimPaymentStatus(StrEnum):
    """CLP02 claim status code (X221A1 CLP02)."""

    PROCESSED_AS_PRIMARY = "1"
    PROCESSED_AS_SECONDARY = "2"
    PROCESSED_AS_TERTIARY = "3"
    DENIED = "4"
    PRIMARY_FORWARDED = "19"
    SECONDARY_FORWARDED = "20"
    TERTIARY_FORWARDED = "21"
    REVERSAL = "22"
    NOT_OUR_CLAIM_FORWARDED = "23"
    PREDETERMINATION_ONLY = "25"


@dataclass(frozen=True, slots=True)
class Adjustment:
    """One CAS triplet: group (CO, PR, OA, PI), CARC, amount and optional quantity."""

    group: str
    reason: str
    amount: Decimal
    quantity: Decimal | None = None


@dataclass(frozen=True, slots=True)
class ServicePayment:
    """2110: one paid line as the payer adjudicated it.

    ``procedure_code``/``modifiers`` are SVC01 (what was adjudicated); ``submitted_code`` and
    ``submitted_modifiers`` are SVC06 when the payer changed the code. ``units`` is SVC05 (1 when
    absent, X221A1). ``line_control_number`` is REF*6R echoing our 837 REF*6R.
    """

    procedure_code: str
    modifiers: tuple[str, ...]
    charge: Decimal
    paid: Decimal
    units: Decimal
    adjustments: tuple[Adjustment, ...] = ()
    remarks: tuple[str, ...] = ()
    line_control_number: str | None = None
    service_date: date | None = None
    allowed: Decimal | None = None
    submitted_code: str | None = None
    submitted_modifiers: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ClaimPayment:
    """2100: CLP01 (our CLM01), status, charge, paid, patient responsibility, CAS, MOA remarks, lines, and the
    crossover carrier (NM1*TT) when the payer forwarded the claim to another payer."""

    claim_id: str
    status: ClaimPaymentStatus
    charge: Decimal
    paid: Decimal
    patient_responsibility: Decimal
    filing_indicator: str
    payer_claim_control_number: str
    frequency: str | None = None
    adjustments: tuple[Adjustment, ...] = ()
    remarks: tuple[str, ...] = ()
    lines: tuple[ServicePayment, ...] = ()
    crossover_carrier: str | None = None  # 2100 NM1*TT: the payer the claim was forwarded to (name, else id)

    @property
    def is_reversal(self) -> bool:
        return self.status is ClaimPaymentStatus.REVERSAL


@dataclass(frozen=True, slots=True)
class ProviderAdjustment:
    """One PLB pair: reason (WO, L6, FB, 72...), its reference, and amount (positive reduces payment)."""

    provider_id: str
    fiscal_period_date: date
    reason: str
    reference: str | None
    amount: Decimal


@dataclass(frozen=True, slots=True)
class Remittance:
    """One 835 transaction set: the payment (BPR), trace (TRN), parties, claims and PLB."""

    payment_amount: Decimal
    credit_debit: str
    payment_method: str
    payment_date: date | None
    trace_number: str
    payer_name: str
    payer_id: str | None
    payee_id: str | None
    claims: tuple[ClaimPayment, ...]
    provider_adjustments: tuple[ProviderAdjustment, ...] = ()

    @property
    def sum_of_claim_payments(self) -> Decimal:
        return sum((claim.paid for claim in self.claims), Decimal(0))

    @property
    def sum_of_provider_adjustments(self) -> Decimal:
        return sum((plb.amount for plb in self.provider_adjustments), Decimal(0))

    @property
    def is_balanced(self) -> bool:
        """Rule: sum of CLP04 - sum of PLB amounts = BPR02 (X221A1 balancing)."""
        return self.sum_of_claim_payments - self.sum_of_provider_adjustments == self.payment_amount
