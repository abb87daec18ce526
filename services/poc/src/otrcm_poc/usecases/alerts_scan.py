"""Use case: the daily alert scan. Every condition true today is raised once (remembered by its id)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from otrcm_poc.adapters.store import alerts_raised, authorizations, plans
from otrcm_poc.domain import CURRENT_POLICY_DATES, alerts_on, authorization_from_plain_data, plan_from_plain_data
from otrcm_shared.events import Envelope
from otrcm_shared.events.alerts import AlertRaised
from otrcm_shared.runtime.db import upsert_capable_insert
from otrcm_shared.runtime.outbox import Outgoing
from otrcm_shared.topics import ALERTS, TopicSpec, partition_key

PUBLISHES: tuple[TopicSpec, ...] = (ALERTS,)  # the topics this module stages outbox rows for


async def scan(session: AsyncSession, today: date, recertification_notice_days: int = 10) -> list[Outgoing]:
    """Alerts for every tenant's plans and authorizations, skipping conditions raised before."""
    plan_rows = (await session.execute(select(plans.c.tenant_id, plans.c.state).where(plans.c.kind == "plan"))).all()
    auth_rows = (await session.execute(select(authorizations.c.tenant_id, authorizations.c.state))).all()
    outgoing: list[Outgoing] = []
    for tenant_id in sorted({row.tenant_id for row in plan_rows} | {row.tenant_id for row in auth_rows}):
        tenant_plans = [plan_from_plain_data(r.state) for r in plan_rows if r.tenant_id == tenant_id]
        tenant_auths = [authorization_from_plain_data(r.state) for r in auth_rows if r.tenant_id == tenant_id]
        patient_of = {p.plan_id: p.patient_key for p in tenant_plans}
        patient_of.update({a.authorization_id: a.patient_key for a in tenant_auths})
        found = alerts_on(
            today,
            plans=tenant_plans,
            authorizations=tenant_auths,
            policy=CURRENT_POLICY_DATES,
            recertification_notice_days=recertification_notice_days,
        )
        for alert in found:
            first_time = await session.execute(
                upsert_capable_insert(session, alerts_raised)
                .values(tenant_id=tenant_id, condition_id=alert.condition_id, raised_at=datetime.now(UTC))
                .on_conflict_do_nothing(index_elements=["tenant_id", "condition_id"])
                .returning(alerts_raised.c.condition_id)
            )
            if first_time.first() is None:
                continue
            patient_key = patient_of[alert.subject_id]
            payload = AlertRaised(
                condition_id=alert.condition_id,
                kind=alert.kind.value,
                patient_key=patient_key,
                subject_id=alert.subject_id,
                message=alert.message,
            )
            event = Envelope.root(
                payload,
                tenant_id=tenant_id,
                subject=alert.subject_id,
                natural_key=alert.condition_id,
                stage="poc.alerts",
            )
            outgoing.append(Outgoing(ALERTS, partition_key(tenant_id, patient_key), event))
    return outgoing
