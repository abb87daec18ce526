"""Secondary claims to build after a primary's 835 (coordination of benefits): one row per primary claim.

``state``: ``due`` (the primary's 835 was read and a secondary coverage exists; the next batch builds it),
``held`` (built and held; rebuilt when the claim is reopened), ``built`` (validated into an interchange),
``crossed_over`` (the primary forwarded the claim itself: nothing is sent). ``posting`` is the primary's
``PaymentPosting`` the secondary claim carries. A new table (``create_all`` adds it; ADR 003).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, Column, DateTime, String, Table, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from otrcm_claims.adapters.store import claims, metadata, utc_now
from otrcm_shared.events.claims import PaymentPosting

DUE, HELD, BUILT, CROSSED_OVER = "due", "held", "built", "crossed_over"

secondary_claims = Table(
    "secondary_claims",
    metadata,
    Column("tenant_id", String(64), primary_key=True),
    Column("primary_claim_id", String(40), primary_key=True),
    Column("secondary_payer_id", String(64), nullable=False),
    Column("secondary_claim_id", String(40), nullable=False, index=True),
    Column("state", String(20), nullable=False, index=True),
    Column("posting", JSON, nullable=False),  # the primary's PaymentPosting (ids, codes, amounts; no PHI)
    Column("updated_at", DateTime(timezone=True), nullable=False),
)


async def record_primary_adjudication(
    session: AsyncSession,
    tenant_id: str,
    primary_claim_id: str,
    secondary_payer_id: str,
    secondary_claim_id: str,
    posting: PaymentPosting,
) -> str | None:
    """Record (or refresh, while nothing was built) what the secondary claim will carry; the state it is in
    now, or None when a secondary claim was already built (a later 835 of the primary does not rebuild it)."""
    c = secondary_claims.c
    found = (
        await session.execute(
            select(c.state).where(c.tenant_id == tenant_id, c.primary_claim_id == primary_claim_id).with_for_update()
        )
    ).first()
    state = CROSSED_OVER if posting.forwarded_to is not None else DUE
    values = {
        "secondary_payer_id": secondary_payer_id,
        "secondary_claim_id": secondary_claim_id,
        "state": state,
        "posting": posting.model_dump(mode="json"),
        "updated_at": utc_now(),
    }
    if found is None:
        await session.execute(
            secondary_claims.insert().values(tenant_id=tenant_id, primary_claim_id=primary_claim_id, **values)
        )
        return state
    if found.state in (BUILT, HELD):
        return None
    await session.execute(
        update(secondary_claims)
        .where(c.tenant_id == tenant_id, c.primary_claim_id == primary_claim_id)
        .values(**values)
    )
    return state


async def to_build(session: AsyncSession) -> list[Any]:
    """Rows due, and held rows whose secondary claim was reopened (back to built), oldest first."""
    c = secondary_claims.c
    reopened = select(claims.c.claim_id).where(claims.c.status == "built")
    query = (
        select(secondary_claims)
        .where((c.state == DUE) | ((c.state == HELD) & c.secondary_claim_id.in_(reopened)))
        .order_by(c.updated_at)
    )
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True, of=secondary_claims)
    return list((await session.execute(query)).mappings().all())


async def set_state(session: AsyncSession, tenant_id: str, primary_claim_id: str, state: str) -> None:
    c = secondary_claims.c
    await session.execute(
        update(secondary_claims)
        .where(c.tenant_id == tenant_id, c.primary_claim_id == primary_claim_id)
        .values(state=state, updated_at=utc_now())
    )


async def is_secondary_claim(session: AsyncSession, tenant_id: str, claim_id: str) -> bool:
    c = secondary_claims.c
    found = await session.scalar(
        select(c.primary_claim_id).where(c.tenant_id == tenant_id, c.secondary_claim_id == claim_id)
    )
    return found is not None
