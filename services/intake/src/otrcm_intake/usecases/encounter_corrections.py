"""Use case: correct an encounter (a new version of it, with who and why) or void it, from the API or the import.

A correction meets every rule a new encounter meets (``accept.encounter_violations``) and keeps the encounter's
billing day (``domain.correction_rules``); the same content again is a duplicate. Each correction or void is a
new ``revision`` of the encounter's ``EncounterReceived`` (docs/adr/010: newest wins), published in the caller's
transaction: units recomputes the day without the old version (without the encounter, for a void), and the day
flows on to poc, modifiers and claims, where a day already billed gets its replacement or void claim. Who and why
are kept in ``encounter_versions`` only.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from otrcm_intake.adapters.store import encounter_versions, encounters
from otrcm_intake.domain.correction_rules import billing_day_changes, not_voided, note_problems
from otrcm_intake.domain.reading import Reading
from otrcm_intake.domain.violations import Violation, errors_in
from otrcm_intake.usecases.accept import ALSO_READS, Acceptance, encounter_violations, patient_key_for, received_from
from otrcm_intake.usecases.idempotency import content_hash
from otrcm_intake.usecases.outcomes import Outcome
from otrcm_shared.events import Envelope
from otrcm_shared.events.encounters import EncounterReceived
from otrcm_shared.events.submissions import EncounterSubmission
from otrcm_shared.runtime.outbox import Outgoing
from otrcm_shared.topics import ENCOUNTERS_RECEIVED, TopicSpec, partition_key

PUBLISHES: tuple[TopicSpec, ...] = (ENCOUNTERS_RECEIVED,)  # the topics this module stages outbox rows for

STAGE = "intake"


async def record_version(
    session: AsyncSession, tenant_id: str, received: EncounterReceived, *, by: str | None = None,
    reason: str | None = None, key_id: str | None = None,
) -> None:  # fmt: skip
    """Keep a version of the encounter as published (its revision), with who changed it and why."""
    await session.execute(
        encounter_versions.insert().values(
            tenant_id=tenant_id, encounter_id=received.encounter_id, revision=received.revision,
            received=received.model_dump(mode="json"), changed_by=by, reason=reason, key_id=key_id,
        )
    )  # fmt: skip


async def latest_version(session: AsyncSession, tenant_id: str, encounter_id: str) -> EncounterReceived | None:
    c = encounter_versions.c
    found = await session.scalar(
        select(c.received)
        .where(c.tenant_id == tenant_id, c.encounter_id == encounter_id)
        .order_by(c.revision.desc())
        .limit(1)
    )
    return None if found is None else EncounterReceived.model_validate(found)


async def _known(session: AsyncSession, tenant_id: str, encounter_id: str) -> Any:
    c = encounters.c
    query = select(c.content_hash).where(c.tenant_id == tenant_id, c.encounter_id == encounter_id)
    return (await session.execute(query)).first()


def _publish(tenant_id: str, received: EncounterReceived) -> tuple[str, Outgoing]:
    event = Envelope.root(
        received, tenant_id=tenant_id, subject=received.encounter_id,
        natural_key=f"encounter/{received.encounter_id}/revision/{received.revision}", stage=STAGE,
    )  # fmt: skip
    return str(event.event_id), Outgoing(ENCOUNTERS_RECEIVED, partition_key(tenant_id, received.patient_key), event)


def _unknown_history(encounter_id: str) -> Acceptance:
    problem = Violation(
        "encounter_id", "correction.history_kept",
        "this encounter was accepted before its versions were kept; void it by submitting a new encounter",
    )  # fmt: skip
    return Acceptance(Outcome.REJECTED, encounter_id, violations=[problem])


async def correct_encounter(
    session: AsyncSession,
    tenant_id: str,
    encounter_id: str,
    note: tuple[Any, Any, str],
    reading: Reading[EncounterSubmission],
    today: date,
) -> Acceptance | None:
    """``note``: who, why and the API key id. None when the tenant has no such encounter."""
    who, why, key_id = note
    known = await _known(session, tenant_id, encounter_id)
    if known is None:
        return None
    problems = [Violation(f"encounter.{p.path}", p.rule, p.message, p.severity) for p in reading.problems]
    problems += note_problems(who, why, "corrected_by")
    submission = reading.record
    if submission is None:
        return Acceptance(Outcome.REJECTED, encounter_id, violations=problems)
    if submission.encounter_id != encounter_id:
        problems.append(Violation("encounter.encounter_id", "correction.same_encounter", "must be the id in the URL"))
    found = reading.with_rules(await encounter_violations(session, tenant_id, submission, today), ALSO_READS)
    problems += [Violation(f"encounter.{v.path}", v.rule, v.message, v.severity) for v in found
                 if v not in reading.problems]  # fmt: skip
    before = await latest_version(session, tenant_id, encounter_id)
    if before is None:
        return _unknown_history(encounter_id)
    problems += not_voided(before.voided)
    patient_key = await patient_key_for(session, tenant_id, submission.patient_id)
    after = received_from(submission, patient_key).model_copy(update={"revision": before.revision + 1})
    problems += billing_day_changes(before.model_dump(mode="json"), after.model_dump(mode="json"))
    if errors_in(problems) or not reading.whole:
        return Acceptance(Outcome.REJECTED, encounter_id, violations=problems)
    digest = content_hash(submission)
    if digest == known.content_hash:
        return Acceptance(Outcome.DUPLICATE, encounter_id, violations=problems)
    await record_version(session, tenant_id, after, by=str(who).strip(), reason=str(why).strip(), key_id=key_id)
    event_id, outgoing = _publish(tenant_id, after)
    await session.execute(
        update(encounters)
        .where(encounters.c.tenant_id == tenant_id, encounters.c.encounter_id == encounter_id)
        .values(content_hash=digest, event_id=event_id)
    )
    return Acceptance(Outcome.ACCEPTED, encounter_id, event_id, problems, [outgoing])


async def void_encounter(
    session: AsyncSession, tenant_id: str, encounter_id: str, note: tuple[Any, Any, str]
) -> Acceptance | None:
    """The encounter voided (a duplicate when it already is). None when the tenant has no such encounter."""
    who, why, key_id = note
    if await _known(session, tenant_id, encounter_id) is None:
        return None
    problems = note_problems(who, why, "voided_by")
    if problems:
        return Acceptance(Outcome.REJECTED, encounter_id, violations=problems)
    before = await latest_version(session, tenant_id, encounter_id)
    if before is None:
        return _unknown_history(encounter_id)
    if before.voided:
        return Acceptance(Outcome.DUPLICATE, encounter_id)
    after = before.model_copy(update={"revision": before.revision + 1, "voided": True})
    await record_version(session, tenant_id, after, by=str(who).strip(), reason=str(why).strip(), key_id=key_id)
    event_id, outgoing = _publish(tenant_id, after)
    return Acceptance(Outcome.ACCEPTED, encounter_id, event_id, [], [outgoing])
