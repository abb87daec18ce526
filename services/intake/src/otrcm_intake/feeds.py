"""Subscribers: the ingestion topic for EHR feeds, and the status projection of downstream events."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from otrcm_intake.accept import Outcome, accept_encounter
from otrcm_intake.store import encounters
from otrcm_shared.events import Envelope
from otrcm_shared.events.submissions import EncounterSubmission
from otrcm_shared.events.units import UnitsCalculated
from otrcm_shared.runtime.consumer import RecordRejected
from otrcm_shared.runtime.outbox import Outgoing


async def on_encounter_submitted(session: AsyncSession, event: Envelope[EncounterSubmission]) -> Sequence[Outgoing]:
    """The same acceptance as the API; what it rejects goes to the dead-letter topic with the rule ids."""
    result = await accept_encounter(session, event.tenant_id, event.payload, date.today())
    if result.outcome is Outcome.REJECTED:
        rules = sorted({v.rule for v in result.violations if v.severity == "error"})
        paths = ", ".join(sorted({v.path for v in result.violations if v.severity == "error"}))
        raise RecordRejected("ENCOUNTER_INVALID", f"rules broken at: {paths}", rules)
    if result.outcome is Outcome.CONFLICT:
        raise RecordRejected(
            "ENCOUNTER_CONFLICT",
            "the encounter id was already accepted with different content",
            ["encounter.idempotent"],
        )
    return result.outgoing


async def on_units_calculated(session: AsyncSession, event: Envelope[UnitsCalculated]) -> Sequence[Outgoing]:
    """Project the newest units revision onto each of the day's encounters."""
    day = event.payload
    for encounter in day.encounters:
        await session.execute(
            update(encounters)
            .where(
                encounters.c.tenant_id == event.tenant_id,
                encounters.c.encounter_id == encounter.encounter_id,
                encounters.c.status.in_(("received", "units_calculated")),
            )
            .values(
                status="units_calculated",
                status_detail={"day_revision": day.revision, "day_total_units": day.total_units},
                updated_at=datetime.now(UTC),
            )
        )
    return []
