"""Loading and saving the patient's plans, IEPs and authorizations (plain data in JSON columns)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from otrcm_poc.adapters.store import authorizations, plans
from otrcm_poc.domain import (
    Authorization,
    PlanOfCare,
    authorization_as_plain_data,
    authorization_from_plain_data,
    iep_as_plain_data,
    iep_from_plain_data,
    plan_as_plain_data,
    plan_from_plain_data,
)
from otrcm_poc.domain.iep import IepPlan
from otrcm_shared.runtime.db import upsert_capable_insert


@dataclass(frozen=True)
class PatientRecords:
    plans: tuple[PlanOfCare, ...]
    ieps: tuple[IepPlan, ...]
    authorizations: tuple[Authorization, ...]


async def load_patient(session: AsyncSession, tenant_id: str, patient_key: str) -> PatientRecords:
    plan_rows = (
        await session.execute(
            select(plans.c.kind, plans.c.state).where(
                plans.c.tenant_id == tenant_id, plans.c.patient_key == patient_key
            )
        )
    ).all()
    auth_rows = await session.scalars(
        select(authorizations.c.state).where(
            authorizations.c.tenant_id == tenant_id, authorizations.c.patient_key == patient_key
        )
    )
    return PatientRecords(
        plans=tuple(plan_from_plain_data(row.state) for row in plan_rows if row.kind == "plan"),
        ieps=tuple(iep_from_plain_data(row.state) for row in plan_rows if row.kind == "iep"),
        authorizations=tuple(authorization_from_plain_data(state) for state in auth_rows),
    )


async def load_plan(session: AsyncSession, tenant_id: str, plan_id: str) -> PlanOfCare | IepPlan | None:
    row = (
        await session.execute(
            select(plans.c.kind, plans.c.state).where(plans.c.tenant_id == tenant_id, plans.c.plan_id == plan_id)
        )
    ).first()
    if row is None:
        return None
    return plan_from_plain_data(row.state) if row.kind == "plan" else iep_from_plain_data(row.state)


async def save_plan(session: AsyncSession, tenant_id: str, plan: PlanOfCare | IepPlan) -> None:
    is_iep = isinstance(plan, IepPlan)
    state = iep_as_plain_data(plan) if is_iep else plan_as_plain_data(plan)  # type: ignore[arg-type]
    upsert = upsert_capable_insert(session, plans).values(
        tenant_id=tenant_id, plan_id=plan.plan_id, patient_key=plan.patient_key, kind="iep" if is_iep else "plan",
        state=state,
    )  # fmt: skip
    await session.execute(upsert.on_conflict_do_update(index_elements=["tenant_id", "plan_id"], set_={"state": state}))


async def save_authorization(session: AsyncSession, tenant_id: str, authorization: Authorization) -> None:
    state = authorization_as_plain_data(authorization)
    upsert = upsert_capable_insert(session, authorizations).values(
        tenant_id=tenant_id,
        authorization_id=authorization.authorization_id,
        patient_key=authorization.patient_key,
        state=state,
    )
    await session.execute(
        upsert.on_conflict_do_update(index_elements=["tenant_id", "authorization_id"], set_={"state": state})
    )
