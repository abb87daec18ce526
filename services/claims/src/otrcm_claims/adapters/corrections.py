"""What replacement and void claims need kept: the payer's number for each claim, which claim a correction
corrects (and who approved or asked for it), and the days each claim billed as it was sent.

New tables (``create_all`` adds them to an existing database; ADR 003):
- ``payer_claim_numbers``: the payer's claim control number of a claim (277CA 2200D REF*1K, 835 CLP07; the
  latest read wins), which a replacement or void carries in REF*F8;
- ``claim_corrections``: a correction claim, the claim it corrects, its frequency (1, 7, 8), who asked for it
  (a void: the API key id and the reason) and who approved it;
- ``billed_days``: the ready days a claim billed when it was validated (a void repeats the claim it cancels).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, Column, String, Table, Text, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from otrcm_claims.adapters.store import billing_providers, metadata
from otrcm_claims.domain.corrections import SendPolicy
from otrcm_shared.runtime.db import upsert_capable_insert

payer_claim_numbers = Table(
    "payer_claim_numbers",
    metadata,
    Column("tenant_id", String(64), primary_key=True),
    Column("claim_id", String(40), primary_key=True),
    Column("number", String(50), nullable=False),
    Column("source", String(10), nullable=False),  # 277ca or 835
)

claim_corrections = Table(
    "claim_corrections",
    metadata,
    Column("tenant_id", String(64), primary_key=True),
    Column("claim_id", String(40), primary_key=True),  # the correction claim
    Column("corrects_claim_id", String(40), nullable=False, index=True),
    Column("frequency", String(1), nullable=False),  # CLM05-3: 1 (after a rejection), 7 or 8
    Column("requested_by", String(64), nullable=True),  # a void asked through the API: the key id
    Column("reason", Text, nullable=True),  # the biller's reason for a void (kept, never logged or published)
    Column("approved_by", String(64), nullable=True),
)

billed_days = Table(
    "billed_days",
    metadata,
    Column("tenant_id", String(64), primary_key=True),
    Column("claim_id", String(40), primary_key=True),
    Column("group_key", JSON, nullable=False),  # the ClaimGroupKey's fields
    Column("days", JSON, nullable=False),  # the ClaimLinesReady payloads billed
)


async def remember_payer_number(session: AsyncSession, tenant_id: str, claim_id: str, number: str, source: str) -> None:
    statement = upsert_capable_insert(session, payer_claim_numbers).values(
        tenant_id=tenant_id, claim_id=claim_id, number=number, source=source
    )
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=["tenant_id", "claim_id"], set_={"number": number, "source": source}
        )
    )


async def payer_number(session: AsyncSession, tenant_id: str, claim_id: str) -> str | None:
    c = payer_claim_numbers.c
    number: str | None = await session.scalar(select(c.number).where(c.tenant_id == tenant_id, c.claim_id == claim_id))
    return number


async def correction_of(session: AsyncSession, tenant_id: str, claim_id: str) -> Any:
    """The correction row of ``claim_id`` (None: the claim is an original)."""
    c = claim_corrections.c
    query = select(claim_corrections).where(c.tenant_id == tenant_id, c.claim_id == claim_id)
    return (await session.execute(query)).mappings().first()


async def corrections_of(session: AsyncSession, tenant_id: str, corrected_claim_id: str) -> list[Any]:
    c = claim_corrections.c
    query = select(claim_corrections).where(c.tenant_id == tenant_id, c.corrects_claim_id == corrected_claim_id)
    return list((await session.execute(query.order_by(c.claim_id))).mappings().all())


async def record_correction(
    session: AsyncSession,
    tenant_id: str,
    claim_id: str,
    corrects: str,
    frequency: str,
    *,
    requested_by: str | None = None,
    reason: str | None = None,
) -> None:
    statement = upsert_capable_insert(session, claim_corrections).values(
        tenant_id=tenant_id, claim_id=claim_id, corrects_claim_id=corrects, frequency=frequency,
        requested_by=requested_by, reason=reason, approved_by=None,
    )  # fmt: skip
    await session.execute(statement.on_conflict_do_nothing(index_elements=["tenant_id", "claim_id"]))


async def approve(session: AsyncSession, tenant_id: str, claim_id: str, approved_by: str) -> None:
    c = claim_corrections.c
    await session.execute(
        update(claim_corrections)
        .where(c.tenant_id == tenant_id, c.claim_id == claim_id)
        .values(approved_by=approved_by)
    )


async def record_billed_days(
    session: AsyncSession, tenant_id: str, claim_id: str, group_key: dict[str, Any], days: list[dict[str, Any]]
) -> None:
    values = {"group_key": group_key, "days": days}
    statement = upsert_capable_insert(session, billed_days).values(tenant_id=tenant_id, claim_id=claim_id, **values)
    await session.execute(statement.on_conflict_do_update(index_elements=["tenant_id", "claim_id"], set_=values))


async def billed_days_of(session: AsyncSession, tenant_id: str, claim_id: str) -> Any:
    c = billed_days.c
    query = select(billed_days).where(c.tenant_id == tenant_id, c.claim_id == claim_id)
    return (await session.execute(query)).mappings().first()


async def send_policy(session: AsyncSession, tenant_id: str, billing_npi: str) -> SendPolicy:
    """The tenant's policy for corrections, from its billing provider's registration (default: after approval)."""
    c = billing_providers.c
    registration = await session.scalar(select(c.registration).where(c.tenant_id == tenant_id, c.npi == billing_npi))
    chosen = (registration or {}).get("corrections_sent") or SendPolicy.AFTER_APPROVAL.value
    return SendPolicy(chosen)
