"""Use cases: record a patient, a plan of care (and its later steps) or an authorization.

Each takes the record as read (``Reading``): one the schema could not read whole is refused with its schema
errors and every rule finding that stands on the values it could read. Each is idempotent on its content:
the same content again publishes nothing new; changed content publishes the new version (patients on the
compacted topic keep only the latest).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from otrcm_intake.adapters.patient_details import remember_details
from otrcm_intake.adapters.plan_certifications import certification_on_file, remember_certification
from otrcm_intake.adapters.runtime_tables import kit
from otrcm_intake.adapters.store import patient_coverages, plan_facts, records
from otrcm_intake.domain.reading import Reading
from otrcm_intake.domain.record_rules import (
    ALSO_READS,
    step_of,
    validate_authorization,
    validate_patient,
    validate_plan,
    validate_plan_event,
)
from otrcm_intake.domain.submissions import (
    AuthorizationSubmission,
    PatientSubmission,
    PlanEventSubmission,
    PlanOfCareSubmission,
)
from otrcm_intake.domain.violations import Violation, errors_in
from otrcm_intake.usecases.accept import patient_key_for
from otrcm_intake.usecases.eligibility_checks import payers_of, stage_checks
from otrcm_intake.usecases.idempotency import content_hash, repeat_outcome
from otrcm_intake.usecases.outcomes import Outcome, Recorded, conflict_at
from otrcm_shared.events import Envelope, EventPayload
from otrcm_shared.events.eligibility import EligibilityReason
from otrcm_shared.events.patients import PatientRecorded
from otrcm_shared.events.plans import AuthorizationRecorded, PlanEventKind, PlanOfCareRecorded
from otrcm_shared.refdata import PayerProfiles
from otrcm_shared.rules.certification_steps import certification_after
from otrcm_shared.rules.plan_steps import PlanFacts
from otrcm_shared.runtime.db import upsert_capable_insert
from otrcm_shared.runtime.outbox import Outgoing, stage
from otrcm_shared.topics import AUTHORIZATIONS, PATIENTS, PLANS_OF_CARE, TopicSpec, partition_key

# the topics this module stages outbox rows for
PUBLISHES: tuple[TopicSpec, ...] = (
    AUTHORIZATIONS,
    PATIENTS,
    PLANS_OF_CARE,
)


async def existing_record(session: AsyncSession, tenant_id: str, kind: str, record_id: str) -> Any:
    return (
        await session.execute(
            select(records.c.content_hash, records.c.patient_key).where(
                records.c.tenant_id == tenant_id, records.c.kind == kind, records.c.record_id == record_id
            )
        )
    ).first()


async def remember_and_publish(
    session: AsyncSession,
    tenant_id: str,
    kind: str,
    record_id: str,
    digest: str,
    patient_key: str,
    topic: TopicSpec,
    payload: EventPayload,
    subject: str | None = None,
) -> None:
    """Remember the record's content hash and stage its event; ``subject`` (default: the record id) is the
    envelope's subject, for records whose id holds the client's patient id."""
    upsert = upsert_capable_insert(session, records).values(
        tenant_id=tenant_id,
        kind=kind,
        record_id=record_id,
        content_hash=digest,
        patient_key=patient_key,
        updated_at=datetime.now(UTC),
    )
    upsert = upsert.on_conflict_do_update(
        index_elements=["tenant_id", "kind", "record_id"],
        set_={"content_hash": upsert.excluded.content_hash, "updated_at": upsert.excluded.updated_at},
    )
    await session.execute(upsert)
    event = Envelope.root(
        payload,
        tenant_id=tenant_id,
        subject=subject or record_id,
        natural_key=f"{kind}/{record_id}/{digest}",
        stage="intake",
    )
    await stage(session, kit, [Outgoing(topic, partition_key(tenant_id, patient_key), event)])


def refused(reading: Reading[Any], id_field: str, found: list[Violation]) -> Recorded | None:
    """The refusal of a record that could not be read whole or breaks a rule; None when it may be recorded."""
    violations = reading.with_rules(found, ALSO_READS)
    if errors_in(violations) or not reading.whole:
        return Recorded(Outcome.REJECTED, reading.text(id_field), violations)
    return None


async def record_patient(
    session: AsyncSession, tenant_id: str, reading: Reading[PatientSubmission], today: date
) -> Recorded:
    if reading.record is None:
        return Recorded(Outcome.REJECTED, "", list(reading.problems))
    patient = reading.record
    if rejected := refused(reading, "patient_id", validate_patient(patient, PayerProfiles.builtin(today), today)):
        return rejected
    await remember_details(session, tenant_id, patient)  # a repeat too: it fills a record kept before details were
    digest = content_hash(patient)
    existing = await existing_record(session, tenant_id, "patient", patient.patient_id)
    if repeat_outcome(existing, digest, new_versions_allowed=True) is Outcome.DUPLICATE:
        return Recorded(Outcome.DUPLICATE, patient.patient_id, [])
    patient_key = await patient_key_for(session, tenant_id, patient.patient_id)
    payload = PatientRecorded(
        patient_key=patient_key,
        first_name=patient.first_name,
        last_name=patient.last_name,
        birth_date=patient.birth_date,
        sex=patient.sex,
        address=patient.address,
        coverages=patient.coverages,
    )
    await remember_and_publish(
        session, tenant_id, "patient", patient.patient_id, digest, patient_key, PATIENTS, payload
    )
    await _remember_coverages(session, tenant_id, patient)
    if existing is None:  # a new patient: ask each payer about coverage (docs/adr/015)
        payer_ids = [coverage.payer_id for coverage in patient.coverages]
        await stage_checks(session, tenant_id, patient_key, payer_ids, today, EligibilityReason.NEW_PATIENT)
    return Recorded(Outcome.ACCEPTED, patient.patient_id, [])


async def _remember_coverages(session: AsyncSession, tenant_id: str, patient: PatientSubmission) -> None:
    """The payers of the patient's latest record, which the encounter door checks against."""
    rows = patient_coverages.c
    await session.execute(
        delete(patient_coverages).where(rows.tenant_id == tenant_id, rows.patient_id == patient.patient_id)
    )
    payer_ids = sorted({coverage.payer_id for coverage in patient.coverages})
    await session.execute(
        insert(patient_coverages),
        [{"tenant_id": tenant_id, "patient_id": patient.patient_id, "payer_id": payer_id} for payer_id in payer_ids],
    )


