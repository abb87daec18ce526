"""Load a claim's aggregate from its row and history; store the steps it made and stage their events.

Both happen in the caller's transaction (the outbox), so a status is never changed without its events
nor published without being stored. Every step is appended to ``claim_status_changes`` (its number is
the event's ``revision``) with its source (batch, 999, 277ca, 835, admin) and, for an acknowledgment, the
file's SHA-256. The status column is written here only, from the aggregate.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from otrcm_claims.adapters import store
from otrcm_claims.adapters.claim_events import events_of
from otrcm_claims.adapters.corrections import correction_of
from otrcm_claims.domain.claim_aggregate import Claim, ClaimFacts, LastStep
from otrcm_claims.domain.lifecycle import ClaimState
from otrcm_shared.runtime.db import upsert_capable_insert
from otrcm_shared.runtime.outbox import Outgoing


def facts_of(row: Any, billing_provider_npi: str | None = None, correction: Any = None) -> ClaimFacts:
    return ClaimFacts(
        tenant_id=row["tenant_id"],
        claim_id=row["claim_id"],
        patient_key=row["patient_key"],
        payer_id=row["payer_id"],
        day_keys=tuple(row["day_keys"]),
        encounter_ids=tuple(row["encounter_ids"]),
        charge=Decimal(row["charge"]),
        interchange_control_number=row["interchange_control_number"] or None,
        billing_provider_npi=billing_provider_npi,
        frequency=correction["frequency"] if correction is not None and correction["frequency"] != "1" else None,
        replaces_claim_id=correction["corrects_claim_id"] if correction is not None else None,
    )


def last_step_of(last: Any) -> LastStep | None:
    if last is None:
        return None
    before = ClaimState(last["from_status"]) if last["from_status"] else None
    return LastStep(last["step"], before, ClaimState(last["to_status"]), last["source"])


async def load_claim(session: AsyncSession, row: Any) -> Claim:
    """The aggregate of a stored claim (its status, latest history step and billing provider)."""
    tenant_id, claim_id = row["tenant_id"], row["claim_id"]
    last = await store.last_status_change(session, tenant_id, claim_id)
    billing = store.claim_billing_providers.c
    npi = await session.scalar(
        select(billing.billing_provider_npi).where(billing.tenant_id == tenant_id, billing.claim_id == claim_id)
    )
    correction = await correction_of(session, tenant_id, claim_id)
    return Claim(facts_of(row, npi, correction), ClaimState(row["status"]), last_step_of(last))


async def record_billing_provider(session: AsyncSession, tenant_id: str, claim_id: str, npi: str) -> None:
    """Keep the billing NPI the claim bills under (its grouping key's), for the events of its later steps."""
    statement = upsert_capable_insert(session, store.claim_billing_providers).values(
        tenant_id=tenant_id, claim_id=claim_id, billing_provider_npi=npi
    )
    await session.execute(
        statement.on_conflict_do_update(index_elements=["tenant_id", "claim_id"], set_={"billing_provider_npi": npi})
    )


async def save(session: AsyncSession, claim: Claim, reasons_before: Sequence[str], **values: Any) -> list[Outgoing]:
    """Store the claim's new steps (status, appended reasons, history rows) and return their events."""
    steps, claim.steps = list(claim.steps), []
    if not steps or claim.status is None:
        return []
    tenant_id, claim_id = claim.facts.tenant_id, claim.facts.claim_id
    reasons = [*reasons_before, *(reason for step in steps for reason in step.event.reasons)]
    paid = next((step.event.paid for step in reversed(steps) if step.event.paid is not None), None)
    if paid is not None:
        values["paid"] = str(paid)
    await store.write_status(session, tenant_id, claim_id, claim.status.value, reasons=reasons, **values)
    outgoing: list[Outgoing] = []
    for step in steps:
        await store.record_step(session, tenant_id, step)
        outgoing += events_of(tenant_id, step)
    return outgoing
