"""Subscribers that project every downstream event onto the encounters' status (GET /v1/encounters/{id}).

Each topic has its own consumer, so events about one day arrive in any order across topics. Two guards
keep a late event from moving a status back:
- which statuses a new status may replace (``MAY_REPLACE``), so the claim stage is never undone by the
  steps before it;
- before the claim, the day's progress (units revision, gate verdict, stage): an event older than what
  the encounter already shows is ignored (e.g. a release's ``cleared`` arriving after its own ``ready``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from enum import IntEnum

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from otrcm_intake.store import encounters, status_progress
from otrcm_shared.events import Envelope
from otrcm_shared.events.claim_lines import ClaimLinesReady, HeldLine
from otrcm_shared.events.claims import ClaimOutcome
from otrcm_shared.events.gate import DayCleared, DayHeld
from otrcm_shared.events.units import UnitsCalculated
from otrcm_shared.runtime.db import upsert_capable_insert
from otrcm_shared.runtime.outbox import Outgoing

# A held day can be cleared (released) and a cleared day held again (a new units revision).
_BEFORE_READY = ("received", "units_calculated", "held", "cleared")
MAY_REPLACE: dict[str, tuple[str, ...]] = {
    "units_calculated": ("received", "units_calculated"),
    "held": (*_BEFORE_READY, "ready", "claim_held"),
    "cleared": _BEFORE_READY,
    "ready": (*_BEFORE_READY, "ready"),
    "claim_held": (*_BEFORE_READY, "ready", "claim_held"),
    "submitted": (*_BEFORE_READY, "ready", "claim_held", "submitted"),
    "accepted": ("ready", "submitted", "accepted"),
    "rejected": ("ready", "submitted", "accepted", "rejected"),
    "paid": ("submitted", "accepted", "paid", "partially_paid"),
    "partially_paid": ("submitted", "accepted", "partially_paid"),
    "denied": ("submitted", "accepted", "denied", "paid", "partially_paid"),
}
# The claims service's state names mapped to the encounter's status (a held claim is not a held day).
CLAIM_STATUS = {"held": "claim_held"}


class Stage(IntEnum):
    UNITS = 1
    GATE = 2
    LINES = 3


def progress(units_revision: int, gate_revision: int, stage: Stage) -> int:
    """Orders the pre-claim events of one day: by units revision, then gate verdict, then stage."""
    return units_revision * 1_000_000 + gate_revision * 10 + stage


async def _not_behind(session: AsyncSession, tenant_id: str, encounter_ids: list[str], reached: int) -> list[str]:
    """The encounters whose recorded progress is not beyond ``reached``; their progress becomes ``reached``."""
    rows = await session.execute(
        select(status_progress.c.encounter_id, status_progress.c.progress)
        .where(status_progress.c.tenant_id == tenant_id, status_progress.c.encounter_id.in_(encounter_ids))
        .with_for_update()
    )
    known = {encounter_id: reached_before for encounter_id, reached_before in rows}
    current = [eid for eid in encounter_ids if known.get(eid, 0) <= reached]
    if current:  # one statement for the day's encounters, not one per encounter
        upsert = upsert_capable_insert(session, status_progress).values(
            [{"tenant_id": tenant_id, "encounter_id": eid, "progress": reached} for eid in current]
        )
        await session.execute(
            upsert.on_conflict_do_update(index_elements=["tenant_id", "encounter_id"], set_={"progress": reached})
        )
    return current


async def _project(
    session: AsyncSession,
    tenant_id: str,
    encounter_ids: Sequence[str],
    status: str,
    detail: dict[str, object],
    reached: int | None = None,
) -> None:
    ids = list(encounter_ids)
    if reached is not None:
        ids = await _not_behind(session, tenant_id, ids, reached)
    if not ids:
        return
    await session.execute(
        update(encounters)
        .where(
            encounters.c.tenant_id == tenant_id,
            encounters.c.encounter_id.in_(ids),
            encounters.c.status.in_(MAY_REPLACE[status]),
        )
        .values(status=status, status_detail=detail, updated_at=datetime.now(UTC))
    )


async def on_units_calculated(session: AsyncSession, event: Envelope[UnitsCalculated]) -> Sequence[Outgoing]:
    """Project the newest units revision onto each of the day's encounters."""
    day = event.payload
    detail: dict[str, object] = {"day_revision": day.revision, "day_total_units": day.total_units}
    ids = [e.encounter_id for e in day.encounters]
    await _project(session, event.tenant_id, ids, "units_calculated", detail, progress(day.revision, 0, Stage.UNITS))
    return []


