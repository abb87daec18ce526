"""Use case: apply one fact to a day, derive its encounters' statuses, record the changed ones in the read
model and stage each change on the compacted status topic (in the caller's transaction)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession

from otrcm_shared.events import Envelope
from otrcm_shared.events.encounter_status import EncounterStatusChanged
from otrcm_shared.runtime.json_column import json_of
from otrcm_shared.runtime.outbox import Outgoing
from otrcm_shared.runtime.prepared import Prepared, upsert
from otrcm_shared.topics import ENCOUNTER_STATUS, TopicSpec, encounter_key
from otrcm_status.adapters.store import days, encounter_status
from otrcm_status.domain.day_facts import DayFacts
from otrcm_status.domain.encounter_status import Derived, Status, derive, next_status

# the topics this module stages outbox rows for
PUBLISHES: tuple[TopicSpec, ...] = (ENCOUNTER_STATUS,)

DayUpdate = Callable[[DayFacts], DayFacts | None]


# Built once (docs/adr/014): every projected fact runs them.
_DAY_FACTS = Prepared(
    select(days.c.facts)
    .where(days.c.tenant_id == bindparam("tenant_id"), days.c.day_key == bindparam("day_key"))
    .with_for_update()
)
_SAVE_DAY = upsert(days, ("tenant_id", "day_key"), ("facts",))
_STATUS_COLUMNS = (encounter_status.c[name] for name in ("encounter_id", "status", "detail", "claim_id", "revision"))
_STATUS_OF = select(*_STATUS_COLUMNS).where(encounter_status.c.tenant_id == bindparam("tenant_id")).with_for_update()
_STATUS_OF_ONE = Prepared(_STATUS_OF.where(encounter_status.c.encounter_id == bindparam("encounter_id")))
_STATUS_OF_MANY = Prepared(
    _STATUS_OF.where(encounter_status.c.encounter_id.in_(bindparam("encounter_ids", expanding=True)))
)
_SAVE_STATUS = upsert(
    encounter_status,
    ("tenant_id", "encounter_id"),
    ("day_key", "patient_key", "status", "detail", "claim_id", "revision", "updated_at"),
)


async def _load_day(session: AsyncSession, tenant_id: str, day_key: str, patient_key: str) -> DayFacts:
    stored = (await _DAY_FACTS.execute(session, {"tenant_id": tenant_id, "day_key": day_key})).scalar()
    if stored is None:
        return DayFacts(day_key=day_key, patient_key=patient_key)
    return DayFacts.model_validate(stored)


async def _save_day(session: AsyncSession, tenant_id: str, day: DayFacts) -> None:
    await _SAVE_DAY.execute(session, {"tenant_id": tenant_id, "day_key": day.day_key, "facts": json_of(day)})


async def apply_to_day(
    session: AsyncSession,
    cause: Envelope[Any],
    day_key: str,
    patient_key: str,
    update: DayUpdate,
) -> list[Outgoing]:
    """Apply ``update`` to the day; when it changed the day, record and publish its encounters' new statuses."""
    day = await _load_day(session, cause.tenant_id, day_key, patient_key)
    changed = update(day)
    if changed is None:
        return []  # not newer than what the day holds: nothing moves
    await _save_day(session, cause.tenant_id, changed)
    return await _record(session, cause, changed, derive(changed))


async def _record(
    session: AsyncSession, cause: Envelope[Any], day: DayFacts, derived: dict[str, Derived]
) -> list[Outgoing]:
    ids = list(derived)
    if len(ids) == 1:  # the common day: one encounter, one prepared look-up
        found = await _STATUS_OF_ONE.execute(session, {"tenant_id": cause.tenant_id, "encounter_id": ids[0]})
    else:
        found = await _STATUS_OF_MANY.execute(session, {"tenant_id": cause.tenant_id, "encounter_ids": ids})
    known = {row.encounter_id: row for row in found}
    outgoing = []
    for encounter_id, wanted in sorted(derived.items()):
        row = known.get(encounter_id)
        current = Status(row.status) if row is not None else None
        taken = next_status(current, wanted)
        if taken is None or (row is not None and (row.status, row.detail, row.claim_id) == _shown(taken)):
            continue
        revision = (row.revision if row is not None else 0) + 1
        await _upsert(session, cause, day, encounter_id, taken, revision)
        outgoing.append(_published(cause, day, encounter_id, taken, revision, current))
    return outgoing


def _shown(derived: Derived) -> tuple[str, dict[str, object], str | None]:
    return derived.status.value, derived.detail, derived.claim_id


async def _upsert(
    session: AsyncSession,
    cause: Envelope[Any],
    day: DayFacts,
    encounter_id: str,
    taken: Derived,
    revision: int,
) -> None:
    values = {
        "tenant_id": cause.tenant_id,
        "encounter_id": encounter_id,
        "day_key": day.day_key,
        "patient_key": day.patient_key,
        "status": taken.status.value,
        "detail": taken.detail,
        "claim_id": taken.claim_id,
        "revision": revision,
        "updated_at": _when(cause),
    }
    await _SAVE_STATUS.execute(session, values)


def _when(cause: Envelope[Any]) -> datetime:
    """When the status changed: when the causing event happened (handlers never read the clock)."""
    return cause.occurred_at


def _published(
    cause: Envelope[Any],
    day: DayFacts,
    encounter_id: str,
    taken: Derived,
    revision: int,
    previous: Status | None,
) -> Outgoing:
    payload = EncounterStatusChanged(
        encounter_id=encounter_id,
        revision=revision,
        status=taken.status.value,
        previous_status=previous.value if previous is not None else None,
        patient_key=day.patient_key,
        day_key=day.day_key,
        claim_id=taken.claim_id,
        reason_codes=taken.reason_codes,
    )
    event = cause.follow(
        payload, stage=f"status/{encounter_id}/{revision}", subject=encounter_id, occurred_at=_when(cause)
    )
    return Outgoing(ENCOUNTER_STATUS, encounter_key(cause.tenant_id, encounter_id), event)
