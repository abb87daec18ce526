"""The whole audit over plain values: every documented day against the claims, payments and acknowledgments.

Pure. A day is billed by the claims (not rejected by a 999 or 277CA) whose lines carry its date, for its
member, payer and billing provider; the latest of them is the one compared. A denied line no later claim
corrected is counted once, as ``denial_unworked``: the modifier findings of that code are not added to it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from otrcm_audit.domain.day_findings import hold_findings, modifier_findings, unbilled_findings, units_findings
from otrcm_audit.domain.findings import Category, Finding, finding_order
from otrcm_audit.domain.model import (
    Acknowledgments,
    AuditSettings,
    BilledClaim,
    BilledDay,
    DayMatch,
    ExpectedDay,
    Payment,
)
from otrcm_audit.domain.payment_findings import accepted_or_pending, acknowledgment_findings, payment_findings


@dataclass(frozen=True, slots=True)
class AuditResult:
    findings: tuple[Finding, ...]
    days: int
    claims: int
    unmatched_claims: tuple[str, ...]  # claim ids that bill no documented day


def audit(
    days: Sequence[ExpectedDay],
    claims: Sequence[BilledClaim],
    payments: Sequence[Payment],
    acks: Acknowledgments,
    settings: AuditSettings,
) -> AuditResult:
    by_day: dict[DayMatch, list[BilledClaim]] = {}
    for claim in sorted(claims, key=lambda c: (c.created_on, c.file, c.claim_id)):
        if accepted_or_pending(claim, acks):
            for match in claim.matches():
                by_day.setdefault(match, []).append(claim)
    paid: dict[str, list[Payment]] = {}
    for payment in payments:
        paid.setdefault(payment.claim_id, []).append(payment)
    found: list[Finding] = []
    matched: set[str] = set()
    for day in days:
        billing = by_day.get(day.match)
        if not billing:
            found += unbilled_findings(day, settings)
            continue
        matched.update(claim.claim_id for claim in billing)
        billed = BilledDay(tuple(billing), {c.claim_id: tuple(paid.get(c.claim_id, ())) for c in billing})
        found += day_findings(day, billed, acks, settings)
    unmatched = tuple(sorted({claim.claim_id for claim in claims} - matched))
    return AuditResult(tuple(sorted(found, key=finding_order)), len(days), len(claims), unmatched)


def day_findings(day: ExpectedDay, billed: BilledDay, acks: Acknowledgments, settings: AuditSettings) -> list[Finding]:
    claim = billed.latest
    lines = tuple(line for line in claim.lines if line.date_of_service == day.date_of_service)
    from_payments = payment_findings(day, billed, settings)
    denied = {f.code for f in from_payments if f.category is Category.DENIAL_UNWORKED}
    whole_claim_denied = None in denied
    modifiers = [f for f in modifier_findings(day, lines, claim.claim_id) if f.code not in denied]
    return [
        *hold_findings(day, claim.claim_id),
        *units_findings(day, lines, claim.claim_id),
        *([] if whole_claim_denied else modifiers),
        *from_payments,
        *acknowledgment_findings(day, billed, acks, settings),
    ]
