"""The units service's state: the encounters of each billing day and the day's revision counter."""

from __future__ import annotations

from sqlalchemy import JSON, Column, Integer, MetaData, String, Table, select
from sqlalchemy.ext.asyncio import AsyncSession

from otrcm_shared.events.encounters import EncounterReceived
from otrcm_shared.runtime.db import upsert_capable_insert

metadata = MetaData()

billing_days = Table(
    "billing_days",
    metadata,
    Column("tenant_id", String(64), primary_key=True),
    Column("day_key", String(200), primary_key=True),
    Column("revision", Integer, nullable=False),
)

day_encounters = Table(
    "day_encounters",
    metadata,
    Column("tenant_id", String(64), primary_key=True),
    Column("day_key", String(200), primary_key=True),
    Column("encounter_id", String(64), primary_key=True),
    Column("arrival", Integer, nullable=False),
    Column("encounter", JSON, nullable=False),
)


async def next_revision(session: AsyncSession, tenant_id: str, day_key: str) -> int:
    """Bump the day's revision atomically (the row lock also serializes two writers of one day)."""
    insert = upsert_capable_insert(session, billing_days).values(tenant_id=tenant_id, day_key=day_key, revision=1)
    bump = insert.on_conflict_do_update(
        index_elements=["tenant_id", "day_key"], set_={"revision": billing_days.c.revision + 1}
    ).returning(billing_days.c.revision)
    revision: int = (await session.execute(bump)).scalar_one()
    return revision


async def record_encounter(
    session: AsyncSession, tenant_id: str, day_key: str, revision: int, encounter: EncounterReceived
) -> None:
    """Add the encounter to its day; the same encounter id again replaces its earlier version (a void too: it
    stays, marked, so that an older version arriving later is known to be older)."""
    statement = upsert_capable_insert(session, day_encounters).values(
        tenant_id=tenant_id,
        day_key=day_key,
        encounter_id=encounter.encounter_id,
        arrival=revision,
        encounter=encounter.model_dump(mode="json"),
    )
    statement = statement.on_conflict_do_update(
        index_elements=["tenant_id", "day_key", "encounter_id"],
        set_={"encounter": statement.excluded.encounter},
    )
    await session.execute(statement)


async def encounters_of_day(session: AsyncSession, tenant_id: str, day_key: str) -> list[EncounterReceived]:
    """The day's encounters in the order they first arrived (the voided too, marked: they bill no line)."""
    rows = await session.scalars(
        select(day_encounters.c.encounter)
        .where(day_encounters.c.tenant_id == tenant_id, day_encounters.c.day_key == day_key)
        .order_by(day_encounters.c.arrival, day_encounters.c.encounter_id)
    )
    return [EncounterReceived.model_validate(row) for row in rows]


async def stored_revision(session: AsyncSession, tenant_id: str, day_key: str, encounter_id: str) -> int | None:
    """The revision of the encounter as its day holds it (None: the day does not hold it)."""
    c = day_encounters.c
    stored = await session.scalar(
        select(c.encounter).where(c.tenant_id == tenant_id, c.day_key == day_key, c.encounter_id == encounter_id)
    )
    return None if stored is None else int(stored.get("revision", 1))
