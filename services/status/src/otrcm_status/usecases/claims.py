"""The claims read model: each claim's newest step, by the same newest-wins rule as the days."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from otrcm_shared.events import Envelope
from otrcm_shared.events.revision import supersedes
from otrcm_shared.runtime.db import upsert_capable_insert
from otrcm_status.adapters.store import claim_status
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
