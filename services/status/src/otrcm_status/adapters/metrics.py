"""The status service's metrics: read at scrape time from its read models, encounters by status, held
encounters by reason, claims by status; counted as the ready lines are applied, held claim lines by reason.
Labels are statuses and reason codes only."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from otrcm_shared.events.claim_lines import ClaimLinesReady
from otrcm_shared.events.envelope import Envelope
from otrcm_shared.runtime.consumer import Handler
from otrcm_shared.runtime.db import Database
from otrcm_shared.runtime.metrics import Points, ServiceMetrics, by_reason, counted_by
from otrcm_shared.runtime.outbox import Outgoing
from otrcm_status.adapters.store import claim_status, encounter_status

SCRAPE_INTERVAL_S = 10.0  # the read models are read at most this often, however often Prometheus asks


def register(metrics: ServiceMetrics, db: Database) -> None:
    async def encounters() -> Points:
        query = select(encounter_status.c.status, func.count()).group_by(encounter_status.c.status)
        async with db.engine.connect() as connection:
            return counted_by((await connection.execute(query)).all(), "status")

    async def held() -> Points:
        query = select(encounter_status.c.detail).where(encounter_status.c.status == "held")
        async with db.engine.connect() as connection:
            return by_reason(detail.get("reasons") for detail in (await connection.execute(query)).scalars())

    async def claims() -> Points:
        query = select(claim_status.c.status, func.count()).group_by(claim_status.c.status)
        async with db.engine.connect() as connection:
            return counted_by((await connection.execute(query)).all(), "status")

    interval = SCRAPE_INTERVAL_S
    metrics.state("otrcm.encounters", encounters, description="Encounters by status.", min_interval_s=interval)
    metrics.state("otrcm.encounters.held", held, description="Held encounters by reason code.", min_interval_s=interval)
    metrics.state("otrcm.claims", claims, description="Claims by status.", min_interval_s=interval)


def counting_held_lines(handler: Handler[ClaimLinesReady], counts: dict[str, int]) -> Handler[ClaimLinesReady]:
    """``handler`` of the ready lines, adding each held line's reason codes to ``counts`` once it applied them (a
    loop over the event's held lines, most often none)."""

    async def handle(session: AsyncSession, event: Envelope[ClaimLinesReady]) -> Sequence[Outgoing]:
        outgoing = await handler(session, event)
        for line in event.payload.held_lines:
            for code in line.reasons:
                counts[code] = counts.get(code, 0) + 1
        return outgoing

    return handle
