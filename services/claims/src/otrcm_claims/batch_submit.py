"""Use case, second half of a batch: hand every stored, unwritten interchange to the clearinghouse.

Each interchange is written first, then its claims become ``submitted`` with their events in one
transaction. A crash in between writes the same interchange again (same control number, same file
name, same text) at the next run, so nothing is lost and the drop holds one file per interchange.
"""

from __future__ import annotations

import logging

from sqlalchemy import select, update

from otrcm_claims import store
from otrcm_claims.clearinghouse import Clearinghouse
from otrcm_claims.lifecycle import ClaimState
from otrcm_claims.outcomes import change_status
from otrcm_shared.runtime.db import Database
from otrcm_shared.runtime.outbox import Outgoing, stage
from otrcm_shared.runtime.tables import KitTables

log = logging.getLogger(__name__)


async def submit_stored_interchanges(db: Database, tables: KitTables, clearinghouse: Clearinghouse) -> list[str]:
    """Write each waiting interchange and mark its claims submitted; returns the claim ids submitted."""
    async with db.transaction() as session:
        waiting = (
            await session.execute(
                select(store.interchanges.c.interchange_control_number, store.interchanges.c.text)
                .where(store.interchanges.c.written_at.is_(None))
                .order_by(store.interchanges.c.interchange_control_number)
            )
        ).all()
    submitted: list[str] = []
    for icn, text in waiting:
        where = await clearinghouse.submit(icn, text)
        log.info("interchange %09d handed to the clearinghouse", icn)
        async with db.transaction() as session:
            outgoing: list[Outgoing] = []
            rows = (
                (
                    await session.execute(
                        select(store.claims).where(
                            store.claims.c.interchange_control_number == icn,
                            store.claims.c.status == ClaimState.VALIDATED.value,
                        )
                    )
                )
                .mappings()
                .all()
            )
            for row in rows:
                reason = f"submitted in interchange {icn:09d} ({where.rsplit('/', 1)[-1]})"
                outgoing += await change_status(
                    session, row, ClaimState.SUBMITTED, f"submitted/{icn}", reasons=[reason]
                )
                submitted.append(row["claim_id"])
            await session.execute(
                update(store.interchanges)
                .where(store.interchanges.c.interchange_control_number == icn)
                .values(written_at=store.utc_now())
            )
            await stage(session, tables, outgoing)
    return submitted
