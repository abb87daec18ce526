"""The modifiers service's state metric: reference datasets priced from a version carried forward (provisional
estimates, docs/adr/009), counted by dataset and year across tenants. Missing datasets dead-letter their days
(``otrcm_records_dead_lettered_total{reason="REFERENCE_DATA_MISSING"}``)."""

from __future__ import annotations

from sqlalchemy import func, select

from otrcm_modifiers.adapters.store import reference_alerts
from otrcm_shared.runtime.db import Database
from otrcm_shared.runtime.metrics import Points, ServiceMetrics

SCRAPE_INTERVAL_S = 10.0


def register(metrics: ServiceMetrics, db: Database) -> None:
    alerts = reference_alerts

    async def provisional() -> Points:
        pairs = select(alerts.c.dataset, alerts.c.year).distinct().subquery()
        async with db.engine.connect() as connection:
            count = (await connection.execute(select(func.count()).select_from(pairs))).scalar_one()
        return [({"state": "provisional"}, float(count))]

    metrics.state(
        "otrcm.reference.datasets",
        provisional,
        description="Reference datasets (dataset and year) priced from a version carried forward.",
        min_interval_s=SCRAPE_INTERVAL_S,
    )
