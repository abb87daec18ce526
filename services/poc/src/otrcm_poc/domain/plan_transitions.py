"""How each event changes a plan of care: a pure fold, ``apply_plan_event(plan, event) -> plan``.

Every event is checked before it is applied; an impossible one raises :class:`InvalidPlanEvent` (or
:class:`DisallowedCertifier`) and leaves the plan as it was. Applying the same event twice gives the same
plan, so a redelivered event is harmless. Sources: Pub. 100-02 Ch. 15 §220.1.2-220.1.3, §220.3.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import date

from otrcm_poc.domain.certification_intervals import certification_intervals
from otrcm_poc.domain.credentials import certifier_may_certify_the_plan
from otrcm_poc.domain.errors import InvalidPlanEvent, PocRule
from otrcm_poc.domain.plan import (
    CertificationMethod,
    Certifier,
    InitialCertification,
    PlanOfCare,
    Recertification,
)
from otrcm_poc.domain.plan_events import (
    LateReasonRecorded,
    PlanCreated,
    PlanDiscontinued,
    PlanEvent,
    PlanRecertified,
    PlanSent,
    PlanSigned,
    ProgressReportFiled,
    TreatmentDayRecorded,
    VerbalOrderReceived,
    VerbalOrderSigned,
    WrittenOrderFiled,
)
from otrcm_shared.events.plans import PlanEventKind
from otrcm_shared.rules.certification_steps import CertificationOnFile, certification_problems
from otrcm_shared.rules.plan_steps import PlanStep


def start_plan(event: PlanCreated) -> PlanOfCare:
    """A new plan from its creation event; the duration comes from ``duration_days`` or ``end_date``."""
    if not event.plan_id or not event.patient_key:
        raise InvalidPlanEvent(
            event.plan_id or "?", "a plan needs a plan id and a patient key", PocRule.PLAN_IDS_REQUIRED
        )
    if (event.duration_days is None) == (event.end_date is None):
        raise InvalidPlanEvent(
            event.plan_id,
            "give the plan's duration in days or its end date, not both or neither",
            PocRule.PLAN_DURATION_OR_END_DATE,
        )
    if event.end_date is not None:
        if event.end_date < event.evaluation_date:
            raise InvalidPlanEvent(
                event.plan_id, f"end date {event.end_date} is before the evaluation", PocRule.PLAN_END_AFTER_EVALUATION
            )
        duration = (event.end_date - event.evaluation_date).days + 1
    else:
        duration = event.duration_days or 0
    if duration < 1:
        raise InvalidPlanEvent(
            event.plan_id, f"a plan lasts at least one day (got {duration})", PocRule.PLAN_LASTS_A_DAY
        )
    return PlanOfCare(
        plan_id=event.plan_id,
        patient_key=event.patient_key,
        evaluation_date=event.evaluation_date,
        duration_days=duration,
        discipline=event.discipline,
        low_vision=event.low_vision,
        written_order_on_file=event.written_order_on_file,
    )


def replay_plan(events: Iterable[PlanEvent]) -> PlanOfCare:
    """The plan after all its events, the first of which must be :class:`PlanCreated`."""
    plan: PlanOfCare | None = None
    for event in events:
        if plan is None:
            if not isinstance(event, PlanCreated):
                raise InvalidPlanEvent(
                    event.plan_id,
                    f"the first event must create the plan, not {type(event).__name__}",
                    PocRule.EVENT_FOR_THIS_PLAN,
                )
            plan = start_plan(event)
        else:
            plan = apply_plan_event(plan, event)
    if plan is None:
        raise ValueError("no events: a plan starts with PlanCreated")
    return plan


def apply_plan_event(plan: PlanOfCare, event: PlanEvent) -> PlanOfCare:
    """The plan after ``event`` (a new value; ``plan`` is unchanged)."""
    if event.plan_id != plan.plan_id:
        raise InvalidPlanEvent(
            plan.plan_id, f"event for plan {event.plan_id} applied to the wrong plan", PocRule.EVENT_FOR_THIS_PLAN
        )
    match event:
        case PlanCreated():
            created = start_plan(event)
            if replace(created, written_order_on_file=plan.written_order_on_file) != _as_created(plan):
                raise InvalidPlanEvent(
                    plan.plan_id, "the plan was already created with other facts", PocRule.PLAN_CREATED_ONCE
                )
            return replace(plan, written_order_on_file=plan.written_order_on_file or event.written_order_on_file)
        case PlanSent(sent_on=sent_on):
            _not_before_evaluation(plan, sent_on, "sent")
            return replace(plan, sent_on=min(sent_on, plan.sent_on or sent_on))
        case WrittenOrderFiled():
            return replace(plan, written_order_on_file=True)
        case PlanSigned():
            return _signed(plan, event)
        case VerbalOrderReceived():
            return _verbal_order(plan, event)
        case VerbalOrderSigned(signed_on=signed_on):
            return _verbal_order_signed(plan, signed_on)
        case PlanRecertified():
            return _recertified(plan, event)
        case LateReasonRecorded():
            return _late_reason(plan, event)
        case ProgressReportFiled(filed_on=filed_on):
            _not_before_evaluation(plan, filed_on, "progress report")
            return replace(plan, progress_report_dates=_with_date(plan.progress_report_dates, filed_on))
        case TreatmentDayRecorded(date_of_service=day):
            _not_before_evaluation(plan, day, "treatment day")
            return replace(plan, treatment_dates=_with_date(plan.treatment_dates, day))
        case PlanDiscontinued(discontinued_on=day):
            _not_before_evaluation(plan, day, "discontinuation")
            return replace(plan, discontinued_on=day)
    raise TypeError(f"not a plan event: {event!r}")  # pragma: no cover - the match is exhaustive


def _as_created(plan: PlanOfCare) -> PlanOfCare:
    return PlanOfCare(
        plan_id=plan.plan_id,
        patient_key=plan.patient_key,
        evaluation_date=plan.evaluation_date,
        duration_days=plan.duration_days,
        discipline=plan.discipline,
        low_vision=plan.low_vision,
        written_order_on_file=plan.written_order_on_file,
    )


def _not_before_evaluation(plan: PlanOfCare, day: date, what: str) -> None:
    if day < plan.evaluation_date:
        raise InvalidPlanEvent(
            plan.plan_id,
            f"{what} dated {day} is before the evaluation on {plan.evaluation_date}",
            PocRule.NOT_BEFORE_EVALUATION,
        )


def _with_date(dates: tuple[date, ...], day: date) -> tuple[date, ...]:
    return tuple(sorted({*dates, day}))


def _positive_duration(plan: PlanOfCare, duration_days: int | None) -> None:
    if duration_days is not None and duration_days < 1:
        raise InvalidPlanEvent(
            plan.plan_id,
            f"a certified duration lasts at least one day (got {duration_days})",
            PocRule.CERTIFIED_DURATION_POSITIVE,
        )


def _certifier(plan: PlanOfCare, npi: str, credential: str) -> Certifier:
    return Certifier(npi, certifier_may_certify_the_plan(plan.plan_id, credential, low_vision=plan.low_vision))


def _on_file(plan: PlanOfCare) -> CertificationOnFile | None:
    current = plan.certification
    if current is None:
        return None
    verbal = current.method is CertificationMethod.VERBAL_ORDER
    certifier = current.certifier
    return CertificationOnFile(
        verbal, current.dated_on, current.signed_on, certifier.npi, certifier.credential.value, current.duration_days
    )


def _refuse_what_the_door_refuses(plan: PlanOfCare, step: PlanStep) -> None:
    """The shared certification rules (``otrcm_shared.rules.certification_steps``), as the front door applies them."""
    for problem in certification_problems(step, _on_file(plan)):
        raise InvalidPlanEvent(plan.plan_id, problem.message, PocRule(problem.rule))


def _signed(plan: PlanOfCare, event: PlanSigned) -> PlanOfCare:
    _not_before_evaluation(plan, event.signed_on, "signature")
    _positive_duration(plan, event.duration_days)
    certifier = _certifier(plan, event.certifier_npi, event.certifier_credential)
    step = PlanStep(
        PlanEventKind.CERTIFIED, event.signed_on, event.certifier_npi, event.certifier_credential, event.duration_days
    )
    _refuse_what_the_door_refuses(plan, step)
    current = plan.certification
    if current is None:
        signed = InitialCertification(
            CertificationMethod.SIGNATURE, certifier, event.signed_on, event.signed_on, event.duration_days
        )
        return replace(plan, certification=signed)
    if current.signed_on is None:  # a certified step signs the verbal order on file
        return replace(plan, certification=replace(current, signed_on=event.signed_on))
    return plan  # the same signature again


def _verbal_order(plan: PlanOfCare, event: VerbalOrderReceived) -> PlanOfCare:
    _not_before_evaluation(plan, event.ordered_on, "verbal order")
    _positive_duration(plan, event.duration_days)
    certifier = _certifier(plan, event.certifier_npi, event.certifier_credential)
    step = PlanStep(
        PlanEventKind.VERBAL_ORDER, event.ordered_on, event.certifier_npi, event.certifier_credential,
        event.duration_days,
    )  # fmt: skip
    _refuse_what_the_door_refuses(plan, step)
    if plan.certification is None:
        ordered = InitialCertification(
            CertificationMethod.VERBAL_ORDER, certifier, event.ordered_on, None, event.duration_days
        )
        return replace(plan, certification=ordered)
    return plan  # the same verbal order again


def _verbal_order_signed(plan: PlanOfCare, signed_on: date) -> PlanOfCare:
    _refuse_what_the_door_refuses(plan, PlanStep(PlanEventKind.SIGNED, signed_on))
    current = plan.certification
    assert current is not None  # the rules above refuse a signature without a verbal order
    return replace(plan, certification=replace(current, signed_on=signed_on))


def _recertified(plan: PlanOfCare, event: PlanRecertified) -> PlanOfCare:
    _not_before_evaluation(plan, event.signed_on, "recertification")
    _positive_duration(plan, event.duration_days)
    certifier = _certifier(plan, event.certifier_npi, event.certifier_credential)
    recert = Recertification(event.signed_on, certifier, event.duration_days, event.starts_on)
    if plan.recertifications and replace(plan.recertifications[-1], late_reason=None) == recert:
        return plan
    recertified = replace(plan, recertifications=(*plan.recertifications, recert))
    try:
        certification_intervals(recertified)
    except ValueError as problem:
        raise InvalidPlanEvent(plan.plan_id, str(problem), PocRule.RECERTIFICATION_FOLLOWS_INTERVAL) from None
    return recertified


def _late_reason(plan: PlanOfCare, event: LateReasonRecorded) -> PlanOfCare:
    if not event.reason.strip():
        raise InvalidPlanEvent(
            plan.plan_id, "a late-certification reason cannot be empty", PocRule.LATE_REASON_REQUIRED
        )
    number = event.certification_number
    if number == 0:
        return replace(plan, late_reason=event.reason)
    if not 1 <= number <= len(plan.recertifications):
        raise InvalidPlanEvent(
            plan.plan_id,
            f"no recertification number {number} to record a late reason for",
            PocRule.LATE_REASON_CERTIFICATION_EXISTS,
        )
    recerts = list(plan.recertifications)
    recerts[number - 1] = replace(recerts[number - 1], late_reason=event.reason)
    return replace(plan, recertifications=tuple(recerts))
