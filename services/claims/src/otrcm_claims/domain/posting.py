"""Post an 835 claim payment line by line: what each line was paid, how the rest was adjusted, the patient's
share, the claim's balance, and how the payment compares with what we expected. Pure.

Source: ASC X12 005010X221A1 (section 1.10.2.1, balancing: a line's SVC02 less its CAS amounts is SVC03; a
claim's CLP03 less every CAS amount of the claim and its lines is CLP04; AMT*B6 the allowed amount);
docs/billing-rules.md#12-payment-posting (allowed when AMT*B6 is absent, expected paid and variance).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from otrcm_claims.domain.line_matching import LineMatch
from otrcm_claims.domain.remittance import Adjustment as CasAdjustment
from otrcm_claims.domain.remittance import ClaimPayment, ClaimPaymentStatus, Remittance
from otrcm_shared.events.claims import Adjustment, Balance, LinePosting, PaymentPosting

PATIENT_RESPONSIBILITY = "PR"
FORWARDED = frozenset(
    {
        ClaimPaymentStatus.PRIMARY_FORWARDED,
        ClaimPaymentStatus.SECONDARY_FORWARDED,
        ClaimPaymentStatus.TERTIARY_FORWARDED,
    }
)


@dataclass(frozen=True, slots=True)
class BilledLine:
    """What we billed on a line, for posting: its key and our estimate of the allowed amount (None: unknown)."""

    line_key: str
    expected_allowed: Decimal | None = None


def _sum(amounts: Sequence[Decimal]) -> Decimal:
    return sum(amounts, Decimal(0))


def patient_share(adjustments: Sequence[CasAdjustment]) -> Decimal:
    """The PR adjustments: deductible, coinsurance, co-payment and any other amount the patient owes."""
    return _sum([a.amount for a in adjustments if a.group == PATIENT_RESPONSIBILITY])


def line_balance(
    charge: Decimal, paid: Decimal, adjustments: Sequence[CasAdjustment], allowed: Decimal | None
) -> Balance:
    """Rule: allowed is AMT*B6 when sent, else the charge less every adjustment that is not the patient's
    (CO, PI, OA), which is what the payer and the patient together pay."""
    adjusted = _sum([a.amount for a in adjustments])
    patient = patient_share(adjustments)
    return Balance(
        charged=charge,
        allowed=allowed if allowed is not None else charge - (adjusted - patient),
        paid=paid,
        adjusted=adjusted,
        patient_responsibility=patient,
        balanced=charge == paid + adjusted,
    )


def _adjustments(adjustments: Sequence[CasAdjustment], remarks: Sequence[str]) -> tuple[Adjustment, ...]:
    return tuple(Adjustment(group=a.group, carc=a.reason, amount=a.amount, rarcs=tuple(remarks)) for a in adjustments)


def post_line(match: LineMatch, billed: Mapping[str, BilledLine]) -> LinePosting:
    """One paid line against the line billed (``billed`` by line control number)."""
    payment = match.payment
    own = billed.get(match.line.line_control_number) if match.line is not None else None
    balance = line_balance(payment.charge, payment.paid, payment.adjustments, payment.allowed)
    expected_allowed = own.expected_allowed if own is not None else None
    expected_paid = expected_allowed - balance.patient_responsibility if expected_allowed is not None else None
    return LinePosting(
        line_key=own.line_key if own is not None else None,
        line_control_number=payment.line_control_number,
        procedure_code=payment.procedure_code,
        modifiers=payment.modifiers,
        service_date=payment.service_date,
        units=payment.units,
        balance=balance,
        adjustments=_adjustments(payment.adjustments, payment.remarks),
        expected_allowed=expected_allowed,
        expected_paid=expected_paid,
        variance=payment.paid - expected_paid if expected_paid is not None else None,
    )


def _claim_balance(payment: ClaimPayment, lines: Sequence[LinePosting]) -> Balance:
    claim_adjusted = _sum([a.amount for a in payment.adjustments])
    adjusted = claim_adjusted + _sum([line.balance.adjusted for line in lines])
    if lines:
        allowed = _sum([line.balance.allowed for line in lines]) - (claim_adjusted - patient_share(payment.adjustments))
    else:
        allowed = payment.charge - (claim_adjusted - patient_share(payment.adjustments))
    return Balance(
        charged=payment.charge,
        allowed=allowed,
        paid=payment.paid,
        adjusted=adjusted,
        patient_responsibility=payment.patient_responsibility,
        balanced=payment.charge == payment.paid + adjusted,
    )


# MOA/MIA remarks saying the payer forwarded the claim itself (X12 RARC list).
CROSSOVER_REMARKS = {"MA18": "the patient's supplemental insurer", "MA07": "Medicaid"}


def forwarded_to(payment: ClaimPayment) -> str | None:
    """The payer the claim was crossed over to: NM1*TT; else who a crossover remark (MA18, MA07) names; else
    "another payer" when only CLP02 (19, 20, 21) says so. A reversal (22) forwards nothing."""
    if payment.crossover_carrier:
        return payment.crossover_carrier[:80]
    named = next((CROSSOVER_REMARKS[code] for code in payment.remarks if code in CROSSOVER_REMARKS), None)
    if named is not None:
        return named
    return "another payer" if payment.status in FORWARDED else None


def post_payment(
    remittance: Remittance, payment: ClaimPayment, matches: Sequence[LineMatch], billed: Mapping[str, BilledLine]
) -> PaymentPosting:
    """The claim's posting: each line, the claim's balance, and the variance when every line's estimate is known."""
    lines = tuple(post_line(match, billed) for match in matches)
    expected = [line.expected_paid for line in lines]
    expected_paid = _sum([e for e in expected if e is not None]) if lines and None not in expected else None
    claim_patient_share = patient_share(payment.adjustments)
    if expected_paid is not None:
        expected_paid -= claim_patient_share
    return PaymentPosting(
        trace_number=remittance.trace_number[:50],
        payment_date=remittance.payment_date,
        payment_method=remittance.payment_method,
        claim_status_code=payment.status.value,
        payer_claim_control_number=payment.payer_claim_control_number[:50] or None,
        balance=_claim_balance(payment, lines),
        claim_adjustments=_adjustments(payment.adjustments, payment.remarks),
        lines=lines,
        expected_paid=expected_paid,
        variance=payment.paid - expected_paid if expected_paid is not None else None,
        forwarded_to=forwarded_to(payment),
    )
