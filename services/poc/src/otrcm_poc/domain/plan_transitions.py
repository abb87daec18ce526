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
from otrcm_poc.domain.errors import InvalidPlanEvent
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


def start_plan(event: PlanCreated) -> PlanOfCare:
    """A new plan from its creation event; the duration comes from ``duration_days`` or ``end_date``."""
    if not event.plan_id or not event.patient_key:
        raise InvalidPlanEvent(event.plan_id or "?", "a plan needs a plan id and a patient key")
    if (event.duration_days is None) == (event.end_date is None):
        raise InvalidPlanEvent(event.plan_id, "give the plan's duration in days or its end date, not both or neither")
    if event.end_date is not None:
        if event.end_date < event.evaluation_date:
            raise InvalidPlanEvent(event.plan_id, f"end date {event.end_date} is before the evaluation")
        duration = (event.end_date - event.evaluation_date).days + 1
    else:
        duration = event.duration_days or 0
    if duration < 1:
        raise InvalidPlanEvent(event.plan_id, f"a plan lasts at least one day (got {duration})")
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
                    event.plan_id, f"the first event must create the plan, not {type(event).__name__}"
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
        raise InvalidPlanEvent(plan.plan_id, f"event for plan {event.plan_id} applied to the wrong plan")
    match event:
        case PlanCreated():
            created = start_plan(event)
            if replace(created, written_order_on_file=plan.written_order_on_file) != _as_created(plan):
                raise InvalidPlanEvent(plan.plan_id, "the plan was already created with other facts")
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
        raise InvalidPlanEvent(plan.plan_id, f"{what} dated {day} is before the evaluation on {plan.evaluation_date}")


def _with_date(dates: tuple[date, ...], day: date) -> tuple[date, ...]:
    return tuple(sorted({*dates, day}))


def _positive_duration(plan: PlanOfCare, duration_days: int | None) -> None:
    if duration_days is not None and duration_days < 1:
        raise InvalidPlanEvent(plan.plan_id, f"a certified duration lasts at least one day (got {duration_days})")


def _certifier(plan: PlanOfCare, npi: str, credential: str) -> Certifier:
    return Certifier(npi, certifier_may_certify_the_plan(plan.plan_id, credential, low_vision=plan.low_vision))


def _signed(plan: PlanOfCare, event: PlanSigned) -> PlanOfCare:
    _not_before_evaluation(plan, event.signed_on, "signature")
    _positive_duration(plan, event.duration_days)
    certifier = _certifier(plan, event.certifier_npi, event.certifier_credential)
    current = plan.certification
    if current is None:
        signed = InitialCertification(
            CertificationMethod.SIGNATURE, certifier, event.signed_on, event.signed_on, event.duration_days
        )
        return replace(plan, certification=signed)
    if current.signed_on is None:
        return _verbal_order_signed(plan, event.signed_on)
    if current.signed_on == event.signed_on and current.certifier == certifier:
        return plan
    raise InvalidPlanEvent(
        plan.plan_id, f"already certified (signed {current.signed_on}); a changed plan needs a recertification"
    )


def _verbal_order(plan: PlanOfCare, event: VerbalOrderReceived) -> PlanOfCare:
    _not_before_evaluation(plan, event.ordered_on, "verbal order")
    _positive_duration(plan, event.duration_days)
    certifier = _certifier(plan, event.certifier_npi, event.certifier_credential)
    ordered = InitialCertification(
        CertificationMethod.VERBAL_ORDER, certifier, event.ordered_on, None, event.duration_days
    )
    current = plan.certification
    if current is None:
        return replace(plan, certification=ordered)
    if current.method is CertificationMethod.VERBAL_ORDER and replace(current, signed_on=None) == ordered:
        return plan
    raise InvalidPlanEvent(plan.plan_id, f"already certified ({current.method.value} dated {current.dated_on})")


def _verbal_order_signed(plan: PlanOfCare, signed_on: date) -> PlanOfCare:
    current = plan.certification
    if current is None or current.method is not CertificationMethod.VERBAL_ORDER:
        raise InvalidPlanEvent(plan.plan_id, "a signature of a verbal order needs a verbal order on file")
    if signed_on < current.dated_on:
        raise InvalidPlanEvent(plan.plan_id, f"signature {signed_on} is before the verbal order of {current.dated_on}")
    if current.signed_on is not None and current.signed_on != signed_on:
        raise InvalidPlanEvent(plan.plan_id, f"the verbal order was already signed on {current.signed_on}")
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
        raise InvalidPlanEvent(plan.plan_id, str(problem)) from None
    return recertified


def _late_reason(plan: PlanOfCare, event: LateReasonRecorded) -> PlanOfCare:
    if not event.reason.strip():
        raise InvalidPlanEvent(plan.plan_id, "a late-certification reason cannot be empty")
    number = event.certification_number
    if number == 0:
        return replace(plan, late_reason=event.reason)
    if not 1 <= number <= len(plan.recertifications):
        raise InvalidPlanEvent(plan.plan_id, f"no recertification number {number} to record a late reason for")
    recerts = list(plan.recertifications)
    recerts[number - 1] = replace(recerts[number - 1], late_reason=event.reason)
    return replace(plan, recertifications=tuple(recerts))