async def record_plan(
    session: AsyncSession, tenant_id: str, reading: Reading[PlanOfCareSubmission], today: date
) -> Recorded:
    if reading.record is None:
        return Recorded(Outcome.REJECTED, "", list(reading.problems))
    plan = reading.record
    if rejected := refused(reading, "plan_id", validate_plan(plan, today)):
        return rejected
    digest = content_hash(plan)
    repeated = repeat_outcome(await existing_record(session, tenant_id, "plan", plan.plan_id), digest)
    if repeated is not None:
        return Recorded(repeated, plan.plan_id, conflict_at(repeated, "plan_id"))
    patient_key = await patient_key_for(session, tenant_id, plan.patient_id)
    payload = PlanOfCareRecorded(
        plan_id=plan.plan_id,
        patient_key=patient_key,
        kind=PlanEventKind.CREATED,
        event_date=plan.evaluation_date,
        discipline=plan.discipline,
        evaluation_date=plan.evaluation_date,
        duration_days=plan.duration_days,
        written_order_on_file=plan.written_order_on_file,
        low_vision=plan.low_vision,
        is_iep=plan.is_iep,
        iep_start=plan.iep_start,
        iep_end=plan.iep_end,
    )
    await remember_and_publish(session, tenant_id, "plan", plan.plan_id, digest, patient_key, PLANS_OF_CARE, payload)
    facts = {"evaluation_date": plan.evaluation_date, "low_vision": plan.low_vision, "is_iep": plan.is_iep}
    await session.execute(insert(plan_facts).values(tenant_id=tenant_id, plan_id=plan.plan_id, **facts))
    payer_ids = await payers_of(session, tenant_id, plan.patient_id)  # ask before the plan's first visit
    await stage_checks(session, tenant_id, patient_key, payer_ids, today, EligibilityReason.PLAN_OF_CARE)
    return Recorded(Outcome.ACCEPTED, plan.plan_id, [])


