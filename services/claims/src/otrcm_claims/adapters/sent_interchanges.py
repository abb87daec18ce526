"""What each tenant sent, as acknowledgments are matched against it (``interchange_envelopes``).

A row is written with its interchange (``record_envelope``, read back from the text that is sent);
interchanges stored before the table existed get theirs the first time an acknowledgment is read
(``backfill_envelopes``). Lookups return :class:`SentInterchange` for the pure matching rules.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from otrcm_claims.adapters import store
from otrcm_claims.adapters.x12.addressing import sent_837p
from otrcm_claims.domain.addressing import BilledBy, Party, SentInterchange


async def record_envelope(session: AsyncSession, tenant_id: str, text: str) -> None:
    """Store the parties, control numbers and billing providers of an interchange being stored."""
    sent = sent_837p(text)
    await session.execute(
        store.interchange_envelopes.insert().values(
            interchange_control_number=sent.interchange_control_number,
            tenant_id=tenant_id,
            sender_qualifier=sent.sender.qualifier,
            sender_id=sent.sender.id,
            receiver_qualifier=sent.receiver.qualifier,
            receiver_id=sent.receiver.id,
            group_sender=sent.group_sender,
            group_receiver=sent.group_receiver,
            group_control_number=sent.group_control_number,
            transaction_sets=sent.transaction_sets,
            batch_reference=sent.batch_reference,
            billing={claim_id: {"npi": b.npi, "tin": b.tin} for claim_id, b in sent.billing.items()},
        )
    )


async def backfill_envelopes(session: AsyncSession) -> int:
    """Record the envelope of every stored interchange that has none yet; returns how many."""
    interchanges, envelopes = store.interchanges, store.interchange_envelopes
    missing = (
        await session.execute(
            select(interchanges.c.tenant_id, interchanges.c.text)
            .outerjoin(
                envelopes,
                envelopes.c.interchange_control_number == interchanges.c.interchange_control_number,
            )
            .where(envelopes.c.interchange_control_number.is_(None))
        )
    ).all()
    for tenant_id, text in missing:
        await record_envelope(session, tenant_id, text)
    return len(missing)


async def sent_with_group(session: AsyncSession, group_control_number: str) -> list[SentInterchange]:
    """The interchanges whose GS06 is this 999 AK102 (none when it is not a number)."""
    if not group_control_number.isdigit():
        return []
    column = store.interchange_envelopes.c.group_control_number
    return await _sent_where(session, column == int(group_control_number))


async def sent_with_batch(session: AsyncSession, batch_reference: str) -> SentInterchange | None:
    """The interchange whose BHT03 is this 277CA 2200B TRN02."""
    found = await _sent_where(session, store.interchange_envelopes.c.batch_reference == batch_reference)
    return found[0] if found else None


async def sent_as(session: AsyncSession, interchange_control_number: int | None) -> SentInterchange | None:
    """The interchange with this ICN."""
    if interchange_control_number is None:
        return None
    column = store.interchange_envelopes.c.interchange_control_number
    found = await _sent_where(session, column == interchange_control_number)
    return found[0] if found else None


async def _sent_where(session: AsyncSession, condition: Any) -> list[SentInterchange]:
    envelopes = store.interchange_envelopes
    query = select(envelopes).where(condition).order_by(envelopes.c.interchange_control_number)
    return [_sent(row) for row in (await session.execute(query)).mappings().all()]


def _sent(row: Any) -> SentInterchange:
    return SentInterchange(
        tenant_id=row["tenant_id"],
        interchange_control_number=row["interchange_control_number"],
        group_control_number=row["group_control_number"],
        transaction_sets=tuple(row["transaction_sets"]),
        sender=Party(row["sender_qualifier"], row["sender_id"]),
        receiver=Party(row["receiver_qualifier"], row["receiver_id"]),
        group_sender=row["group_sender"],
        group_receiver=row["group_receiver"],
        batch_reference=row["batch_reference"],
        billing={claim_id: BilledBy(b["npi"], b["tin"]) for claim_id, b in row["billing"].items()},
    )
