"""Use case, second half of a batch: hand every stored, unwritten interchange to the clearinghouse.

Each interchange is written first, then its claims become ``submitted`` with their events in one
transaction. A crash in between writes the same interchange again (same control number, same file
name, same text) at the next run, so nothing is lost and the drop holds one file per interchange.
"""

from __future__ import annotations

import logging

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from otrcm_claims.adapters import store
from otrcm_claims.adapters.claim_repository import load_claim, save
from otrcm_claims.adapters.clearinghouse import Clearinghouse
from otrcm_claims.domain.lifecycle import ClaimState
from otrcm_shared.runtime.db import Database
from otrcm_shared.runtime.outbox import Outgoing, stage
from otrcm_shared.runtime.tables import KitTables
from otrcm_shared.runtime.turns import in_turns

log = logging.getLogger(__name__)


async def submit_stored_interchanges(db: Database, tables: KitTables, clearinghouse: Clearinghouse) -> list[str]:
    """Write each waiting interchange and mark its claims submitted; returns the claim ids submitted."""
    async with db.transaction() as session:
        waiting = (
            await session.scalars(
                select(store.interchanges.c.interchange_control_number)
                .where(store.interchanges.c.written_at.is_(None))
                .order_by(store.interchanges.c.interchange_control_number)
            )
        ).all()
    submitted: list[str] = []
    for icn in waiting:  # one interchange's text in memory at a time
        async with db.transaction() as session:
            text: str = (
                await session.execute(
                    select(store.interchanges.c.text).where(store.interchanges.c.interchange_control_number == icn)
                )
            ).scalar_one()
        where = await clearinghouse.submit(icn, text)
        log.info("interchange %09d handed to the clearinghouse", icn)
        async with db.transaction() as session:
            outgoing: list[Outgoing] = []
            if not await _still_unwritten(session, icn):
                continue  # another batch run marked it while this one wrote it (the same file, written again)
            query = select(store.claims).where(
                store.claims.c.interchange_control_number == icn,
                store.claims.c.status == ClaimState.VALIDATED.value,
            )
            if session.get_bind().dialect.name == "postgresql":
                query = query.with_for_update()
            rows = (await session.execute(query.order_by(store.claims.c.claim_id))).mappings().all()
            async for row in in_turns(rows):
                reason = f"submitted in interchange {icn:09d} ({where.rsplit('/', 1)[-1]})"
                claim = await load_claim(session, row)
                claim.submit([reason])
                outgoing += await save(session, claim, row["reasons"])
                submitted.append(row["claim_id"])
            await session.execute(
                update(store.interchanges)
                .where(store.interchanges.c.interchange_control_number == icn)
                .values(written_at=store.utc_now())
            )
            await stage(session, tables, outgoing)
    return submitted


async def _still_unwritten(session: AsyncSession, icn: int) -> bool:
    """Lock the interchange's row and say whether it still waits to be marked written."""
    query = select(store.interchanges.c.written_at).where(store.interchanges.c.interchange_control_number == icn)
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update()
    return (await session.execute(query)).first() == (None,)
