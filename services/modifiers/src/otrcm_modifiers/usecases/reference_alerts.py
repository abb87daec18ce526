"""One alert per tenant, dataset and year when a dataset has no version for the year and an earlier
version is carried forward (the estimates of that year are provisional until the year's file is imported).

Raised once: a row per (tenant, dataset, year) remembers it, and the event id is derived from the same
triple, so a redelivered day or a second instance cannot raise it twice.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from otrcm_modifiers.adapters.store import reference_alerts
from otrcm_shared.events import Envelope
from otrcm_shared.events.alerts import AlertRaised
from otrcm_shared.events.reference_data import DatasetUsed
from otrcm_shared.runtime.db import upsert_capable_insert
from otrcm_shared.runtime.outbox import Outgoing
from otrcm_shared.topics import ALERTS, TopicSpec, tenant_key

PUBLISHES: tuple[TopicSpec, ...] = (ALERTS,)  # the topics this module stages outbox rows for

KIND = "REFERENCE_DATA_PROVISIONAL"


def alert_message(used: DatasetUsed) -> str:
    return (
        f"No {used.year} version of reference dataset {used.dataset} is loaded: {used.year} dates are priced "
        f"and decided with version {used.version}, carried forward, and marked provisional. Import the "
        f"{used.year} file with `otrcm-refdata import`; later estimates then use it."
    )


async def provisional_alerts(
    session: AsyncSession, tenant_id: str, used: Iterable[DatasetUsed], occurred_at: datetime
) -> Sequence[Outgoing]:
    """Alerts for the carried-forward datasets of one day that this tenant has not been alerted about."""
    outgoing: list[Outgoing] = []
    for item in sorted({(u.dataset, u.year or 0): u for u in used if u.provisional}.values(), key=lambda u: u.dataset):
        year = item.year or 0
        found = await session.scalar(
            select(reference_alerts.c.year).where(
                reference_alerts.c.tenant_id == tenant_id,
                reference_alerts.c.dataset == item.dataset,
                reference_alerts.c.year == year,
            )
        )
        if found is not None:
            continue
        insert = upsert_capable_insert(session, reference_alerts).values(
            tenant_id=tenant_id, dataset=item.dataset, year=year, carried_version=item.version
        )
        await session.execute(insert.on_conflict_do_nothing())
        condition = f"reference-data/{item.dataset}/{year}"
        payload = AlertRaised(
            condition_id=condition,
            kind=KIND,
            subject_id=condition,
            message=alert_message(item),
            dataset=item.dataset,
            year=year,
        )
        event = Envelope.root(
            payload,
            tenant_id=tenant_id,
            subject=condition,
            natural_key=condition,
            stage="modifiers",
            occurred_at=occurred_at,
        )
        outgoing.append(Outgoing(ALERTS, tenant_key(tenant_id, "reference-data"), event))
    return outgoing
