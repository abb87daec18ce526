"""Use case: accept an encounter. Validate, deduplicate on the client's id, store, and return its event.

The caller stages the event in the outbox in the same transaction as the encounter row, and answers
only after the commit, so a crash afterwards still publishes (the outbox relay picks it up).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import bindparam, insert
from sqlalchemy.ext.asyncio import AsyncSession

from otrcm_intake.adapters.reference import encounter_context
from otrcm_intake.adapters.store import encounter_versions, encounters, patient_coverages, patient_keys, records
from otrcm_intake.domain import encounter_rules, reference_rules
from otrcm_intake.domain.encounter_rules import validate_encounter
from otrcm_intake.domain.reading import Reading
from otrcm_intake.domain.reference_rules import ReferencedFacts, validate_references
from otrcm_intake.domain.violations import Violation, errors_in
from otrcm_intake.usecases.billing_providers import registration_of
from otrcm_intake.usecases.idempotency import content_hash, repeat_outcome
from otrcm_intake.usecases.outcomes import Outcome
from otrcm_shared.events import Envelope
from otrcm_shared.events.encounters import EncounterReceived, ServiceLine
from otrcm_shared.events.submissions import EncounterSubmission
from otrcm_shared.runtime.db import upsert_insert
from otrcm_shared.runtime.json_column import json_of
from otrcm_shared.runtime.outbox import Outgoing
from otrcm_shared.runtime.prepared import Prepared, lookup
from otrcm_shared.topics import ENCOUNTERS_RECEIVED, TopicSpec, partition_key

PUBLISHES: tuple[TopicSpec, ...] = (ENCOUNTERS_RECEIVED,)  # the topics this module stages outbox rows for

STAGE = "intake"


@dataclass(frozen=True)
class Acceptance:
    outcome: Outcome
    encounter_id: str
    event_id: str | None = None
    violations: list[Violation] = field(default_factory=list)
    outgoing: list[Outgoing] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        body: dict[str, object] = {"status": self.outcome.value, "encounter_id": self.encounter_id}
        if self.event_id:
            body["event_id"] = self.event_id
        errors = [v.as_dict() for v in self.violations if v.severity == "error"]
        warnings = [v.as_dict() for v in self.violations if v.severity == "warning"]
        if errors:
            body["errors"] = errors
        if warnings:
            body["warnings"] = warnings
        if self.outcome is Outcome.CONFLICT:
            body["errors"] = [CONFLICT.as_dict()]
        return body


CONFLICT = Violation(
    "encounter_id",
    "idempotency.same_content",
    "this encounter id was already accepted with different content; correct it with "
    "POST /v1/encounters/{encounter_id}/corrections (or an encounter_correction record in an import)",
)
# What the encounter rules read besides the field they name (see ``Reading.with_rules``).
ALSO_READS = {**encounter_rules.ALSO_READS, **reference_rules.ALSO_READS}


# Built once (docs/adr/014): the statements every submitted encounter runs.
_PATIENT_KEY = lookup(patient_keys.c.patient_key, where=("tenant_id", "patient_id"))
_STORED_ENCOUNTER = lookup(encounters.c.content_hash, encounters.c.event_id, where=("tenant_id", "encounter_id"))
_COVERING_PAYERS = lookup(patient_coverages.c.payer_id, where=("tenant_id", "patient_id"))
_PATIENT_RECORD = lookup(records.c.record_id, where=("tenant_id", "kind", "record_id"))
_ENCOUNTER_COLUMNS = (
    "tenant_id", "encounter_id", "content_hash", "event_id", "patient_key", "status", "status_detail", "received_at",
    "updated_at",
)  # fmt: skip
_STORE_ENCOUNTER = Prepared(insert(encounters).values({name: bindparam(name) for name in _ENCOUNTER_COLUMNS}))
_VERSION_COLUMNS = ("tenant_id", "encounter_id", "revision", "received", "changed_by", "reason", "key_id")
# each encounter's first version (usecases/encounter_corrections.py compares a correction with the latest)
_STORE_VERSION = Prepared(insert(encounter_versions).values({name: bindparam(name) for name in _VERSION_COLUMNS}))


def _new_patient_key(dialect: str) -> Any:
    insert_new = upsert_insert(dialect, patient_keys).values(
        tenant_id=bindparam("tenant_id"), patient_id=bindparam("patient_id"), patient_key=bindparam("patient_key")
    )
    return insert_new.on_conflict_do_nothing(index_elements=["tenant_id", "patient_id"])


_NEW_PATIENT_KEY = Prepared(_new_patient_key)


async def patient_key_for(session: AsyncSession, tenant_id: str, patient_id: str) -> str:
    """The opaque key of the client's patient id, created on first sight."""
    of_patient = {"tenant_id": tenant_id, "patient_id": patient_id}
    key = (await _PATIENT_KEY.execute(session, of_patient)).scalar()
    if key is None:
        await _NEW_PATIENT_KEY.execute(session, {**of_patient, "patient_key": str(uuid.uuid4())})
        key = (await _PATIENT_KEY.execute(session, of_patient)).scalar()
    return str(key)


