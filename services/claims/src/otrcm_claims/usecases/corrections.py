"""Use cases of replacement and void claims (CLM05-3 7 and 8; docs/billing-rules.md#14-replacement-and-void-claims).

- ``plan_correction`` (the batch): a day whose claim left and that now bills something else gets a correction
  claim (an id derived from the sent claim and the day versions): a replacement, a void when no line is left,
  or a new original when the sent claim was rejected; ``decide`` says whether it may go now.
- ``plan_void`` (the batch): a void a biller asked for is rebuilt from the days the claim billed when it left.
- ``on_payer_number``: a 277CA or 835 names the payer's number of a claim; corrections waiting for it reopen.
- ``on_claim_action_requested``: a biller's approve (a held correction) or void (a sent claim), from the front door.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, replace
from datetime import date
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from otrcm_claims.adapters import corrections as kept
from otrcm_claims.adapters import store
from otrcm_claims.adapters.claim_repository import load_claim, record_billing_provider, save
from otrcm_claims.domain.claim import ClaimFrequency
from otrcm_claims.domain.claim_aggregate import Claim as ClaimLife
from otrcm_claims.domain.claim_assembly import BuiltClaim
from otrcm_claims.domain.corrections import (
    WAITING_FOR_APPROVAL,
    WAITING_FOR_PAYER_NUMBER,
    CorrectionDecision,
    decide,
    frequency_for_change,
    may_be_voided,
)
from otrcm_claims.domain.grouping import CLAIM_ID_LENGTH, ClaimDraft, ClaimGroupKey, correction_id_for
from otrcm_claims.domain.lifecycle import ClaimState
from otrcm_shared.events import Envelope
from otrcm_shared.events.claim_actions import ClaimAction, ClaimActionRequested
from otrcm_shared.events.claim_lines import ClaimLinesReady
from otrcm_shared.runtime.outbox import Outgoing

log = logging.getLogger(__name__)

Rebuild = Callable[[ClaimDraft], BuiltClaim]


@dataclass(frozen=True, slots=True)
class PlannedCorrection:
    """A correction claim to record (``result``, its draft carrying the correction's id) and whether it may go."""

    result: BuiltClaim
    corrects: str
    decision: CorrectionDecision


def void_id_for(claim_id: str) -> str:
    """The id of the void of ``claim_id`` (deterministic: asking twice voids once)."""
    return "C" + hashlib.sha256(f"{claim_id}|void".encode()).hexdigest()[: CLAIM_ID_LENGTH - 1].upper()


async def _decision(
    session: AsyncSession, tenant_id: str, claim_id: str, frequency: ClaimFrequency, corrects: str, npi: str
) -> tuple[CorrectionDecision, str | None]:
    number = await kept.payer_number(session, tenant_id, corrects)
    policy = await kept.send_policy(session, tenant_id, npi)
    row = await kept.correction_of(session, tenant_id, claim_id)
    approved = row is not None and row["approved_by"] is not None
    return decide(frequency, corrects, number, policy, approved), number


def _with_frequency(result: BuiltClaim, frequency: ClaimFrequency, number: str | None) -> BuiltClaim:
    if result.claim is None or frequency is ClaimFrequency.ORIGINAL:
        return result
    claim = replace(result.claim, frequency=frequency, payer_claim_control_number=number)
    return replace(result, claim=claim)


async def plan_correction(
    session: AsyncSession, result: BuiltClaim, sent: Any, rebuild: Rebuild
) -> PlannedCorrection | str | None:
    """The correction a changed day needs after claim ``sent`` left (or after the latest replacement of it that
    left: a second change replaces the first replacement, REF*F8 naming it); a note (str) when nothing billed
    changed; None when its correction has already left too."""
    sent = await latest_sent(session, sent)
    frequency = frequency_for_change(sent["lines"], result.lines, ClaimState(sent["status"]))
    if frequency is None:
        return f"day {','.join(result.draft.day_keys)}: the new version bills what claim {sent['claim_id']} billed"
    draft = replace(result.draft, claim_id=correction_id_for(sent["claim_id"], result.draft.days))
    existing = await store.claim_row(session, draft.claim_id)
    if existing is not None and ClaimState(existing["status"]) not in (ClaimState.BUILT, ClaimState.HELD):
        return None
    await kept.record_correction(session, draft.tenant_id, draft.claim_id, sent["claim_id"], frequency.value)
    decision, number = await _decision(
        session, draft.tenant_id, draft.claim_id, frequency, sent["claim_id"], draft.key.billing_provider_npi
    )
    return PlannedCorrection(_with_frequency(rebuild(draft), frequency, number), sent["claim_id"], decision)


async def latest_sent(session: AsyncSession, sent: Any) -> Any:
    """The newest claim of the chain original -> replacement -> replacement ... that the payer may hold."""
    for _ in range(100):  # a chain is as long as the day was corrected after billing; never unbounded
        replacements = [
            await store.claim_row(session, row["claim_id"])
            for row in await kept.corrections_of(session, sent["tenant_id"], sent["claim_id"])
            if row["frequency"] == ClaimFrequency.REPLACEMENT.value
        ]
        left = [row for row in replacements if row is not None and may_be_voided(ClaimState(row["status"]))]
        if not left:
            return sent
        sent = max(left, key=lambda row: (row["created_at"], row["claim_id"]))
    return sent


async def voids_due(session: AsyncSession) -> list[Any]:
    """Void claims a biller asked for that wait to be built into an interchange (status built)."""
    c, k = store.claims.c, kept.claim_corrections.c
    query = (
        select(store.claims)
        .join(kept.claim_corrections, (k.tenant_id == c.tenant_id) & (k.claim_id == c.claim_id))
        .where(k.frequency == ClaimFrequency.VOID.value, c.status == ClaimState.BUILT.value)
        .order_by(c.tenant_id, c.claim_id)
    )
    return list((await session.execute(query)).mappings().all())


async def plan_void(session: AsyncSession, row: Any, rebuild: Rebuild) -> PlannedCorrection | None:
    """The void ``row`` rebuilt from what the voided claim billed (its days as validated; for a claim sent
    before they were kept, its days as they stand), with REF*F8 and CLM05-3 8."""
    tenant_id, void_id = row["tenant_id"], row["claim_id"]
    correction = await kept.correction_of(session, tenant_id, void_id)
    corrects = correction["corrects_claim_id"]
    billed = await kept.billed_days_of(session, tenant_id, corrects)
    if billed is not None:
        fields = dict(billed["group_key"])
        key = ClaimGroupKey(**{**fields, "date_of_service": date.fromisoformat(fields["date_of_service"])})
        days = tuple(ClaimLinesReady.model_validate(day) for day in billed["days"])
    else:
        rows = (await session.execute(
            select(store.ready_days.c.ready).where(
                store.ready_days.c.tenant_id == tenant_id, store.ready_days.c.day_key.in_(row["day_keys"])
            )
        )).scalars().all()  # fmt: skip
        days = tuple(ClaimLinesReady.model_validate(ready) for ready in rows)
        if not days:
            return None
        first = days[0]
        key = ClaimGroupKey(first.patient_key, first.payer_id, first.billing_provider_npi, first.date_of_service)
    draft = ClaimDraft(tenant_id, void_id, key, tuple(sorted(days, key=lambda day: day.day_key)))
    npi = key.billing_provider_npi
    decision, number = await _decision(session, tenant_id, void_id, ClaimFrequency.VOID, corrects, npi)
    result = _with_frequency(rebuild(draft), ClaimFrequency.VOID, number)
    await store.set_claim(session, tenant_id, void_id, lines=list(result.lines))
    return PlannedCorrection(result, corrects, decision)


def group_key_as_data(key: ClaimGroupKey) -> dict[str, Any]:
    return {**asdict(key), "date_of_service": key.date_of_service.isoformat()}


async def on_payer_number(
    session: AsyncSession, tenant_id: str, claim_id: str, number: str, source: str
) -> list[Outgoing]:
    """Keep the payer's number of the claim; its corrections held for want of it are rebuilt at the next batch."""
    await kept.remember_payer_number(session, tenant_id, claim_id, number, source)
    outgoing: list[Outgoing] = []
    for correction in await kept.corrections_of(session, tenant_id, claim_id):
        row = await store.claim_row(session, correction["claim_id"], for_update=True)
        if row is not None and row["status"] == ClaimState.HELD.value and _waits_for(row, WAITING_FOR_PAYER_NUMBER):
            outgoing += await _reopen(session, row, correction, f"the payer's claim number of {claim_id} arrived")
    return outgoing


def _waits_for(row: Any, prefix: str) -> bool:
    return any(str(reason).startswith(prefix) for reason in row["reasons"])


async def _reopen(session: AsyncSession, row: Any, correction: Any, why: str) -> list[Outgoing]:
    """A held correction back to built: a void is rebuilt from what it voids; a replacement's days are unclaimed,
    so the next batch regroups them."""
    claim = await load_claim(session, row)
    claim.build([f"rebuild: {why}"])
    outgoing = await save(session, claim, row["reasons"])
    if correction["frequency"] != ClaimFrequency.VOID.value:
        await session.execute(
            update(store.ready_days)
            .where(store.ready_days.c.tenant_id == row["tenant_id"], store.ready_days.c.day_key.in_(row["day_keys"]))
            .values(claimed=False)
        )
    return outgoing


async def on_claim_action_requested(session: AsyncSession, event: Envelope[ClaimActionRequested]) -> Sequence[Outgoing]:
    """A biller's approve or void. A claim of another tenant, or one whose state does not allow the action, is
    noted (ids only) and changes nothing; the front door has already refused what it could see."""
    asked, tenant_id = event.payload, event.tenant_id
    row = await store.claim_row(session, asked.claim_id, for_update=True)
    if row is None or row["tenant_id"] != tenant_id:
        log.info("claim action %s: no claim %s for the tenant", asked.action_id, asked.claim_id)
        return []
    if asked.action is ClaimAction.APPROVE:
        return await _approve(session, row, asked)
    return await _void(session, row, asked)


async def _approve(session: AsyncSession, row: Any, asked: ClaimActionRequested) -> list[Outgoing]:
    tenant_id, claim_id = row["tenant_id"], row["claim_id"]
    correction = await kept.correction_of(session, tenant_id, claim_id)
    if correction is None or correction["approved_by"] is not None:
        log.info("claim action %s: claim %s is no correction waiting for approval", asked.action_id, claim_id)
        return []
    await kept.approve(session, tenant_id, claim_id, asked.requested_by)
    if row["status"] == ClaimState.HELD.value and _waits_for(row, WAITING_FOR_APPROVAL):
        return await _reopen(session, row, correction, f"approved by key {asked.requested_by}")
    return []


async def _void(session: AsyncSession, row: Any, asked: ClaimActionRequested) -> list[Outgoing]:
    """A void claim of the sent claim, built (rebuilt and decided at the next batch)."""
    if not may_be_voided(ClaimState(row["status"])):
        log.info(
            "claim action %s: claim %s is %s and cannot be voided", asked.action_id, row["claim_id"], row["status"]
        )
        return []
    return await create_void(session, row, asked.requested_by, asked.reason)


async def void_emptied_day(session: AsyncSession, day: Any) -> list[Outgoing]:
    """A day with no line left (its encounters voided) whose claim was sent: that claim is voided (CLM05-3 8).
    The day stays with its claim either way (nothing else to bill)."""
    outgoing: list[Outgoing] = []
    claim = await store.claim_row(session, day["claim_id"], for_update=True) if day["claim_id"] else None
    if claim is not None and may_be_voided(ClaimState(claim["status"])):
        outgoing = await create_void(session, claim, "day-emptied", f"every encounter of day {day['day_key']} voided")
    await session.execute(
        update(store.ready_days)
        .where(store.ready_days.c.tenant_id == day["tenant_id"], store.ready_days.c.day_key == day["day_key"])
        .values(claimed=True)
    )
    return outgoing


async def create_void(session: AsyncSession, row: Any, requested_by: str, reason: str) -> list[Outgoing]:
    """The void claim of ``row`` (one per claim), built; the batch rebuilds it from what the claim billed."""
    tenant_id, claim_id = row["tenant_id"], row["claim_id"]
    void_id = void_id_for(claim_id)
    if await store.claim_row(session, void_id) is not None:
        return []  # asked before: voided once
    await kept.record_correction(
        session, tenant_id, void_id, claim_id, ClaimFrequency.VOID.value, requested_by=requested_by, reason=reason
    )
    life = await load_claim(session, row)
    npi = life.facts.billing_provider_npi
    if npi is not None:
        await record_billing_provider(session, tenant_id, void_id, npi)
    facts = replace(
        life.facts, claim_id=void_id, interchange_control_number=None, frequency="8", replaces_claim_id=claim_id
    )
    void = ClaimLife(facts)
    void.build([f"void of claim {claim_id} asked by {requested_by}"])
    now = store.utc_now()
    await session.execute(
        store.claims.insert().values(
            tenant_id=tenant_id, claim_id=void_id, status=ClaimState.BUILT.value, payer_id=row["payer_id"],
            patient_key=row["patient_key"], day_keys=row["day_keys"], day_versions=row["day_versions"],
            encounter_ids=row["encounter_ids"], lines=row["lines"], charge=row["charge"], reasons=[],
            created_at=now, updated_at=now,
        )
    )  # fmt: skip
    return await save(session, void, [])
