"""The patient details the read API shows (domain/minimum_necessary.py), kept from each patient's latest record,
and the tenant's patient ids. A patient recorded before details were kept shows its id and payers only, and
says so: posting the patient again fills the rest."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from otrcm_intake.adapters.store import patient_coverages, patient_details, records
from otrcm_intake.domain.minimum_necessary import kept_coverage, shown_coverage
from otrcm_intake.domain.submissions import PatientSubmission
from otrcm_shared.refdata import PayerProfiles
from otrcm_shared.runtime.db import upsert_capable_insert


async def remember_details(session: AsyncSession, tenant_id: str, patient: PatientSubmission) -> None:
    values: dict[str, Any] = {
        "first_name": patient.first_name,
        "last_name": patient.last_name,
        "birth_date": patient.birth_date,
        "coverages": [kept_coverage(coverage) for coverage in patient.coverages],
        "updated_at": datetime.now(UTC),
    }
    upsert = upsert_capable_insert(session, patient_details).values(
        tenant_id=tenant_id, patient_id=patient.patient_id, **values
    )
    await session.execute(upsert.on_conflict_do_update(index_elements=["tenant_id", "patient_id"], set_=values))


async def details_of(
    session: AsyncSession, tenant_id: str, patient_id: str, payers: PayerProfiles
) -> dict[str, Any] | None:
    """The tenant's patient as the API shows it, or None when the tenant recorded no such patient."""
    c = patient_details.c
    row = (
        await session.execute(select(patient_details).where(c.tenant_id == tenant_id, c.patient_id == patient_id))
    ).first()
    if row is not None:
        return {
            "patient_id": patient_id,
            "first_name": row.first_name,
            "last_name": row.last_name,
            "birth_date": row.birth_date.isoformat(),
            "coverages": [shown_coverage(kept, payers) for kept in row.coverages],
            "complete": True,
        }
    return await _recorded_before_details(session, tenant_id, patient_id, payers)


async def _recorded_before_details(
    session: AsyncSession, tenant_id: str, patient_id: str, payers: PayerProfiles
) -> dict[str, Any] | None:
    recorded = await session.scalar(
        select(records.c.record_id).where(
            records.c.tenant_id == tenant_id, records.c.kind == "patient", records.c.record_id == patient_id
        )
    )
    if recorded is None:
        return None
    payer_ids = await session.scalars(
        select(patient_coverages.c.payer_id)
        .where(patient_coverages.c.tenant_id == tenant_id, patient_coverages.c.patient_id == patient_id)
        .order_by(patient_coverages.c.payer_id)
    )
    return {
        "patient_id": patient_id,
        "first_name": None,
        "last_name": None,
        "birth_date": None,
        "coverages": [shown_coverage({"payer_id": payer_id}, payers) for payer_id in payer_ids],
        "complete": False,
    }


async def patient_ids(session: AsyncSession, tenant_id: str, limit: int, offset: int) -> list[str]:
    """The tenant's patient ids in order, one page."""
    query = (
        select(records.c.record_id)
        .where(records.c.tenant_id == tenant_id, records.c.kind == "patient")
        .order_by(records.c.record_id)
        .limit(limit)
        .offset(offset)
    )
    return [str(patient_id) for patient_id in await session.scalars(query)]
