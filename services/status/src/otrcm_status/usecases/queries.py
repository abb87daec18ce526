"""Use cases of the read API: load one tenant's facts and derive the views with the pure rules (``domain/``).

Every query is scoped to the tenant the front door authenticated; a record of another tenant is never loaded, so
it is answered exactly as a missing one. ``today`` is the business date the caller passes in.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from otrcm_shared.events.claim_status import ClaimStatusChanged
from otrcm_shared.refdata import NoVersionInEffect, PayerProfiles, UnknownPayer
from otrcm_status.adapters.store import alerts, authorizations, billing_days, claim_steps, plans_of_care
from otrcm_status.domain.alerts import Alert, is_open
from otrcm_status.domain.authorizations import Authorization, AuthorizationView, authorization_views
from otrcm_status.domain.billing_days import BillingDay
from otrcm_status.domain.claim_history import HistoryStep, claim_history
from otrcm_status.domain.plan_record import Plan, StepFact, fold
from otrcm_status.domain.plan_view import PlanView, plan_view


async def _patient_of(session: AsyncSession, table: Any, tenant_id: str, column: str, record_id: str) -> str | None:
    found: str | None = await session.scalar(
        select(table.c.patient_key).where(table.c.tenant_id == tenant_id, table.c[column] == record_id)
    )
    return found


async def _plans(session: AsyncSession, tenant_id: str, patient_keys: Sequence[str]) -> list[Plan]:
    c = plans_of_care.c
    rows = await session.execute(
        select(c.plan_id, c.patient_key, c.steps).where(c.tenant_id == tenant_id, c.patient_key.in_(patient_keys))
    )
    folded = [fold(r.plan_id, r.patient_key, tuple(StepFact.model_validate(s) for s in r.steps)) for r in rows]
    return sorted((plan for plan in folded if plan is not None), key=lambda p: (p.evaluation_date, p.plan_id))


async def _days(session: AsyncSession, tenant_id: str, patient_keys: Sequence[str]) -> list[BillingDay]:
    c = billing_days.c
    rows = await session.scalars(select(c.record).where(c.tenant_id == tenant_id, c.patient_key.in_(patient_keys)))
    return [BillingDay.model_validate(record) for record in rows]


async def _views(session: AsyncSession, tenant_id: str, patient_keys: Sequence[str], today: date) -> list[PlanView]:
    plans, days = await _plans(session, tenant_id, patient_keys), await _days(session, tenant_id, patient_keys)
    return [
        plan_view(plan, [p for p in plans if p.patient_key == plan.patient_key],
                  [d for d in days if d.patient_key == plan.patient_key], today)
        for plan in plans
    ]  # fmt: skip


async def plan_views(
    session: AsyncSession, tenant_id: str, today: date, *, plan_id: str | None = None, patient_key: str | None = None
) -> list[PlanView]:
    """One plan (by id) or a patient's plans, oldest first; empty when none is known to this tenant."""
    if plan_id is not None:
        patient_key = await _patient_of(session, plans_of_care, tenant_id, "plan_id", plan_id)
    if patient_key is None:
        return []
    views = await _views(session, tenant_id, [patient_key], today)
    return [view for view in views if plan_id is None or view.plan.plan_id == plan_id]


def payer_requires_authorization(payer_id: str, on: date) -> bool:
    """The payer's profile in effect on the date of service says so (an unknown payer: no, as the gate would
    not have cleared its day)."""
    try:
        return PayerProfiles.builtin(on).get(payer_id).requirements.get("requires_authorization") is True
    except (UnknownPayer, NoVersionInEffect):
        return False


def _authorization(row: Any) -> Authorization:
    return Authorization(
        row.authorization_id, row.patient_key, row.payer_id, row.unit, row.authorized, row.start_date, row.end_date
    )


async def _authorizations(session: AsyncSession, tenant_id: str, patient_keys: Sequence[str]) -> list[Authorization]:
    c = authorizations.c
    rows = await session.execute(
        select(authorizations).where(c.tenant_id == tenant_id, c.patient_key.in_(patient_keys))
    )
    return sorted((_authorization(row) for row in rows), key=lambda a: (a.start_date, a.authorization_id))


async def authorization_views_of(
    session: AsyncSession, tenant_id: str, *, authorization_id: str | None = None, patient_key: str | None = None
) -> list[AuthorizationView]:
    """One authorization (by id) or a patient's, with what each has used; empty when none is known."""
    if authorization_id is not None:
        patient_key = await _patient_of(session, authorizations, tenant_id, "authorization_id", authorization_id)
    if patient_key is None:
        return []
    found = await _authorizations(session, tenant_id, [patient_key])
    days = await _days(session, tenant_id, [patient_key])
    views = authorization_views(found, days, payer_requires_authorization)
    return [views[a.authorization_id] for a in found if authorization_id in (None, a.authorization_id)]


async def claim_steps_of(session: AsyncSession, tenant_id: str, claim_id: str) -> tuple[HistoryStep, ...]:
    c = claim_steps.c
    rows = await session.execute(
        select(c.occurred_at, c.step).where(c.tenant_id == tenant_id, c.claim_id == claim_id).order_by(c.revision)
    )
    return claim_history((row.occurred_at, ClaimStatusChanged.model_validate(row.step)) for row in rows)


def _alert(row: Any) -> Alert:
    return Alert(
        row.condition_id, row.kind, row.subject_id, row.patient_key, row.message, row.due_on, row.dataset, row.year,
        row.raised_at,
    )  # fmt: skip


async def alert_list(
    session: AsyncSession, tenant_id: str, today: date, *, kind: str | None = None
) -> list[tuple[Alert, bool]]:
    """The tenant's alerts (of one kind, when given), oldest first, each with whether it is still open."""
    c = alerts.c
    query = select(alerts).where(c.tenant_id == tenant_id)
    if kind is not None:
        query = query.where(c.kind == kind)
    found = [_alert(row) for row in await session.execute(query)]
    patients = sorted({alert.patient_key for alert in found if alert.patient_key is not None})
    views = {view.plan.plan_id: view for view in await _views(session, tenant_id, patients, today)} if patients else {}
    auths = await _authorizations(session, tenant_id, patients) if patients else []
    found.sort(key=lambda alert: (alert.raised_at, alert.condition_id))
    return [(alert, is_open(alert, views, auths)) for alert in found]
