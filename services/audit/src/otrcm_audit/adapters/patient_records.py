"""Plans of care, authorizations and prior therapy spend as the poc and modifiers services hold them, built by
their own translations and rules from the records read (``otrcm_poc.usecases.translate``, ``otrcm_poc.domain``,
``otrcm_modifiers.domain``). A record those rules refuse is skipped with its id and rule, never its values.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from otrcm_audit.adapters.records_file import PracticeRecords
from otrcm_modifiers.domain import SeededAmount, SeedOrigin, ThresholdAccrual, empty_accrual, seed
from otrcm_poc.domain import (
    Authorization,
    PlanOfCare,
    PocDomainError,
    TreatmentDayRecorded,
    apply_plan_event,
    start_plan,
)
from otrcm_poc.domain.iep import IepPlan
from otrcm_poc.domain.plan_events import PlanCreated
from otrcm_poc.usecases.translate import MissingField, authorization_of, plan_event_of, written_order_of
from otrcm_shared.events.encounters import Discipline
from otrcm_shared.events.plans import AuthorizationRecorded, PlanEventKind, PlanOfCareRecorded
from otrcm_shared.refdata.therapy_limits import ThresholdBucket


@dataclass
class PatientFiles:
    """Per patient key: plans (treatment days recorded), authorizations, and the threshold accrual seeds."""

    plans: dict[str, list[PlanOfCare]] = field(default_factory=dict)
    ieps: dict[str, list[IepPlan]] = field(default_factory=dict)
    authorizations: dict[str, list[Authorization]] = field(default_factory=dict)
    accruals: dict[str, ThresholdAccrual] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)

    def accrual(self, patient_key: str) -> ThresholdAccrual:
        return self.accruals.get(patient_key) or empty_accrual(patient_key)


def patient_files(
    records: PracticeRecords, treatment_days: Mapping[tuple[str, Discipline], Iterable[date]]
) -> PatientFiles:
    """``treatment_days``: every documented date per patient and discipline (the poc service records each
    as it arrives; the audit sees them all, and a date only counts for the days after it)."""
    files = PatientFiles()
    patient_of_plan = {plan.plan_id: plan.patient_id for plan in records.plans}
    plans: dict[str, PlanOfCare] = {}
    for submitted in records.plans:
        if submitted.is_iep:  # the poc service keeps an IEP as its own dates (otrcm_poc.domain.iep)
            try:
                start, end = submitted.iep_start or submitted.evaluation_date, submitted.iep_end
                iep = IepPlan(submitted.plan_id, submitted.patient_id, start, end or start)
            except PocDomainError as error:
                files.skipped.append(f"plan {submitted.plan_id}: skipped ({getattr(error, 'rule', 'iep')})")
                continue
            files.ieps.setdefault(submitted.patient_id, []).append(iep)
            continue
        created = PlanOfCareRecorded(
            plan_id=submitted.plan_id,
            patient_key=submitted.patient_id,
            kind=PlanEventKind.CREATED,
            event_date=submitted.evaluation_date,
            discipline=submitted.discipline,
            evaluation_date=submitted.evaluation_date,
            duration_days=submitted.duration_days,
            written_order_on_file=submitted.written_order_on_file,
            low_vision=submitted.low_vision,
        )
        event = plan_event_of(created)
        assert isinstance(event, PlanCreated)
        plan = start_plan(event)
        order = written_order_of(created)
        plans[plan.plan_id] = apply_plan_event(plan, order) if order is not None else plan
    ieps = {plan.plan_id for plan in records.plans if plan.is_iep}
    for step in records.plan_events:
        current = plans.get(step.plan_id)
        if current is None and step.plan_id in ieps:
            continue  # an IEP's dates are its record; its steps change nothing the gate reads
        if current is None:
            files.skipped.append(f"plan event of {step.plan_id}: skipped: no such plan of care (plan.exists)")
            continue
        recorded = PlanOfCareRecorded(
            plan_id=step.plan_id,
            patient_key=patient_of_plan[step.plan_id],
            kind=step.kind,
            event_date=step.event_date,
            certifier_npi=step.certifier_npi,
            certifier_credential=step.certifier_credential,
            duration_days=step.duration_days,
            reason=step.reason,
        )
        try:
            plans[step.plan_id] = apply_plan_event(current, plan_event_of(recorded))
        except (PocDomainError, MissingField) as error:
            rule = getattr(error, "rule", "plan.event")
            files.skipped.append(f"plan event {step.kind} of {step.plan_id}: skipped ({rule})")
    for plan in plans.values():
        for day in sorted(set(treatment_days.get((plan.patient_key, plan.discipline), ()))):
            if day >= plan.evaluation_date and day not in plan.treatment_dates:
                plan = apply_plan_event(plan, TreatmentDayRecorded(plan.plan_id, day))
        files.plans.setdefault(plan.patient_key, []).append(plan)
    for submitted_auth in records.authorizations:
        recorded_auth = AuthorizationRecorded(
            authorization_id=submitted_auth.authorization_id,
            patient_key=submitted_auth.patient_id,
            payer_id=submitted_auth.payer_id,
            unit=submitted_auth.unit,
            authorized=submitted_auth.authorized,
            start_date=submitted_auth.start_date,
            end_date=submitted_auth.end_date,
        )
        try:
            authorization = authorization_of(recorded_auth)
        except PocDomainError as error:
            files.skipped.append(
                f"authorization {submitted_auth.authorization_id}: skipped ({getattr(error, 'rule', 'authorization')})"
            )
            continue
        files.authorizations.setdefault(authorization.patient_key, []).append(authorization)
    for spend in records.spend:
        bucket = ThresholdBucket.OT if spend.discipline == "ot" else ThresholdBucket.PT_SLP
        origin = SeedOrigin(spend.source) if spend.source in SeedOrigin._value2member_map_ else SeedOrigin.MANUAL_ENTRY
        seeded = SeededAmount(f"{spend.year}:{bucket.value}", spend.year, bucket, spend.amount, origin)
        files.accruals[spend.patient_id] = seed(files.accrual(spend.patient_id), seeded)
    return files
