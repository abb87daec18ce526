"""Use case: record a patient's prior therapy spend (other providers, one year and discipline).

Idempotent on its content: the same record again publishes nothing; a changed amount for the same
patient, year and discipline publishes the new version, which replaces the old in the accrual.
Published through the outbox on ``otrcm.therapy-spend.recorded.v1``, keyed by tenant and opaque patient key.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from otrcm_intake.domain import stand_ins
from otrcm_intake.domain.reading import Reading, read_record
from otrcm_intake.domain.spend_rules import validate_therapy_spend
from otrcm_intake.domain.submissions import TherapySpendSubmission
from otrcm_intake.domain.violations import Violation, errors_in
from otrcm_intake.usecases.accept import Acceptance, patient_key_for
from otrcm_intake.usecases.idempotency import content_hash, repeat_outcome
from otrcm_intake.usecases.outcomes import Outcome, Recorded
from otrcm_intake.usecases.records import existing_record, remember_and_publish
from otrcm_shared.events.submissions import CLIENT_ID_PATTERN
from otrcm_shared.events.therapy_spend import TherapySpendRecorded
from otrcm_shared.topics import THERAPY_SPEND, TopicSpec

PUBLISHES: tuple[TopicSpec, ...] = (THERAPY_SPEND,)  # the topics this module stages outbox rows for

KIND = "therapy-spend"
CLIENT_ID = re.compile(CLIENT_ID_PATTERN)


async def record_therapy_spend(
    session: AsyncSession, tenant_id: str, patient_id: str, reading: Reading[TherapySpendSubmission], today: date
) -> Recorded:
    if reading.record is None:
        return Recorded(Outcome.REJECTED, patient_id, list(reading.problems))
    spend = reading.record
    violations = reading.with_rules(validate_therapy_spend(spend, today), {})
    if errors_in(violations) or not reading.whole:
        return Recorded(Outcome.REJECTED, patient_id, violations)
    record_id = f"{patient_id}/{spend.year}/{spend.discipline}"
    digest = content_hash(spend)
    existing = await existing_record(session, tenant_id, KIND, record_id)
    if repeat_outcome(existing, digest, new_versions_allowed=True) is Outcome.DUPLICATE:
        return Recorded(Outcome.DUPLICATE, record_id, [])
    patient_key = await patient_key_for(session, tenant_id, patient_id)
    payload = TherapySpendRecorded(
        record_id=f"{spend.year}/{spend.discipline}",  # per patient: the key carries the patient
        patient_key=patient_key,
        year=spend.year,
        bucket=spend.discipline,
        amount=spend.amount,
        source=spend.source,
        as_of=spend.as_of,
    )
    subject = f"{patient_key}/{spend.year}/{spend.discipline}"  # no client patient id leaves intake
    await remember_and_publish(
        session, tenant_id, KIND, record_id, digest, patient_key, THERAPY_SPEND, payload, subject
    )
    return Recorded(Outcome.ACCEPTED, record_id, [])


async def accept_spend_row(db: Any, tenant_id: str, item: dict[str, Any], today: date) -> Acceptance:
    """One therapy-spend row of an import file, as the importer reports rows (outcome, id, violations)."""
    patient_id = item.get("patient_id")
    body = {k: v for k, v in item.items() if k not in ("record_type", "patient_id")}
    if not isinstance(patient_id, str) or not CLIENT_ID.fullmatch(patient_id):
        problem = Violation("patient_id", "schema.patient_id", "a therapy-spend row needs the client's patient id")
        return Acceptance(Outcome.REJECTED, "", violations=[problem])
    reading = read_record(TherapySpendSubmission, body, stand_ins.therapy_spend(today))
    async with db.transaction() as session:
        result = await record_therapy_spend(session, tenant_id, patient_id, reading, today)
    return Acceptance(result.outcome, result.record_id, violations=result.violations)
