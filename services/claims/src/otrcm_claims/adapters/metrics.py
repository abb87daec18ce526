"""The claims service's state metrics, read at scrape time from its claims' status history: claims built and
submitted, and claims rejected by a 999 or a 277CA (counts of steps, which are never deleted)."""

from __future__ import annotations

from sqlalchemy import func, select

from otrcm_claims.adapters.store import claim_status_changes
from otrcm_shared.runtime.db import Database
from otrcm_shared.runtime.metrics import Points, ServiceMetrics

SCRAPE_INTERVAL_S = 10.0
ACKNOWLEDGMENT_KINDS = ("999", "277ca")


def register(metrics: ServiceMetrics, db: Database) -> None:
    steps = claim_status_changes
    by_step = select(steps.c.to_status, steps.c.source, func.count()).group_by(steps.c.to_status, steps.c.source)
    last: dict[str, list[tuple[str, str, int]]] = {}

    async def read() -> list[tuple[str, str, int]]:
        async with db.engine.connect() as connection:
            last["rows"] = [(str(a), str(b), int(c)) for a, b, c in (await connection.execute(by_step)).all()]
        return last["rows"]

    def total(rows: list[tuple[str, str, int]], status: str) -> float:
        return float(sum(count for to_status, _source, count in rows if to_status == status))

    async def built() -> Points:
        return [({}, total(await read(), "built"))]

    async def submitted() -> Points:
        return [({}, total(last.get("rows") or await read(), "submitted"))]

    async def rejections() -> Points:
        rows = last.get("rows") or await read()
        return [
            ({"kind": kind}, float(sum(n for status, source, n in rows if status == "rejected" and source == kind)))
            for kind in ACKNOWLEDGMENT_KINDS
        ]

    interval = SCRAPE_INTERVAL_S
    metrics.state("otrcm.claims.built", built, description="Claims built.", counter=True, min_interval_s=interval)
    metrics.state(
        "otrcm.claims.submitted", submitted, description="Claims submitted.", counter=True, min_interval_s=interval
    )
    metrics.state(
        "otrcm.acknowledgment.rejections",
        rejections,
        description="Claims rejected by an acknowledgment, by kind (999, 277ca).",
        counter=True,
        min_interval_s=interval,
    )
