"""Use case: a 999 or 277CA arrives; move the claims it names to accepted or rejected.

- 999 (005010X231A1): AK102 echoes our GS06 (= ISA13 here); a rejected transaction set (IK501 R,
  or a rejected group AK901 R) rejects every claim of that interchange, with the IK3/IK4 codes.
- 277CA (005010X214): 2200B TRN02 echoes our BHT03 and 2200D TRN02 our CLM01; STC categories A1/A2/A5
  accept, A3/A4/A6-A8/E0-E4 reject (``outcome_of``), with the STC codes as reasons.
Only what is ours moves a claim (``domain.addressing``): the envelope must be addressed to the sender of
the interchange the control numbers name. If any part of a file is not ours, nothing in it is applied
and ``IngestResult.not_ours`` says why (the inbox keeps the file for a person).
A claim not in a state that allows the change is noted and skipped (e.g. a repeated 277CA).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from otrcm_claims.adapters import store
from otrcm_claims.adapters.claim_repository import load_claim, save
from otrcm_claims.adapters.sent_interchanges import sent_with_batch, sent_with_group
from otrcm_claims.adapters.x12 import parse_277ca, parse_999
from otrcm_claims.adapters.x12.addressing import received_envelopes
from otrcm_claims.domain import ClaimOutcome as AckOutcome
from otrcm_claims.domain import ClaimStatus
from otrcm_claims.domain.ack_words import (
    acknowledgment_words,
    claim_status_words,
    element_error_words,
    segment_error_words,
    transaction_set_error_words,
)
from otrcm_claims.domain.acknowledgments import FunctionalGroupAck, TransactionSetAck
from otrcm_claims.domain.addressing import why_a_277ca_claim_is_not_ours, why_a_999_group_is_not_ours
from otrcm_claims.domain.claim_aggregate import Claim
from otrcm_claims.domain.lifecycle import InvalidTransition
from otrcm_claims.usecases.corrections import on_payer_number
from otrcm_shared.runtime.outbox import Outgoing


@dataclass
class IngestResult:
    kind: str
    changes: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    outgoing: list[Outgoing] = field(default_factory=list)
    not_ours: list[str] = field(default_factory=list)  # why the file is not ours; then nothing was applied
    tenants: set[str] = field(default_factory=set)  # the tenants it was addressed to

    def refuse(self) -> IngestResult:
        """Nothing of a file that is (even partly) not ours is applied."""
        self.changes, self.outgoing, self.tenants = [], [], set()
        return self


async def apply_change(
    session: AsyncSession, result: IngestResult, claim_id: str, move: Callable[[Claim], object]
) -> bool:
    """Apply ``move`` to the claim's aggregate (read afresh) and store it; a refused move is a note."""
    row = await store.claim_row(session, claim_id, for_update=True)
    claim = await load_claim(session, row)
    try:
        move(claim)
    except InvalidTransition as refused:
        result.notes.append(str(refused))
        return False
    result.outgoing += await save(session, claim, row["reasons"])
    result.changes.append(f"{claim_id}: {row['status']} -> {claim.status}")
    return True


def moved(verb: str, source: str, digest: str, key: str, reasons: list[str]) -> Callable[[Claim], object]:
    """An acknowledgment's move of a claim: ``accept`` or ``reject`` with its source, digest and reasons."""

    def move(claim: Claim) -> object:
        transition = claim.accept if verb == "accept" else claim.reject
        return transition(source, digest, key, reasons)

    return move


def stc_text(status: ClaimStatus) -> str:
    """``STC A7:21:85 (rejected for invalid information; missing or invalid information; about the billing
    provider)``: the codes as sent, then in words."""
    codes = ":".join(part for part in (status.category, status.code, status.entity) if part)
    return f"STC {codes} ({claim_status_words(status.category, status.code, status.entity)})"


