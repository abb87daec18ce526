"""Use case: judge a billing day (clear or hold it), and re-judge held days when their records change.

A day is cleared when every encounter of it is; otherwise it is held with every reason at once. Its
encounters are counted on their authorizations only when the day is cleared, and a day's treatment
date is recorded on its plan (progress reports count treatment days) when its units first arrive.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from otrcm_poc.adapters.records import PatientRecords, load_patient, save_authorization, save_plan
from otrcm_poc.adapters.store import billing_days
from otrcm_poc.domain import (
    CURRENT_POLICY_DATES,
    Authorization,
    BillingRecords,
    PayerRequirements,
    PlanOfCare,
    TreatmentDayRecorded,
    apply_plan_event,
    count_encounter,
    gate_encounter,
    plan_for_date_of_service,
)
from otrcm_poc.domain.iep import IepPlan
from otrcm_poc.usecases.translate import encounter_facts
from otrcm_shared.events.day_verdict import DayJudged
from otrcm_shared.events.day_verdict import Verdict as VerdictKind
from otrcm_shared.events.gate import HoldReason
from otrcm_shared.events.units import UnitsCalculated
from otrcm_shared.refdata import CodeCatalog, PayerProfiles
from otrcm_shared.runtime.json_column import json_of
from otrcm_shared.runtime.prepared import lookup, upsert


@dataclass(frozen=True)
class Verdict:
    reasons: tuple[HoldReason, ...]
    plan: PlanOfCare | IepPlan | None
    counted: tuple[Authorization, ...]

    @property
    def cleared(self) -> bool:
        return not self.reasons


def requirements_for(day: UnitsCalculated) -> PayerRequirements:
    profile = PayerProfiles.builtin(day.date_of_service).get(day.payer_id)
    return PayerRequirements.from_mapping(profile.requirements)


def _iep_for(ieps: tuple[IepPlan, ...], day: date) -> IepPlan | None:
    started = [iep for iep in ieps if iep.starts_on <= day]
    return max(started, key=lambda iep: (iep.starts_on, iep.plan_id)) if started else None


def judge(day: UnitsCalculated, records: PatientRecords, today: date) -> Verdict:
    """The gate over every encounter of the day, counting each cleared one before judging the next."""
    requirements = requirements_for(day)
    catalog = CodeCatalog.builtin(day.date_of_service)
    plan = plan_for_date_of_service([p for p in records.plans if p.discipline == day.discipline], day.date_of_service)
    iep = _iep_for(records.ieps, day.date_of_service)
    auths = {a.authorization_id: a for a in records.authorizations if a.payer_id == day.payer_id}
    reasons: list[HoldReason] = []
    for encounter in day.encounters:
        if encounter.voided:  # a voided encounter bills nothing: nothing of it to judge
            continue
        facts = encounter_facts(day, encounter, catalog)
        billing = BillingRecords(plan=plan, iep=iep, authorizations=tuple(auths.values()))
        decision = gate_encounter(requirements, facts, billing, policy=CURRENT_POLICY_DATES, decided_on=today)
        reasons += [
            HoldReason(code=r.code.value, message=r.message, encounter_id=facts.encounter_id) for r in decision.reasons
        ]
        if decision.cleared and decision.authorization_id is not None:
            auth = auths[decision.authorization_id]
            auths[auth.authorization_id] = count_encounter(auth, facts.encounter_id, facts.date_of_service, facts.units)
    counted = tuple(a for a in auths.values() if a not in records.authorizations)
    return Verdict(tuple(reasons), iep if requirements.plan_source.value == "iep" else plan, counted)


# Built once (docs/adr/014).
_DAY_COLUMNS = ("patient_key", "units_revision", "gate_revision", "status", "reasons", "day", "updated_at")
_REVISIONS = lookup(billing_days.c.units_revision, billing_days.c.gate_revision, where=("tenant_id", "day_key"))
_SAVE_DAY = upsert(billing_days, ("tenant_id", "day_key"), _DAY_COLUMNS)
_HELD_DAYS = lookup(billing_days.c.day, where=("tenant_id", "patient_key", "status"))


async def record_treatment_day(session: AsyncSession, tenant_id: str, day: UnitsCalculated) -> PatientRecords:
    """Add the day to its plan's treatment days (idempotent by date), and return the patient's records."""
    records = await load_patient(session, tenant_id, day.patient_key)
    plan = plan_for_date_of_service([p for p in records.plans if p.discipline == day.discipline], day.date_of_service)
    if plan is None or day.date_of_service in plan.treatment_dates:
        return records
    updated = apply_plan_event(plan, TreatmentDayRecorded(plan.plan_id, day.date_of_service))
    await save_plan(session, tenant_id, updated)
    return PatientRecords(
        tuple(updated if p.plan_id == plan.plan_id else p for p in records.plans), records.ieps, records.authorizations
    )


def certifier_of(plan: PlanOfCare | IepPlan | None) -> str | None:
    """The physician/NPP who certified the plan most recently (the referring provider on the claim)."""
    if not isinstance(plan, PlanOfCare):
        return None
    if plan.recertifications:
        return plan.recertifications[-1].certifier.npi
    return plan.certification.certifier.npi if plan.certification else None


@dataclass(frozen=True)
class StoredDay:
    """What the gate keeps of a day it judged: the units revision judged and the verdict's number."""

    units_revision: int
    gate_revision: int


