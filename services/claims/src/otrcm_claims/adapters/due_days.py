"""The ready days a batch looks at: every unclaimed day, each with its patient's record when the service has one.

A batch takes the days a range of patients at a time (``patient_ranges``), each range in a transaction of its
own, so what a batch holds in memory is bounded by the range, not by everything due. A claim bills one
patient's days, so a range never splits a patient.

One statement for each range. A day whose patient record never came (a record lost upstream, a tenant
that stopped sending) stays unclaimed for good, so a batch that looked the record up day by day paid a query
and a full decode for each such day on every run, and the runs slowed down as those days piled up. The
outer join answers "is there a record?" for all of them at once; the caller decodes only what it can use.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, func, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from otrcm_claims.adapters.store import patients, ready_days


@dataclass(frozen=True)
class PatientRange:
    """Every patient from ``first`` to ``last`` (each a tenant id and patient key), in key order."""

    first: tuple[str, str]
    last: tuple[str, str]


async def patient_ranges(session: AsyncSession, days_per_range: int) -> list[PatientRange]:
    """The patients with unclaimed days, cut into ranges of about ``days_per_range`` days (a patient with more
    days than that has a range to itself)."""
    days = ready_days
    counted = (
        await session.execute(
            select(days.c.tenant_id, days.c.patient_key, func.count())
            .where(days.c.claimed.is_(False))
            .group_by(days.c.tenant_id, days.c.patient_key)
            .order_by(days.c.tenant_id, days.c.patient_key)
        )
    ).all()
    ranges: list[PatientRange] = []
    first: tuple[str, str] | None = None
    taken = 0
    for tenant_id, patient_key, count in counted:
        first = first or (tenant_id, patient_key)
        taken += count
        if taken >= days_per_range:
            ranges.append(PatientRange(first, (tenant_id, patient_key)))
            first, taken = None, 0
    if first is not None:
        ranges.append(PatientRange(first, (counted[-1][0], counted[-1][1])))
    return ranges


async def unclaimed_days(session: AsyncSession, within: PatientRange | None = None) -> Sequence[Any]:
    """Rows of ``ready_days`` not yet claimed (of the patients ``within`` a range, else all), tenant by tenant and
    day by day, with ``patient_record`` (None when the patient's record has not arrived). On PostgreSQL the days
    are locked, skipping those another batch holds, so two claims instances never build the same day."""
    days = ready_days
    same_patient = and_(patients.c.tenant_id == days.c.tenant_id, patients.c.patient_key == days.c.patient_key)
    query = (
        select(days, patients.c.record.label("patient_record"))
        .select_from(days.outerjoin(patients, same_patient))
        .where(days.c.claimed.is_(False))
        .order_by(days.c.tenant_id, days.c.day_key)
    )
    if within is not None:
        patient = tuple_(days.c.tenant_id, days.c.patient_key)
        query = query.where(patient >= tuple_(*within.first), patient <= tuple_(*within.last))
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True, of=days)  # the patient rows stay free for their writer
    return (await session.execute(query)).mappings().all()


def waits_for_its_record(row: Any) -> bool:
    """A day with lines whose patient record has not arrived: all a batch can do is report it pending."""
    ready = row["ready"]
    return row["patient_record"] is None and isinstance(ready, dict) and bool(ready.get("lines"))


def day_of(row: Any) -> dict[str, str]:
    return {"tenant_id": row["tenant_id"], "day_key": row["day_key"]}
