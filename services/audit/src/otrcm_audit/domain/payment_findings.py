"""A billed day against what came back: 835 denials not worked, allowed amounts below the expected, and claims
no 999, 277CA or 835 ever acknowledged.

Pure. Source: ASC X12 005010X221A1 (835), 005010X231A1 (999), 005010X214 (277CA); docs/billing-rules.md#10-denials,
§12 (allowed: AMT*B6, else the charge less every adjustment that is not the patient's) and §14 (a corrected claim).
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from otrcm_audit.domain.day_findings import finding
from otrcm_audit.domain.findings import Category, Finding
from otrcm_audit.domain.model import Acknowledgments, AuditSettings, BilledClaim, BilledDay, ExpectedDay, Payment

ZERO = Decimal(0)
CENT = Decimal("0.01")


def accepted_or_pending(claim: BilledClaim, acks: Acknowledgments) -> bool:
    """False for a claim a 999 or 277CA rejected (it never entered adjudication: the day is still unbilled)."""
    if not acks.read:
        return True
    if claim.claim_id in acks.claims_accepted:
        return True
    return claim.claim_id not in acks.claims_rejected and claim.group_control_number not in acks.groups_rejected


def latest_payment(billed: BilledDay) -> Payment | None:
    payments = billed.payments.get(billed.latest.claim_id, ())
    return max(payments, key=lambda p: (p.paid_on or date.min, p.file)) if payments else None


def payment_findings(day: ExpectedDay, billed: BilledDay, settings: AuditSettings) -> list[Finding]:
    """Denials of the latest claim (no later claim corrected them) and lines allowed below the expectation."""
    payment = latest_payment(billed)
    if payment is None:
        return []
    claim = billed.latest
    found: list[Finding] = []
    denied_codes: set[str] = set()
    if payment.denied and not any(line.paid > 0 for line in payment.lines):
        why = ", ".join(payment.denial_reasons) or "CLP02 4"
        words = f"denied by the 835 in {payment.file} ({why}); no corrected claim since"
        found.append(
            finding(
                Category.DENIAL_UNWORKED,
                day,
                day.amount(),
                claim_id=claim.claim_id,
                encounter_id=day.encounter_ids[0],
                evidence=words,
            )
        )
        return found
    for line in payment.lines:
        if line.paid == 0 and line.denial_reasons:
            denied_codes.add(line.code)
            expected = _expected_of(day, line.code)
            amount = expected if expected is not None else line.charge
            why = ", ".join(line.denial_reasons)
            words = f"{line.code} denied by the 835 in {payment.file} ({why}); no corrected claim since"
            found.append(
                finding(
                    Category.DENIAL_UNWORKED,
                    day,
                    amount,
                    claim_id=claim.claim_id,
                    code=line.code,
                    encounter_id=_encounter_of(day, line.code),
                    billed_units=line.units,
                    expected_units=day.units_of(line.code),
                    evidence=words,
                )
            )
    found += _underpaid(day, claim, payment, denied_codes, settings)
    return found


def _underpaid(
    day: ExpectedDay, claim: BilledClaim, payment: Payment, denied: set[str], settings: AuditSettings
) -> list[Finding]:
    found = []
    codes = sorted({line.code for line in payment.lines} - denied)
    for code in codes:
        billed_units = sum(line.units for line in claim.lines if line.code == code)
        expected = _expected_of(day, code)
        if expected is None or billed_units != day.units_of(code):
            continue  # a units finding already prices the difference
        allowed = sum((line.allowed for line in payment.lines if line.code == code), ZERO)
        tolerance = max(settings.tolerance_dollars, (expected * settings.tolerance_percent / 100).quantize(CENT))
        short = expected - allowed
        if short > tolerance:
            words = (
                f"{code}: the 835 in {payment.file} allowed {allowed}, the rules expect {expected} "
                f"(tolerance {tolerance.quantize(CENT, ROUND_HALF_UP)})"
            )
            found.append(
                finding(
                    Category.UNDERPAID,
                    day,
                    short,
                    claim_id=claim.claim_id,
                    code=code,
                    encounter_id=_encounter_of(day, code),
                    billed_units=billed_units,
                    expected_units=billed_units,
                    evidence=words,
                )
            )
    return found


def acknowledgment_findings(
    day: ExpectedDay, billed: BilledDay, acks: Acknowledgments, settings: AuditSettings
) -> list[Finding]:
    """The latest claim of the day, sent long enough ago, with no 999 or 277CA acceptance and no 835."""
    claim = billed.latest
    if not acks.read or billed.payments.get(claim.claim_id):
        return []
    if claim.claim_id in acks.claims_accepted or claim.group_control_number in acks.groups_accepted:
        return []
    waited = (settings.as_of - claim.created_on).days
    if waited <= settings.acknowledgment_wait_days:
        return []
    words = f"sent in {claim.file} {waited} days before the audit date; no 999, 277CA or 835 names it"
    return [
        finding(
            Category.CLAIM_UNACKNOWLEDGED,
            day,
            day.amount(),
            claim_id=claim.claim_id,
            encounter_id=day.encounter_ids[0],
            evidence=words,
        )
    ]


def _expected_of(day: ExpectedDay, code: str) -> Decimal | None:
    amounts = [line.amount for line in day.lines if line.code == code and not line.held]
    if not amounts or any(amount is None for amount in amounts):
        return None
    return sum((amount for amount in amounts if amount is not None), ZERO)


def _encounter_of(day: ExpectedDay, code: str) -> str:
    return next((line.encounter_id for line in day.lines if line.code == code), day.encounter_ids[0])
