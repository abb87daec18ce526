"""Use case: an 835 arrives; each CLP moves its claim (CLP01 = our CLM01) to paid, partially paid or denied.

Source: 005010X221A1 and docs/billing-rules.md#10-denials. CLP02 1/2/3 (processed) with no denying adjustment is
``paid`` (19, 20 and 21, processed and forwarded to the next payer, are processed too); with denying CAS on some
lines (or a part paid) ``partially_paid``; CLP02 4, or nothing paid with denials, is ``denied``. CLP02 22 (reversal)
takes an adjudicated claim back to ``accepted``. Paid lines are matched to billed lines with ``match_lines`` (REF*6R
first); each CAS becomes an ``Adjustment`` with its ``DenialCategorizer`` category. The claim's aggregate makes the
step (``pay`` or ``deny``): a denial names the denied lines (all lines when empty) and the first category; a partial
payment names its denied lines (:mod:`otrcm_claims.adapters.claim_events` says what each publishes). The step
carries the payment posted line by line (``domain.posting``: paid, adjustments, the patient's share, the balance and
the variance against the lines' expected amounts, the trace and payment date).

Only what is ours is applied (``domain.addressing.why_an_835_claim_is_not_ours``): CLP01 a claim we sent, the
envelope addressed to the sender of its interchange, the payee (N1*PE NPI or TIN, REF*TJ) the claim's billing
provider, every REF*6R one of its line control numbers. If any CLP of the file is not ours, nothing in it is applied
(``IngestResult.not_ours``).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from otrcm_claims.adapters import store
from otrcm_claims.adapters.sent_interchanges import sent_as
from otrcm_claims.adapters.x12 import parse_835
from otrcm_claims.adapters.x12.addressing import payees_of_835, received_envelopes
from otrcm_claims.domain import (
    ClaimPayment,
    ClaimPaymentStatus,
    DenialCategorizer,
    DenialFinding,
    ServiceLine,
    match_lines,
)
from otrcm_claims.domain.addressing import Payee, why_an_835_claim_is_not_ours
from otrcm_claims.domain.claim_aggregate import Claim, Remitted
from otrcm_claims.domain.lifecycle import ADJUDICATED, ClaimState
from otrcm_claims.domain.posting import FORWARDED, BilledLine, post_payment
from otrcm_claims.domain.remittance import Remittance
from otrcm_claims.usecases.acknowledgments import IngestResult, apply_change, moved
from otrcm_claims.usecases.corrections import on_payer_number
from otrcm_claims.usecases.secondary_claims import after_primary_835
from otrcm_shared.events.claims import Adjustment

PROCESSED = frozenset(
    {
        ClaimPaymentStatus.PROCESSED_AS_PRIMARY,
        ClaimPaymentStatus.PROCESSED_AS_SECONDARY,
        ClaimPaymentStatus.PROCESSED_AS_TERTIARY,
        *FORWARDED,  # processed, and forwarded (crossed over) to the next payer
    }
)


def billed_lines(row: Any) -> tuple[ServiceLine, ...]:
    """The claim's lines as billed, from the stored claim (for matching the 835's lines back)."""
    return tuple(
        ServiceLine(
            line["control_number"],
            line["code"],
            Decimal(line["charge"]),
            line["units"],
            tuple(line["diagnosis_pointers"]),
            date.fromisoformat(line["service_date"]),
            tuple(line["modifiers"]),
        )
        for line in row["lines"]
    )


def billed_for_posting(row: Any) -> dict[str, BilledLine]:
    """Each billed line's key and expected allowed amount, by line control number (older rows have no estimate)."""
    return {
        line["control_number"]: BilledLine(
            line["line_key"], Decimal(line["expected_allowed"]) if line.get("expected_allowed") else None
        )
        for line in row["lines"]
    }


def adjustments_of(payment: ClaimPayment, findings: tuple[DenialFinding, ...]) -> list[Adjustment]:
    """Every CAS of the claim and its lines, with the denial category where it is a denial."""
    category = {(f.line_index, f.group, f.reason): f.category.value for f in findings}
    found = [
        Adjustment(
            group=a.group,
            carc=a.reason,
            amount=a.amount,
            rarcs=payment.remarks,
            category=category.get((None, a.group, a.reason)),
        )
        for a in payment.adjustments
    ]
    for index, line in enumerate(payment.lines, 1):
        found += [
            Adjustment(
                group=a.group,
                carc=a.reason,
                amount=a.amount,
                rarcs=line.remarks,
                category=category.get((index, a.group, a.reason)),
            )
            for a in line.adjustments
        ]
    return found