async def _plan_facts(session: AsyncSession, tenant_id: str, plan_id: str) -> PlanFacts:
    """The plan's creation facts (a plan recorded before they were kept: no evaluation date to check against)."""
    row = (
        await session.execute(
            select(plan_facts).where(plan_facts.c.tenant_id == tenant_id, plan_facts.c.plan_id == plan_id)
        )
    ).first()
    if row is None:
        return PlanFacts(evaluation_date=date.min)
    return PlanFacts(evaluation_date=row.evaluation_date, low_vision=row.low_vision, is_iep=row.is_iep)


async def record_plan_event(
    session: AsyncSession, tenant_id: str, plan_id: str, reading: Reading[PlanEventSubmission], today: date
) -> Recorded | None:
    """None when the tenant has no such plan (the API answers 404 either way)."""
    plan = await existing_record(session, tenant_id, "plan", plan_id)
    if plan is None:
        return None
    if reading.record is None:
        return Recorded(Outcome.REJECTED, plan_id, list(reading.problems))
    step = reading.record
    on_file = await certification_on_file(session, tenant_id, plan_id)
    found = validate_plan_event(step, today, await _plan_facts(session, tenant_id, plan_id), on_file)
    if rejected := refused(reading, "", found):
        return Recorded(Outcome.REJECTED, plan_id, rejected.violations)
    record_id = f"{plan_id}/{step.kind}/{step.event_date.isoformat()}"
    digest = content_hash(step)
    repeated = repeat_outcome(await existing_record(session, tenant_id, "plan-step", record_id), digest)
    if repeated is not None:
        return Recorded(repeated, record_id, conflict_at(repeated, "event_date"))
    payload = PlanOfCareRecorded(
        plan_id=plan_id,
        patient_key=plan.patient_key,
        kind=step.kind,
        event_date=step.event_date,
        certifier_npi=step.certifier_npi,
        certifier_credential=step.certifier_credential,
        duration_days=step.duration_days,
        reason=step.reason,
    )
    await remember_and_publish(
        session, tenant_id, "plan-step", record_id, digest, plan.patient_key, PLANS_OF_CARE, payload
    )
    await remember_certification(session, tenant_id, plan_id, on_file, certification_after(step_of(step), on_file))
    return Recorded(Outcome.ACCEPTED, record_id, [])


async def record_authorization(
    session: AsyncSession, tenant_id: str, reading: Reading[AuthorizationSubmission], today: date
) -> Recorded:
    if reading.record is None:
        return Recorded(Outcome.REJECTED, "", list(reading.problems))
    auth = reading.record
    if rejected := refused(reading, "authorization_id", validate_authorization(auth, PayerProfiles.builtin(today))):
        return rejected
    digest = content_hash(auth)
    existing = await existing_record(session, tenant_id, "authorization", auth.authorization_id)
    if repeat_outcome(existing, digest, new_versions_allowed=True) is Outcome.DUPLICATE:
        return Recorded(Outcome.DUPLICATE, auth.authorization_id, [])
    patient_key = await patient_key_for(session, tenant_id, auth.patient_id)
    payload = AuthorizationRecorded(
        authorization_id=auth.authorization_id,
        patient_key=patient_key,
        payer_id=auth.payer_id,
        unit=auth.unit,
        authorized=auth.authorized,
        start_date=auth.start_date,
        end_date=auth.end_date,
    )
    await remember_and_publish(
        session, tenant_id, "authorization", auth.authorization_id, digest, patient_key, AUTHORIZATIONS, payload
    )
    return Recorded(Outcome.ACCEPTED, auth.authorization_id, [])
