"""Loading and saving the patient's plans, IEPs and authorizations (plain data in JSON columns)."""

from __future__ import annotations

from dataclasses import dataclass

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
from otrcm_shared.runtime.prepared import lookup, upsert


@dataclass(frozen=True)
class PatientRecords:
    plans: tuple[PlanOfCare, ...]
    ieps: tuple[IepPlan, ...]
    authorizations: tuple[Authorization, ...]


# Built once (docs/adr/014).
_PLANS_OF_PATIENT = lookup(plans.c.kind, plans.c.state, where=("tenant_id", "patient_key"))
_AUTHORIZATIONS_OF_PATIENT = lookup(authorizations.c.state, where=("tenant_id", "patient_key"))
_PLAN = lookup(plans.c.kind, plans.c.state, where=("tenant_id", "plan_id"))
_SAVE_PLAN = upsert(plans, ("tenant_id", "plan_id"), ("state",), insert_only=("patient_key", "kind"))
_SAVE_AUTHORIZATION = upsert(
    authorizations, ("tenant_id", "authorization_id"), ("state",), insert_only=("patient_key",)
)


async def load_patient(session: AsyncSession, tenant_id: str, patient_key: str) -> PatientRecords:
    of_patient = {"tenant_id": tenant_id, "patient_key": patient_key}
    plan_rows = (await _PLANS_OF_PATIENT.execute(session, of_patient)).all()
    auth_rows = (await _AUTHORIZATIONS_OF_PATIENT.execute(session, of_patient)).scalars()
    return PatientRecords(
        plans=tuple(plan_from_plain_data(row.state) for row in plan_rows if row.kind == "plan"),
        ieps=tuple(iep_from_plain_data(row.state) for row in plan_rows if row.kind == "iep"),
        authorizations=tuple(authorization_from_plain_data(state) for state in auth_rows),
    )


async def load_plan(session: AsyncSession, tenant_id: str, plan_id: str) -> PlanOfCare | IepPlan | None:
    row = (await _PLAN.execute(session, {"tenant_id": tenant_id, "plan_id": plan_id})).first()
    if row is None:
        return None
    return plan_from_plain_data(row.state) if row.kind == "plan" else iep_from_plain_data(row.state)


async def save_plan(session: AsyncSession, tenant_id: str, plan: PlanOfCare | IepPlan) -> None:
    is_iep = isinstance(plan, IepPlan)
    state = iep_as_plain_data(plan) if is_iep else plan_as_plain_data(plan)  # type: ignore[arg-type]
    values = {"tenant_id": tenant_id, "plan_id": plan.plan_id, "patient_key": plan.patient_key, "state": state}
    await _SAVE_PLAN.execute(session, {**values, "kind": "iep" if is_iep else "plan"})


async def save_authorization(session: AsyncSession, tenant_id: str, authorization: Authorization) -> None:
    values = {
        "tenant_id": tenant_id,
        "authorization_id": authorization.authorization_id,
        "patient_key": authorization.patient_key,
        "state": authorization_as_plain_data(authorization),
    }
    await _SAVE_AUTHORIZATION.execute(session, values)
