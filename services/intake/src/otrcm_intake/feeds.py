"""Subscribers: the ingestion topic for EHR feeds, and the status projection of downstream events."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from otrcm_intake.accept import accept_encounter
from otrcm_intake.outcomes import Outcome
from otrcm_intake.store import encounters
from otrcm_shared.events import Envelope
from otrcm_shared.events.claim_lines import ClaimLinesReady
from otrcm_shared.events.claims import ClaimOutcome
from otrcm_shared.events.gate import DayCleared, DayHeld
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


# Which statuses each projected status may replace, so a late event never moves an encounter backwards.
# A held day can be cleared (released) and a cleared day held again (a new units revision).
_BEFORE_READY = ("received", "units_calculated", "held", "cleared")
MAY_REPLACE: dict[str, tuple[str, ...]] = {
    "units_calculated": ("received", "units_calculated"),
    "held": (*_BEFORE_READY, "ready"),
    "cleared": _BEFORE_READY,
    "ready": (*_BEFORE_READY, "ready"),
    "submitted": (*_BEFORE_READY, "ready", "submitted"),
    "accepted": ("ready", "submitted", "accepted"),
    "rejected": ("ready", "submitted", "accepted", "rejected"),
    "paid": ("submitted", "accepted", "paid", "partially_paid"),
    "partially_paid": ("submitted", "accepted", "partially_paid"),
    "denied": ("submitted", "accepted", "denied", "paid", "partially_paid"),
}


async def _project(
    session: AsyncSession, tenant_id: str, encounter_ids: Sequence[str], status: str, detail: dict[str, object]
) -> None:
    await session.execute(
        update(encounters)
        .where(
            encounters.c.tenant_id == tenant_id,
            encounters.c.encounter_id.in_(list(encounter_ids)),
            encounters.c.status.in_(MAY_REPLACE[status]),
        )
        .values(status=status, status_detail=detail, updated_at=datetime.now(UTC))
    )


async def on_units_calculated(session: AsyncSession, event: Envelope[UnitsCalculated]) -> Sequence[Outgoing]:
    """Project the newest units revision onto each of the day's encounters."""
    day = event.payload
    detail: dict[str, object] = {"day_revision": day.revision, "day_total_units": day.total_units}
    await _project(session, event.tenant_id, [e.encounter_id for e in day.encounters], "units_calculated", detail)
    return []


async def on_day_cleared(session: AsyncSession, event: Envelope[DayCleared]) -> Sequence[Outgoing]:
    cleared = event.payload
    detail: dict[str, object] = {"gate_revision": cleared.gate_revision, "released": cleared.released}
    await _project(session, event.tenant_id, [e.encounter_id for e in cleared.day.encounters], "cleared", detail)
    return []


async def on_day_held(session: AsyncSession, event: Envelope[DayHeld]) -> Sequence[Outgoing]:
    held = event.payload
    reasons = [{"code": r.code, "message": r.message} for r in held.reasons]
    detail: dict[str, object] = {"gate_revision": held.gate_revision, "reasons": reasons}
    await _project(session, event.tenant_id, held.encounter_ids, "held", detail)
    return []


async def on_claim_lines_ready(session: AsyncSession, event: Envelope[ClaimLinesReady]) -> Sequence[Outgoing]:
    """Encounters with a billable line are ready; those whose every line is held are held, with the reasons."""
    ready = event.payload
    held_ids = {line.encounter_id for line in ready.held_lines}
    with_lines = {line.encounter_id for line in ready.lines} | held_ids
    # An encounter whose minutes were pooled into the day's other lines has no line of its own: it is
    # billed with the day (one claim per patient-day), so it is as ready as the day.
    pooled = {eid for eid in ready.encounter_ids if eid not in with_lines} if ready.lines else set()
    ready_ids = sorted({line.encounter_id for line in ready.lines} | pooled)
    detail: dict[str, object] = {"version": ready.version, "held_lines": [h.line_key for h in ready.held_lines]}
    await _project(session, event.tenant_id, ready_ids, "ready", detail)
    held: dict[str, list[dict[str, str]]] = {}
    for line in ready.held_lines:
        if line.encounter_id not in ready_ids:
            held.setdefault(line.encounter_id, []).extend(
                {"code": code, "message": line.message} for code in line.reasons
            )
    for encounter_id, reasons in held.items():
        held_detail: dict[str, object] = {"version": ready.version, "reasons": reasons}
        await _project(session, event.tenant_id, [encounter_id], "held", held_detail)
    return []


async def on_claim_outcome(session: AsyncSession, event: Envelope[ClaimOutcome]) -> Sequence[Outgoing]:
    outcome = event.payload
    if outcome.status not in MAY_REPLACE:
        return []
    detail: dict[str, object] = {"claim_id": outcome.claim_id, "reasons": list(outcome.reasons)}
    if outcome.denial_category:
        detail["denial_category"] = outcome.denial_category
    await _project(session, event.tenant_id, outcome.encounter_ids, outcome.status, detail)
    return []