async def encounter_violations(
    session: AsyncSession, tenant_id: str, submission: EncounterSubmission, today: date
) -> list[Violation]:
    """Every rule the encounter breaks: its own rules, then what it refers to (unless that field broke a rule)."""
    context = encounter_context(submission.date_of_service, today)
    if isinstance(context, Violation):
        return [context]
    violations = validate_encounter(submission, context)
    broken = {violation.path for violation in errors_in(violations)}
    references = validate_references(submission, tenant_id, await referenced_facts(session, tenant_id, submission))
    return violations + [violation for violation in references if violation.path not in broken]


async def accept_encounter(
    session: AsyncSession, tenant_id: str, reading: Reading[EncounterSubmission], today: date
) -> Acceptance:
    """``reading``: the encounter as read (``Reading.of`` for one read whole); one that the schema could not
    read whole is refused with its schema errors and every rule finding that stands on the values it could read."""
    submission = reading.record
    if submission is None:
        return Acceptance(Outcome.REJECTED, "", violations=list(reading.problems))
    found = await encounter_violations(session, tenant_id, submission, today)
    violations = reading.with_rules(found, ALSO_READS)
    if errors_in(violations) or not reading.whole:
        return Acceptance(Outcome.REJECTED, reading.text("encounter_id"), violations=violations)

    digest = content_hash(submission)
    existing = (
        await _STORED_ENCOUNTER.execute(session, {"tenant_id": tenant_id, "encounter_id": submission.encounter_id})
    ).first()
    repeated = repeat_outcome(existing, digest)
    if repeated is not None and existing is not None:
        return Acceptance(repeated, submission.encounter_id, str(existing.event_id), violations)

    patient_key = await patient_key_for(session, tenant_id, submission.patient_id)
    event = Envelope.root(
        received_from(submission, patient_key),
        tenant_id=tenant_id,
        subject=submission.encounter_id,
        natural_key=f"encounter/{submission.encounter_id}",
        stage=STAGE,
    )
    now = datetime.now(UTC)
    row = {
        "tenant_id": tenant_id,
        "encounter_id": submission.encounter_id,
        "content_hash": digest,
        "event_id": str(event.event_id),
        "patient_key": patient_key,
        "status": "received",
        "status_detail": {},
        "received_at": now,
        "updated_at": now,
    }
    await _STORE_ENCOUNTER.execute(session, row)
    version = {
        "tenant_id": tenant_id,
        "encounter_id": submission.encounter_id,
        "revision": event.payload.revision,
        "received": json_of(event.payload),
        "changed_by": None,
        "reason": None,
        "key_id": None,
    }
    await _STORE_VERSION.execute(session, version)  # revision 1: what a correction is compared with  # fmt: skip
    outgoing = [Outgoing(ENCOUNTERS_RECEIVED, partition_key(tenant_id, patient_key), event)]
    return Acceptance(Outcome.ACCEPTED, submission.encounter_id, str(event.event_id), violations, outgoing)


async def referenced_facts(session: AsyncSession, tenant_id: str, submission: EncounterSubmission) -> ReferencedFacts:
    """What the tenant has recorded of the billing provider, the patient and the patient's payers."""
    patient_id = submission.patient_id
    of_patient = {"tenant_id": tenant_id, "patient_id": patient_id}
    payers = frozenset((await _COVERING_PAYERS.execute(session, of_patient)).scalars())
    # Every patient recorded since coverages are kept has one at least; only an older record needs the look-up.
    recorded = (
        bool(payers)
        or (
            await _PATIENT_RECORD.execute(session, {"tenant_id": tenant_id, "kind": "patient", "record_id": patient_id})
        ).scalar()
        is not None
    )
    return ReferencedFacts(
        registration=await registration_of(session, submission.billing_provider_npi),
        patient_recorded=recorded,
        covering_payer_ids=payers,
    )


def received_from(submission: EncounterSubmission, patient_key: str) -> EncounterReceived:
    """The billing facts of the submission, with the opaque patient key in place of the client's id."""
    return EncounterReceived(
        encounter_id=submission.encounter_id,
        patient_key=patient_key,
        payer_id=submission.payer_id,
        date_of_service=submission.date_of_service,
        place_of_service=submission.place_of_service,
        discipline=submission.discipline,
        billing_provider_npi=submission.billing_provider_npi,
        rendering_provider=submission.rendering_provider,
        location_id=submission.location_id,
        diagnoses=tuple(code.upper() for code in submission.diagnoses),
        lines=tuple(
            ServiceLine(
                line_number=line.line_number,
                code=line.code,
                minutes=line.minutes,
                assistant_minutes=line.assistant_minutes,
                diagnosis_pointers=line.diagnosis_pointers,
                modifiers=line.modifiers,
            )
            for line in submission.lines
        ),
        attestations=submission.attestations,
    )
