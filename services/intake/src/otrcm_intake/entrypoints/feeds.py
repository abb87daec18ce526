"""Subscriber of the ingestion topic: EHR feeds' encounters, accepted by the same rules as the API."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from otrcm_intake.domain.reading import Reading
from otrcm_intake.usecases.accept import accept_encounter
from otrcm_intake.usecases.outcomes import Outcome
from otrcm_shared.events import Envelope
from otrcm_shared.events.submissions import EncounterSubmission
from otrcm_shared.runtime.consumer import RecordRejected
from otrcm_shared.runtime.outbox import Outgoing


async def on_encounter_submitted(
    session: AsyncSession, event: Envelope[EncounterSubmission], *, today: Callable[[], date]
) -> Sequence[Outgoing]:
    """The same acceptance as the API, against the business date ``today()`` (bound in app.py); what it
    rejects goes to the dead-letter topic with the rule ids."""
    result = await accept_encounter(session, event.tenant_id, Reading.of(event.payload), today())
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
