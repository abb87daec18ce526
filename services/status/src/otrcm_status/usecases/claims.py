"""The claims read model: each claim's newest step, by the same newest-wins rule as the days."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from otrcm_shared.events import Envelope
from otrcm_shared.events.revision import supersedes
from otrcm_shared.runtime.db import upsert_capable_insert
from otrcm_status.adapters.store import claim_corrections, claim_status
from otrcm_status.domain.day_facts import ClaimFact


async def record_claim(
    session: AsyncSession, event: Envelope[Any], fact: ClaimFact, *, payer_id: str, day_keys: Sequence[str]
) -> bool:
    """Keep the claim's step when it is newer than the recorded one (a step stored from a retired ``.v1`` topic,
    ``contract`` 1, is replaced by the claim's ``.v2`` step whatever its revision)."""
    c = claim_status.c
    applied = (
        await session.execute(
            select(c.revision, c.contract)
            .where(c.tenant_id == event.tenant_id, c.claim_id == fact.claim_id)
            .with_for_update()
        )
    ).first()
    if applied is not None:
        if applied.contract > fact.contract:
            return False
        if applied.contract == fact.contract and not supersedes(fact.revision, applied.revision):
            return False
    values = {
        "status": fact.status,
        "revision": fact.revision,
        "contract": fact.contract,
        "payer_id": payer_id,
        "day_keys": list(day_keys),
        "encounter_ids": list(fact.encounter_ids),
        "reasons": list(fact.reasons),
        "denial_category": fact.denial_category,
        "updated_at": event.occurred_at,
    }
    upsert = upsert_capable_insert(session, claim_status).values(
        tenant_id=event.tenant_id, claim_id=fact.claim_id, **values
    )
    await session.execute(upsert.on_conflict_do_update(index_elements=["tenant_id", "claim_id"], set_=values))
    return True


async def record_correction(
    session: AsyncSession, tenant_id: str, claim_id: str, replaces_claim_id: str, frequency: str
) -> None:
    """Keep which claim ``claim_id`` replaces (7) or voids (8); the same again changes nothing."""
    insert = upsert_capable_insert(session, claim_corrections).values(
        tenant_id=tenant_id, claim_id=claim_id, replaces_claim_id=replaces_claim_id, frequency=frequency
    )
    await session.execute(insert.on_conflict_do_nothing(index_elements=["tenant_id", "claim_id"]))


async def corrections_around(session: AsyncSession, tenant_id: str, claim_id: str) -> dict[str, Any]:
    """What the claim corrects (``replaces``, its ``frequency``) and the claims that correct it (``corrected_by``)."""
    c = claim_corrections.c
    rows = (
        await session.execute(
            select(claim_corrections).where(
                c.tenant_id == tenant_id, (c.claim_id == claim_id) | (c.replaces_claim_id == claim_id)
            )
        )
    ).all()
    own = next((row for row in rows if row.claim_id == claim_id), None)
    return {
        "frequency": own.frequency if own is not None else "1",
        "replaces": own.replaces_claim_id if own is not None else None,
        "corrected_by": [
            {"claim_id": row.claim_id, "frequency": row.frequency}
            for row in sorted(rows, key=lambda row: row.claim_id)
            if row.replaces_claim_id == claim_id
        ],
    }
