"""Subscribers' use cases: each stream's event becomes a fact of its day (or days), and the day's encounters
take the statuses the rules derive. One consumer reads every topic; this module dispatches by event type."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from otrcm_shared.events import Envelope
from otrcm_shared.events.claim_lines import ClaimLinesReady
from otrcm_shared.events.claim_status import ClaimStatusChanged
from otrcm_shared.events.day_verdict import DayJudged
from otrcm_shared.events.units import UnitsCalculated
from otrcm_shared.runtime.outbox import Outgoing
from otrcm_status.domain.day_facts import ClaimFact, DayFacts
from otrcm_status.domain.from_events import claim_fact, gate_fact, lines_fact, units_fact
from otrcm_status.usecases.claims import record_claim, record_correction
from otrcm_status.usecases.projection import apply_to_day
from otrcm_status.usecases.records import record_claim_step, record_units, record_verdict


async def on_units_calculated(session: AsyncSession, event: Envelope[UnitsCalculated]) -> Sequence[Outgoing]:
    day, fact = event.payload, units_fact(event.payload)
    await record_units(session, event)  # the day's date, discipline and encounters' locations (read models)
    return await apply_to_day(session, event, day.day_key, day.patient_key, lambda facts: facts.with_units(fact))


async def on_day_judged(session: AsyncSession, event: Envelope[DayJudged]) -> Sequence[Outgoing]:
    judged, fact = event.payload, gate_fact(event.payload)
    await record_verdict(session, event)  # for the plans', authorizations' and worklist's read models
    return await apply_to_day(session, event, judged.day_key, judged.patient_key, lambda facts: facts.with_gate(fact))


async def on_claim_lines_ready(session: AsyncSession, event: Envelope[ClaimLinesReady]) -> Sequence[Outgoing]:
    ready, fact = event.payload, lines_fact(event.payload)
    return await apply_to_day(session, event, ready.day_key, ready.patient_key, lambda facts: facts.with_lines(fact))


async def _claim_on_days(
    session: AsyncSession,
    event: Envelope[ClaimStatusChanged],
    fact: ClaimFact,
    day_keys: Sequence[str],
    patient_key: str,
) -> list[Outgoing]:
    """The claim's step on each day it bills; a claim of several days names, per day, only that day's encounters."""

    def update(facts: DayFacts) -> DayFacts | None:
        if len(day_keys) > 1:
            own = set(facts.encounter_ids)
            named = tuple(e for e in fact.encounter_ids if e in own)
            return facts.with_claim(fact.model_copy(update={"encounter_ids": named}))
        return facts.with_claim(fact)

    outgoing: list[Outgoing] = []
    for day_key in sorted(set(day_keys)):
        outgoing += await apply_to_day(session, event, day_key, patient_key, update)
    return outgoing


async def on_claim_status_changed(session: AsyncSession, event: Envelope[ClaimStatusChanged]) -> Sequence[Outgoing]:
    change, fact = event.payload, claim_fact(event.payload)
    await record_claim(session, event, fact, payer_id=change.payer_id, day_keys=change.day_keys)
    await record_claim_step(session, event)  # the claim's status history
    if change.replaces_claim_id and change.frequency:  # a replacement or void: original -> correction
        await record_correction(session, event.tenant_id, change.claim_id, change.replaces_claim_id, change.frequency)
    return await _claim_on_days(session, event, fact, change.day_keys, change.patient_key)
