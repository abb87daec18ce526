"""Subscribers' use cases for the read models beside the statuses: the billing days' verdicts (for plans,
authorizations and the worklist's locations), the plans of care, the authorizations, the alerts and each claim's
status history. Each keeps facts; the views are derived when read (``queries.py``), so a late or out-of-order
event is applied by the same rules as any other. Nothing is published."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession

from otrcm_shared.events import Envelope
from otrcm_shared.events.alerts import AlertRaised
from otrcm_shared.events.claim_status import ClaimStatusChanged
from otrcm_shared.events.day_verdict import DayJudged
from otrcm_shared.events.plans import AuthorizationRecorded, PlanOfCareRecorded
from otrcm_shared.events.units import UnitsCalculated
from otrcm_shared.runtime.db import upsert_capable_insert
from otrcm_shared.runtime.json_column import json_of
from otrcm_shared.runtime.outbox import Outgoing
from otrcm_shared.runtime.prepared import Prepared, upsert
from otrcm_status.adapters.store import alerts, authorizations, billing_days, claim_steps, plans_of_care
from otrcm_status.domain.billing_days import BillingDay
from otrcm_status.domain.plan_record import StepFact, with_step

# Built once (docs/adr/014): every day's units and verdicts run them.
_BILLING_DAY = Prepared(
    select(billing_days.c.record)
    .where(billing_days.c.tenant_id == bindparam("tenant_id"), billing_days.c.day_key == bindparam("day_key"))
    .with_for_update()
)
_SAVE_BILLING_DAY = upsert(billing_days, ("tenant_id", "day_key"), ("record",), insert_only=("patient_key",))


async def _billing_day(session: AsyncSession, tenant_id: str, day: UnitsCalculated) -> BillingDay:
    stored = (await _BILLING_DAY.execute(session, {"tenant_id": tenant_id, "day_key": day.day_key})).scalar()
    return BillingDay.model_validate(stored) if stored is not None else BillingDay.of(day)


async def _save_billing_day(session: AsyncSession, tenant_id: str, day: BillingDay) -> None:
    values = {"tenant_id": tenant_id, "day_key": day.day_key, "patient_key": day.patient_key}
    await _SAVE_BILLING_DAY.execute(session, {**values, "record": json_of(day)})


async def record_units(session: AsyncSession, event: Envelope[UnitsCalculated]) -> None:
    """The day's encounters and their locations, when these units are the day's newest."""
    day = await _billing_day(session, event.tenant_id, event.payload)
    changed = day.with_units(event.payload)
    if changed is not None:
        await _save_billing_day(session, event.tenant_id, changed)


async def record_verdict(session: AsyncSession, event: Envelope[DayJudged]) -> None:
    """The gate's verdict (when newest) and the encounters a cleared verdict counted (always)."""
    day = await _billing_day(session, event.tenant_id, event.payload.day)
    changed = day.with_verdict(event.payload)
    if changed is not None:
        await _save_billing_day(session, event.tenant_id, changed)


async def record_claim_step(session: AsyncSession, event: Envelope[ClaimStatusChanged]) -> None:
    """One step of the claim's history; a step already kept (same revision) stays as it was."""
    change = event.payload
    insert = upsert_capable_insert(session, claim_steps).values(
        tenant_id=event.tenant_id,
        claim_id=change.claim_id,
        revision=change.revision,
        occurred_at=event.occurred_at,
        step=change.model_dump(mode="json"),
    )
    await session.execute(insert.on_conflict_do_nothing(index_elements=["tenant_id", "claim_id", "revision"]))


async def on_plan_recorded(session: AsyncSession, event: Envelope[PlanOfCareRecorded]) -> Sequence[Outgoing]:
    step = event.payload
    c = plans_of_care.c
    stored = await session.scalar(
        select(c.steps).where(c.tenant_id == event.tenant_id, c.plan_id == step.plan_id).with_for_update()
    )
    known = tuple(StepFact.model_validate(s) for s in stored or ())
    steps = with_step(known, StepFact.of(str(event.event_id), step))
    if steps is None:
        return []  # a redelivery
    plain = [s.model_dump(mode="json") for s in steps]
    upsert = upsert_capable_insert(session, plans_of_care).values(
        tenant_id=event.tenant_id, plan_id=step.plan_id, patient_key=step.patient_key, steps=plain
    )
    await session.execute(upsert.on_conflict_do_update(index_elements=["tenant_id", "plan_id"], set_={"steps": plain}))
    return []


async def on_authorization_recorded(
    session: AsyncSession, event: Envelope[AuthorizationRecorded]
) -> Sequence[Outgoing]:
    """The authorization as recorded; a record that occurred before the one kept (a late copy) changes nothing."""
    auth, c = event.payload, authorizations.c
    applied = (
        await session.execute(
            select(c.recorded_at, c.event_id)
            .where(c.tenant_id == event.tenant_id, c.authorization_id == auth.authorization_id)
            .with_for_update()
        )
    ).first()
    if applied is not None and (applied.recorded_at, applied.event_id) >= (event.occurred_at, str(event.event_id)):
        return []
    values = {
        "patient_key": auth.patient_key, "payer_id": auth.payer_id, "unit": auth.unit.value,
        "authorized": auth.authorized, "start_date": auth.start_date, "end_date": auth.end_date,
        "recorded_at": event.occurred_at, "event_id": str(event.event_id),
    }  # fmt: skip
    upsert = upsert_capable_insert(session, authorizations).values(
        tenant_id=event.tenant_id, authorization_id=auth.authorization_id, **values
    )
    await session.execute(upsert.on_conflict_do_update(index_elements=["tenant_id", "authorization_id"], set_=values))
    return []


async def on_alert_raised(session: AsyncSession, event: Envelope[AlertRaised]) -> Sequence[Outgoing]:
    """The alert, once per condition (the first one read is kept)."""
    alert = event.payload
    insert = upsert_capable_insert(session, alerts).values(
        tenant_id=event.tenant_id, condition_id=alert.condition_id, kind=alert.kind, subject_id=alert.subject_id,
        patient_key=alert.patient_key, message=alert.message, due_on=alert.due_on, dataset=alert.dataset,
        year=alert.year, raised_at=event.occurred_at,
    )  # fmt: skip
    await session.execute(insert.on_conflict_do_nothing(index_elements=["tenant_id", "condition_id"]))
    return []