def status_of(payment: ClaimPayment, findings: tuple[DenialFinding, ...]) -> ClaimState | None:
    if payment.status is ClaimPaymentStatus.DENIED:
        return ClaimState.DENIED
    if payment.status not in PROCESSED:
        return None
    if not findings:
        return ClaimState.PAID
    return ClaimState.PARTIALLY_PAID if payment.paid > 0 else ClaimState.DENIED


async def ingest_835(session: AsyncSession, text: str, digest: str) -> IngestResult:
    result = IngestResult("835")
    categorizer = DenialCategorizer.builtin()
    envelopes = received_envelopes(text)
    remittances = parse_835(text)
    payees = payees_of_835(text)
    ours = []
    for index, remittance in enumerate(remittances):
        payee = payees[index] if len(payees) == len(remittances) else Payee(None, None, None)
        for payment in remittance.claims:
            row = await store.claim_row(session, payment.claim_id, for_update=True)
            sent = await sent_as(session, row["interchange_control_number"]) if row is not None else None
            if sent is not None and row["tenant_id"] != sent.tenant_id:
                sent = None
            lines = [line.line_control_number for line in payment.lines if line.line_control_number]
            billed = [line["control_number"] for line in row["lines"]] if row is not None else []
            reasons = why_an_835_claim_is_not_ours(envelopes, payee, payment.claim_id, lines, sent, billed)
            result.not_ours += [reason for reason in reasons if reason not in result.not_ours]
            if not reasons:
                ours.append((remittance, payment, row))
    if result.not_ours:
        return result.refuse()
    for remittance, payment, row in ours:
        result.tenants.add(row["tenant_id"])
        if payment.payer_claim_control_number:  # CLP07: the REF*F8 of the claim's replacement or void
            number = payment.payer_claim_control_number
            result.outgoing += await on_payer_number(session, row["tenant_id"], payment.claim_id, number, "835")
        key = f"835/{remittance.trace_number}/{digest[:16]}/{payment.status.value}"
        if payment.is_reversal:
            if ClaimState(row["status"]) not in ADJUDICATED:
                result.notes.append(f"835: reversal of claim {payment.claim_id}, which is {row['status']}")
                continue
            reason = f"835 reversal (CLP02 22) in trace {remittance.trace_number}: payment taken back"
            await apply_change(session, result, payment.claim_id, moved("accept", "835", digest, key, [reason]))
            continue
        await _adjudicated(session, result, row, remittance, payment, categorizer, key, digest)
    return result


async def _adjudicated(
    session: AsyncSession,
    result: IngestResult,
    row: Any,
    remittance: Remittance,
    payment: ClaimPayment,
    categorizer: DenialCategorizer,
    key: str,
    digest: str,
) -> None:
    billed = billed_lines(row)
    findings = categorizer.claim_findings(payment, billed)
    wanted = status_of(payment, findings)
    if wanted is None:
        result.notes.append(f"835: claim {payment.claim_id} has CLP02 {payment.status.value}; not applied")
        return
    line_key_of = {line["control_number"]: line["line_key"] for line in row["lines"]}
    matches = match_lines(billed, payment.lines)
    denied_lines = sorted(
        line_key_of[match.line.line_control_number]
        for index, match in enumerate(matches, 1)
        if match.line is not None and any(finding.line_index == index for finding in findings)
    )
    adjustments = adjustments_of(payment, findings)
    category = findings[0].category.value if findings else None
    reasons = [f"835 CLP02 {payment.status.value} paid {payment.paid} of {payment.charge}"]
    reasons += [f"{f.group}-{f.reason} {f.category.value} ({f.basis})" for f in findings]
    reasons += [
        f"line {m.payment.procedure_code} matched by {m.method.value}"
        for m in matches
        if m.method.value != "line_control_number"
    ]

    posting = post_payment(remittance, payment, matches, billed_for_posting(row))
    if posting.forwarded_to is not None:
        reasons.append(
            f"crossed over: the payer forwarded the claim to {posting.forwarded_to} (CLP02 {payment.status})"
        )
    remitted = Remitted(payment.patient_responsibility, payment.payer_claim_control_number or None, posting)

    def move(claim: Claim) -> object:
        if wanted is ClaimState.DENIED:
            return claim.deny(
                digest, key, reasons, paid=payment.paid, adjustments=adjustments, line_keys=denied_lines,
                denial_category=category, remitted=remitted,
            )  # fmt: skip
        partially = wanted is ClaimState.PARTIALLY_PAID
        return claim.pay(
            digest, key, reasons, paid=payment.paid, adjustments=adjustments, partially=partially,
            denied_lines=denied_lines if partially else (), denial_category=category if partially else None,
            remitted=remitted,
        )  # fmt: skip

    if await apply_change(session, result, payment.claim_id, move):
        note = await after_primary_835(session, row, payment.status, posting)
        if note is not None:
            result.notes.append(note)
