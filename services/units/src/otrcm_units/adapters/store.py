"""The units service's state: the encounters of each billing day and the day's revision counter."""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, Column, Integer, MetaData, String, Table, bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession

from otrcm_shared.events.encounters import EncounterReceived
from otrcm_shared.runtime.db import upsert_insert
from otrcm_shared.runtime.json_column import json_of
from otrcm_shared.runtime.prepared import Prepared

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


def _bump(dialect: str) -> Any:
    insert = upsert_insert(dialect, billing_days).values(
        tenant_id=bindparam("tenant_id"), day_key=bindparam("day_key"), revision=1
    )
    return insert.on_conflict_do_update(
        index_elements=["tenant_id", "day_key"], set_={"revision": billing_days.c.revision + 1}
    ).returning(billing_days.c.revision)


def _keep_encounter(dialect: str) -> Any:
    columns = ("tenant_id", "day_key", "encounter_id", "arrival", "encounter")
    insert = upsert_insert(dialect, day_encounters).values({name: bindparam(name) for name in columns})
    return insert.on_conflict_do_update(
        index_elements=["tenant_id", "day_key", "encounter_id"], set_={"encounter": insert.excluded.encounter}
    )


# Built once (docs/adr/014): the three statements every received encounter runs.
_BUMP_REVISION = Prepared(_bump)
_KEEP_ENCOUNTER = Prepared(_keep_encounter)
_ENCOUNTERS_OF_DAY = Prepared(
    select(day_encounters.c.encounter)
    .where(day_encounters.c.tenant_id == bindparam("tenant_id"), day_encounters.c.day_key == bindparam("day_key"))
    .order_by(day_encounters.c.arrival, day_encounters.c.encounter_id)
)


async def next_revision(session: AsyncSession, tenant_id: str, day_key: str) -> int:
    """Bump the day's revision atomically (the row lock also serializes two writers of one day)."""
    revision: int = (await _BUMP_REVISION.execute(session, {"tenant_id": tenant_id, "day_key": day_key})).scalar_one()
    return revision


async def record_encounter(
    session: AsyncSession, tenant_id: str, day_key: str, revision: int, encounter: EncounterReceived
) -> None:
    """Add the encounter to its day; the same encounter id again replaces its earlier version (a void too: it
    stays, marked, so that an older version arriving later is known to be older)."""
    values = {
        "tenant_id": tenant_id,
        "day_key": day_key,
        "encounter_id": encounter.encounter_id,
        "arrival": revision,
        "encounter": json_of(encounter),
    }
    await _KEEP_ENCOUNTER.execute(session, values)


async def encounters_of_day(session: AsyncSession, tenant_id: str, day_key: str) -> list[EncounterReceived]:
    """The day's encounters in the order they first arrived (the voided too, marked: they bill no line)."""
    rows = await _ENCOUNTERS_OF_DAY.execute(session, {"tenant_id": tenant_id, "day_key": day_key})
    return [EncounterReceived.model_validate(row) for row in rows.scalars()]
