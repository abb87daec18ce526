"""The poc service's state metrics: billing days its gate holds, by reason code (authorization used up, plan
not certified ...), read at scrape time."""

from __future__ import annotations

from sqlalchemy import select

from otrcm_poc.adapters.store import billing_days
from otrcm_shared.runtime.db import Database
from otrcm_shared.runtime.metrics import Points, ServiceMetrics, by_reason

SCRAPE_INTERVAL_S = 10.0


def register(metrics: ServiceMetrics, db: Database) -> None:
    async def held() -> Points:
        query = select(billing_days.c.reasons).where(billing_days.c.status == "held")
        async with db.engine.connect() as connection:
            return by_reason((await connection.execute(query)).scalars())

    metrics.state(
        "otrcm.billing_days.held", held, description="Billing days the gate holds, by reason code.", min_interval_s=10
    )