def rejection_reasons_999(group: FunctionalGroupAck, rejected_sets: list[TransactionSetAck]) -> list[str]:
    """Why a 999 rejected our group: its codes as sent, each followed by its meaning in words."""
    reasons = [f"999 AK9 {group.code} ({acknowledgment_words(group.code)})"]
    for ts in rejected_sets:
        errors = "; ".join(transaction_set_error_words(code) for code in ts.error_codes)
        reasons.append(f"999 IK5 {' '.join([ts.code, *ts.error_codes])} ({acknowledgment_words(ts.code)}"
                       + (f": {errors})" if errors else ")"))  # fmt: skip
        for error in ts.segment_errors:
            words = segment_error_words(error.segment_id, error.position, error.code, error.loop_id)
            reasons.append(f"999 IK3 {error.segment_id} at {error.position} code {error.code} ({words})")
            reasons += [
                f"999 IK4 {error.segment_id}{element.position:02d} code {element.code} "
                f"({element_error_words(error.segment_id, element.position, element.data_element, element.code)})"
                for element in error.element_errors
            ]
    return reasons


async def ingest_999(session: AsyncSession, text: str, digest: str) -> IngestResult:
    result = IngestResult("999")
    envelopes = received_envelopes(text)
    ours = []
    for group in parse_999(text):
        candidates = await sent_with_group(session, group.group_control_number)
        verdicts = [(sent, why_a_999_group_is_not_ours(envelopes, group, sent)) for sent in candidates]
        matched = [sent for sent, reasons in verdicts if not reasons]
        if not matched:
            result.not_ours += verdicts[0][1] if verdicts else why_a_999_group_is_not_ours(envelopes, group, None)
            continue
        ours.append((group, matched[0]))
    if result.not_ours:
        return result.refuse()
    for group, sent in ours:
        result.tenants.add(sent.tenant_id)
        icn = sent.interchange_control_number
        rows = await _claims_where(
            session, (store.claims.c.interchange_control_number == icn) & (store.claims.c.tenant_id == sent.tenant_id)
        )
        if not rows:
            result.notes.append(f"999 for group {icn}: no claim of ours")
            continue
        rejected_sets = [ts for ts in group.transaction_sets if not ts.accepted]
        if group.accepted and not rejected_sets:
            result.notes.append(f"999 accepted interchange {icn:09d}")
            continue
        reasons = rejection_reasons_999(group, rejected_sets)
        key = f"999/{digest[:16]}"
        for row in rows:
            await apply_change(session, result, row["claim_id"], moved("reject", "999", digest, key, reasons))
    return result


async def ingest_277ca(session: AsyncSession, text: str, digest: str) -> IngestResult:
    result = IngestResult("277CA")
    envelopes = received_envelopes(text)
    ours = []
    for batch in parse_277ca(text):
        sent = await sent_with_batch(session, batch.batch_reference)
        result.not_ours += why_a_277ca_claim_is_not_ours(envelopes, batch.batch_reference, None, sent)
        for ack in batch.claims:
            reasons = why_a_277ca_claim_is_not_ours(envelopes, batch.batch_reference, ack.claim_id, sent)
            row = await store.claim_row(session, ack.claim_id, for_update=True)
            if not reasons and (row is None or sent is None or row["tenant_id"] != sent.tenant_id):
                reasons = [f"277CA batch {batch.batch_reference}: claim {ack.claim_id} is not ours"]
            result.not_ours += [reason for reason in reasons if reason not in result.not_ours]
            if not reasons and sent is not None:
                ours.append((ack, row, sent.tenant_id))
    if result.not_ours:
        return result.refuse()
    for ack, _row, tenant_id in ours:
        result.tenants.add(tenant_id)
        reasons = [f"277CA {stc_text(status)}" for status in ack.statuses]
        if ack.payer_claim_control_number:
            reasons.append(f"277CA payer claim control number {ack.payer_claim_control_number}")
        outcome = ack.outcome
        if outcome is AckOutcome.UNDETERMINED:
            result.notes.append(f"277CA: claim {ack.claim_id} status not final ({'; '.join(reasons)})")
            continue
        verb = "accept" if outcome is AckOutcome.ACCEPTED else "reject"
        await apply_change(session, result, ack.claim_id, moved(verb, "277ca", digest, f"277ca/{digest[:16]}", reasons))
        if ack.payer_claim_control_number and outcome is AckOutcome.ACCEPTED:  # REF*F8 of its replacement or void
            number = ack.payer_claim_control_number
            result.outgoing += await on_payer_number(session, tenant_id, ack.claim_id, number, "277ca")
    return result


async def _claims_where(session: AsyncSession, condition: Any) -> list[Any]:
    query = select(store.claims).where(condition).order_by(store.claims.c.claim_id)
    return list((await session.execute(query)).mappings().all())
