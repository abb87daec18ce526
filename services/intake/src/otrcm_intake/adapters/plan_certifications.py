"""The initial certification of each plan as the door accepted it (``plan_certifications``): later certified,
verbal-order and signed steps are checked against it with poc's own rules, so none is refused later."""

from __future__ import annotations

from dataclasses import asdict

from sqlalchemy import delete, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from otrcm_intake.adapters.store import plan_certifications
from otrcm_shared.rules.certification_steps import CertificationOnFile


async def certification_on_file(session: AsyncSession, tenant_id: str, plan_id: str) -> CertificationOnFile | None:
    rows = plan_certifications.c
    row = (
        await session.execute(select(plan_certifications).where(rows.tenant_id == tenant_id, rows.plan_id == plan_id))
    ).first()
    if row is None:
        return None
    return CertificationOnFile(
        row.by_verbal_order, row.dated_on, row.signed_on, row.certifier_npi, row.certifier_credential, row.duration_days
    )


async def remember_certification(
    session: AsyncSession,
    tenant_id: str,
    plan_id: str,
    before: CertificationOnFile | None,
    after: CertificationOnFile | None,
) -> None:
    if after is None or after == before:
        return
    rows = plan_certifications.c
    await session.execute(delete(plan_certifications).where(rows.tenant_id == tenant_id, rows.plan_id == plan_id))
    await session.execute(insert(plan_certifications).values(tenant_id=tenant_id, plan_id=plan_id, **asdict(after)))