async def save_verdict(
    session: AsyncSession,
    tenant_id: str,
    day: UnitsCalculated,
    verdict: Verdict,
    stored: StoredDay | None,
    *,
    released: bool = False,
) -> DayJudged:
    """Persist the verdict (and the authorization counts of a cleared day); return the event to publish.
    ``stored``: the day as :func:`stored_day` read it in this transaction (None: never judged)."""
    of_day = {"tenant_id": tenant_id, "day_key": day.day_key}
    previous = stored.gate_revision if stored is not None else None
    gate_revision = (previous or 0) + 1
    if verdict.cleared:
        for authorization in verdict.counted:
            await save_authorization(session, tenant_id, authorization)
    values = {
        "patient_key": day.patient_key,
        "units_revision": day.revision,
        "gate_revision": gate_revision,
        "status": "cleared" if verdict.cleared else "held",
        "reasons": [reason.model_dump() for reason in verdict.reasons],
        "day": json_of(day),
        "updated_at": datetime.now(UTC),
    }
    await _SAVE_DAY.execute(session, {**of_day, **values})
    plan_id = verdict.plan.plan_id if verdict.plan is not None and verdict.cleared else None
    certifier = certifier_of(verdict.plan) if verdict.cleared else None
    return DayJudged(
        day_key=day.day_key,
        revision=gate_revision,
        verdict=VerdictKind.CLEARED if verdict.cleared else VerdictKind.HELD,
        patient_key=day.patient_key,
        encounter_ids=tuple(e.encounter_id for e in day.encounters),
        units_revision=day.revision,
        day=day,
        plan_id=plan_id,
        certifier_npi=certifier,
        released=released and verdict.cleared,
        reasons=verdict.reasons,
    )


async def held_days(session: AsyncSession, tenant_id: str, patient_key: str) -> list[UnitsCalculated]:
    rows = await _HELD_DAYS.execute(session, {"tenant_id": tenant_id, "patient_key": patient_key, "status": "held"})
    return [UnitsCalculated.model_validate(row) for row in rows.scalars()]


async def stored_day(session: AsyncSession, tenant_id: str, day_key: str) -> StoredDay | None:
    """The day's judged units revision and verdict number, or None when the gate never judged it."""
    row = (await _REVISIONS.execute(session, {"tenant_id": tenant_id, "day_key": day_key})).first()
    return None if row is None else StoredDay(row.units_revision, row.gate_revision)
