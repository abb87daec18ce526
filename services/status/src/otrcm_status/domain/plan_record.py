"""A plan of care as the status service keeps it: every recorded step (``otrcm.plans-of-care.recorded.v1``), and
the plan they make when folded. Pure.

Plan steps carry no revision, so the record keeps each step once (by event id) and folds them in the order of
their dates (on one date, in the order of a plan's life: created, sent, verbal order, certified, signed,
recertified, progress report, late reason, discontinued). A step read late lands where its date puts it, and the
fold gives the same plan whatever order the steps arrived in. A step the shared plan-step rules refuse
(``otrcm_shared.rules.plan_steps``: a certifier who may not certify, a step dated before the evaluation, any step
of an IEP) is left out, as poc leaves it out. The free-text late reason is never kept, only that one was recorded.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

from pydantic import BaseModel, ConfigDict

from otrcm_shared.events.plans import PlanEventKind, PlanOfCareRecorded
from otrcm_shared.rules.plan_steps import PlanFacts, PlanStep, problems_with_step

K = PlanEventKind
LIFE_ORDER = (K.CREATED, K.SENT, K.VERBAL_ORDER, K.CERTIFIED, K.SIGNED, K.RECERTIFIED, K.PROGRESS_REPORT_FILED,
              K.LATE_REASON_RECORDED, K.DISCONTINUED)  # fmt: skip


class StepFact(BaseModel):
    """One recorded step, without the free-text reason."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    event_id: str
    kind: PlanEventKind
    event_date: date
    discipline: str = "OT"
    evaluation_date: date | None = None
    duration_days: int | None = None
    certifier_npi: str | None = None
    certifier_credential: str | None = None
    written_order_on_file: bool = False
    low_vision: bool = False
    is_iep: bool = False
    iep_start: date | None = None
    iep_end: date | None = None
    reason_recorded: bool = False

    @classmethod
    def of(cls, event_id: str, step: PlanOfCareRecorded) -> StepFact:
        return cls(
            event_id=event_id,
            kind=step.kind,
            event_date=step.event_date,
            discipline=step.discipline.value,
            evaluation_date=step.evaluation_date,
            duration_days=step.duration_days,
            certifier_npi=step.certifier_npi,
            certifier_credential=step.certifier_credential,
            written_order_on_file=step.written_order_on_file,
            low_vision=step.low_vision,
            is_iep=step.is_iep,
            iep_start=step.iep_start,
            iep_end=step.iep_end,
            reason_recorded=bool((step.reason or "").strip()),
        )

    def order(self) -> tuple[date, int, str]:
        return (self.event_date, LIFE_ORDER.index(self.kind), self.event_id)


def with_step(steps: tuple[StepFact, ...], step: StepFact) -> tuple[StepFact, ...] | None:
    """The plan's steps with ``step``, or None when that event is already kept (a redelivery)."""
    if any(known.event_id == step.event_id for known in steps):
        return None
    return tuple(sorted((*steps, step), key=StepFact.order))


@dataclass(frozen=True, slots=True)
class Certification:
    """A certification as documented: the initial one (a signature, or a verbal order and its signature) or a
    recertification; ``duration_days`` only when the certifier certified a duration of their own."""

    method: str  # signature | verbal_order | recertification
    dated_on: date
    signed_on: date | None
    certifier_npi: str | None
    certifier_credential: str | None
    duration_days: int | None = None


@dataclass(frozen=True, slots=True)
class Plan:
    plan_id: str
    patient_key: str
    discipline: str
    evaluation_date: date
    duration_days: int | None
    is_iep: bool = False
    iep_start: date | None = None
    iep_end: date | None = None
    low_vision: bool = False
    written_order_on_file: bool = False
    sent_on: date | None = None
    certification: Certification | None = None
    recertifications: tuple[Certification, ...] = ()
    late_reason_recorded: bool = False
    progress_report_dates: tuple[date, ...] = ()
    discontinued_on: date | None = None
    ignored_steps: tuple[str, ...] = field(default=())  # the kinds of the steps the shared rules refuse


def fold(plan_id: str, patient_key: str, steps: tuple[StepFact, ...]) -> Plan | None:
    """The plan its steps make, or None while its creation has not been read."""
    created = next((step for step in steps if step.kind is K.CREATED), None)
    if created is None:
        return None
    started = (created.iep_start if created.is_iep else created.evaluation_date) or created.event_date
    plan = Plan(
        plan_id=plan_id, patient_key=patient_key, discipline=created.discipline, evaluation_date=started,
        duration_days=created.duration_days, is_iep=created.is_iep, iep_start=created.iep_start,
        iep_end=created.iep_end, low_vision=created.low_vision, written_order_on_file=created.written_order_on_file,
    )  # fmt: skip
    facts = PlanFacts(evaluation_date=plan.evaluation_date, low_vision=plan.low_vision, is_iep=plan.is_iep)
    for step in steps:
        if step.kind is K.CREATED:
            continue
        rule_step = PlanStep(step.kind, step.event_date, step.certifier_npi, step.certifier_credential,
                             step.duration_days, "recorded" if step.reason_recorded else None)  # fmt: skip
        if problems_with_step(rule_step, facts):
            plan = replace(plan, ignored_steps=(*plan.ignored_steps, step.kind.value))
            continue
        plan = _apply(plan, step)
    return plan


def _apply(plan: Plan, step: StepFact) -> Plan:
    """One step on the plan, as poc's fold takes it; a step poc would refuse (a second certification, a
    signature with no verbal order waiting for it) changes nothing."""
    current = plan.certification
    day = step.event_date
    if step.kind is K.SENT:
        return replace(plan, sent_on=min(day, plan.sent_on or day))
    if step.kind in (K.CERTIFIED, K.VERBAL_ORDER) and current is None:
        method = "signature" if step.kind is K.CERTIFIED else "verbal_order"
        signed = day if step.kind is K.CERTIFIED else None
        made = Certification(method, day, signed, step.certifier_npi, step.certifier_credential, step.duration_days)
        return replace(plan, certification=made)
    if step.kind in (K.CERTIFIED, K.SIGNED) and current is not None:
        if current.method == "verbal_order" and current.signed_on is None and day >= current.dated_on:
            return replace(plan, certification=replace(current, signed_on=day))
        return plan
    if step.kind is K.RECERTIFIED:
        recert = Certification("recertification", day, day, step.certifier_npi, step.certifier_credential,
                               step.duration_days)  # fmt: skip
        if plan.recertifications and plan.recertifications[-1] == recert:
            return plan
        return replace(plan, recertifications=(*plan.recertifications, recert))
    if step.kind is K.PROGRESS_REPORT_FILED:
        return replace(plan, progress_report_dates=tuple(sorted({*plan.progress_report_dates, day})))
    if step.kind is K.LATE_REASON_RECORDED:
        return replace(plan, late_reason_recorded=True)
    if step.kind is K.DISCONTINUED:
        return replace(plan, discontinued_on=day)
    return plan