async def on_day_cleared(session: AsyncSession, event: Envelope[DayCleared]) -> Sequence[Outgoing]:
    cleared = event.payload
    detail: dict[str, object] = {"gate_revision": cleared.gate_revision, "released": cleared.released}
    ids = [e.encounter_id for e in cleared.day.encounters]
    reached = progress(cleared.day.revision, cleared.gate_revision, Stage.GATE)
    await _project(session, event.tenant_id, ids, "cleared", detail, reached)
    return []


async def on_day_held(session: AsyncSession, event: Envelope[DayHeld]) -> Sequence[Outgoing]:
    held = event.payload
    reasons = [{"code": r.code, "message": r.message} for r in held.reasons]
    detail: dict[str, object] = {"gate_revision": held.gate_revision, "reasons": reasons}
    reached = progress(held.units_revision, held.gate_revision, Stage.GATE)
    await _project(session, event.tenant_id, held.encounter_ids, "held", detail, reached)
    return []


async def on_claim_lines_ready(session: AsyncSession, event: Envelope[ClaimLinesReady]) -> Sequence[Outgoing]:
    """Encounters with a billable line are ready; those whose every line is held are held, with the reasons."""
    ready = event.payload
    reached = progress(ready.units_revision or 0, ready.gate_revision or 0, Stage.LINES)
    with_lines = {line.encounter_id for line in ready.lines} | {line.encounter_id for line in ready.held_lines}
    # An encounter whose minutes were pooled into the day's other lines has no line of its own: it is
    # billed with the day (one claim per patient-day), so it is as ready as the day.
    pooled = {eid for eid in ready.encounter_ids if eid not in with_lines} if ready.lines else set()
    ready_ids = sorted({line.encounter_id for line in ready.lines} | pooled)
    detail: dict[str, object] = {"version": ready.version, "held_lines": [h.line_key for h in ready.held_lines]}
    await _project(session, event.tenant_id, ready_ids, "ready", detail, reached)
    for encounter_id, reasons in _held_reasons(ready, set(ready_ids) | pooled, with_lines).items():
        held_detail: dict[str, object] = {"version": ready.version, "reasons": reasons}
        await _project(session, event.tenant_id, [encounter_id], "held", held_detail, reached)
    return []


def _line_reasons(line: HeldLine) -> list[dict[str, str]]:
    """A held line's reasons as the status shows them: code, rule, a biller's sentence and what releases it
    (lines from before the details existed show their code and message)."""
    if line.details:
        return [
            {"code": d.code, "rule_id": d.rule_id, "message": d.message, "action": d.action, "line": line.line_key}
            for d in line.details
        ]
    return [{"code": code, "message": line.message, "line": line.line_key} for code in line.reasons]


def _held_reasons(ready: ClaimLinesReady, ready_ids: set[str], with_lines: set[str]) -> dict[str, list[dict[str, str]]]:
    """Each encounter with nothing ready: its held lines' reasons; on a day with nothing billable, an
    encounter pooled into the held lines (no line of its own) is held with them."""
    held: dict[str, list[dict[str, str]]] = {}
    for line in ready.held_lines:
        if line.encounter_id not in ready_ids:
            held.setdefault(line.encounter_id, []).extend(_line_reasons(line))
    if not ready.lines:
        reasons = {r["code"]: r for line in ready.held_lines for r in _line_reasons(line)}
        pooled = [
            {**reasons[code], "message": f"its minutes were pooled into the day's held lines: {message}"}
            for code, message in sorted((code, reason["message"]) for code, reason in reasons.items())
        ]
        for encounter_id in ready.encounter_ids:
            if encounter_id not in with_lines and pooled:
                held[encounter_id] = pooled
    return held


async def on_claim_outcome(session: AsyncSession, event: Envelope[ClaimOutcome]) -> Sequence[Outgoing]:
    outcome = event.payload
    status = CLAIM_STATUS.get(outcome.status, outcome.status)
    if status not in MAY_REPLACE:
        return []
    detail: dict[str, object] = {"claim_id": outcome.claim_id, "reasons": list(outcome.reasons)}
    if outcome.denial_category:
        detail["denial_category"] = outcome.denial_category
    await _project(session, event.tenant_id, outcome.encounter_ids, status, detail)
    return []
