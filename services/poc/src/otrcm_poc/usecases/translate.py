"""From the shared events to the domain's values (the anti-corruption layer of the poc service)."""

from __future__ import annotations

from otrcm_poc.domain import (
    Authorization,
    EncounterFacts,
    LateReasonRecorded,
    PlanDiscontinued,
    PlanOfCare,
    PlanRecertified,
    PlanSent,
    PlanSigned,
    ProgressReportFiled,
    VerbalOrderReceived,
    VerbalOrderSigned,
    WrittenOrderFiled,
)
from otrcm_poc.domain.authorization import AuthorizationUnit
from otrcm_poc.domain.day_counting import DateRange
from otrcm_poc.domain.errors import InvalidAuthorization, PocRule
from otrcm_poc.domain.iep import IepPlan
from otrcm_poc.domain.plan_events import PlanCreated, PlanEvent
from otrcm_shared.events.encounters import EncounterReceived
from otrcm_shared.events.plans import AuthorizationRecorded, PlanEventKind, PlanOfCareRecorded
from otrcm_shared.events.units import UnitsCalculated
from otrcm_shared.refdata import CodeCatalog
from otrcm_shared.rules.plan_steps import PlanFacts, PlanStep, StepProblem, problems_with_step


class MissingField(ValueError):
    """A plan event lacks a field its kind needs (named in the message, no values), breaking ``rule``."""

    def __init__(self, message: str, rule: PocRule) -> None:
        super().__init__(message)
        self.rule = rule


NEEDED_BY = {
    "certifier_npi": PocRule.CERTIFIER_NPI_REQUIRED,
    "certifier_credential": PocRule.CERTIFIER_CREDENTIAL_REQUIRED,
    "duration_days": PocRule.RECERTIFICATION_DURATION_REQUIRED,
    "reason": PocRule.LATE_REASON_REQUIRED,
}


def _need(value: object, event: PlanOfCareRecorded, name: str) -> object:
    if value is None:
        raise MissingField(f"a '{event.kind}' plan event needs {name}", NEEDED_BY[name])
    return value


def plan_event_of(event: PlanOfCareRecorded) -> PlanEvent:
    """The domain event for a recorded plan step (``created`` of an IEP is handled separately)."""
    match event.kind:
        case PlanEventKind.CREATED:
            return PlanCreated(
                plan_id=event.plan_id,
                patient_key=event.patient_key,
                evaluation_date=event.evaluation_date or event.event_date,
                duration_days=event.duration_days,
                discipline=event.discipline,
                low_vision=event.low_vision,
                written_order_on_file=event.written_order_on_file,
            )
        case PlanEventKind.SENT:
            return PlanSent(event.plan_id, event.event_date)
        case PlanEventKind.CERTIFIED:
            return PlanSigned(
                event.plan_id,
                event.event_date,
                str(_need(event.certifier_npi, event, "certifier_npi")),
                str(_need(event.certifier_credential, event, "certifier_credential")),
                event.duration_days,
            )
        case PlanEventKind.VERBAL_ORDER:
            return VerbalOrderReceived(
                event.plan_id,
                event.event_date,
                str(_need(event.certifier_npi, event, "certifier_npi")),
                str(_need(event.certifier_credential, event, "certifier_credential")),
                event.duration_days,
            )
        case PlanEventKind.SIGNED:
            return VerbalOrderSigned(event.plan_id, event.event_date)
        case PlanEventKind.RECERTIFIED:
            return PlanRecertified(
                event.plan_id,
                event.event_date,
                str(_need(event.certifier_npi, event, "certifier_npi")),
                str(_need(event.certifier_credential, event, "certifier_credential")),
                int(str(_need(event.duration_days, event, "duration_days"))),
            )
        case PlanEventKind.PROGRESS_REPORT_FILED:
            return ProgressReportFiled(event.plan_id, event.event_date)
        case PlanEventKind.LATE_REASON_RECORDED:
            return LateReasonRecorded(event.plan_id, str(_need(event.reason, event, "reason")))
        case PlanEventKind.DISCONTINUED:
            return PlanDiscontinued(event.plan_id, event.event_date)
    raise TypeError(f"unknown plan event kind {event.kind}")  # pragma: no cover - the enum is closed


def written_order_of(event: PlanOfCareRecorded) -> WrittenOrderFiled | None:
    """A plan created with a written order on file also files that order (for the 2025 exception)."""
    if event.kind is PlanEventKind.CREATED and event.written_order_on_file:
        return WrittenOrderFiled(event.plan_id, event.evaluation_date or event.event_date)
    return None


def authorization_of(event: AuthorizationRecorded) -> Authorization:
    if event.end_date < event.start_date:
        backwards = "the authorization ends before it starts"
        raise InvalidAuthorization(event.authorization_id, backwards, PocRule.AUTHORIZATION_DATES_ORDERED)
    return Authorization(
        authorization_id=event.authorization_id,
        payer_id=event.payer_id,
        patient_key=event.patient_key,
        unit=AuthorizationUnit(event.unit.value),
        authorized=event.authorized,
        valid=DateRange(event.start_date, event.end_date),
    )


def encounter_facts(day: UnitsCalculated, encounter: EncounterReceived, catalog: CodeCatalog) -> EncounterFacts:
    """What the gate needs of one encounter of the day: its date, its units, whether it is the evaluation.

    Only an initial evaluation (not a re-evaluation such as 97168) counts as the evaluation that creates a plan.
    """
    units = sum(line.units for line in day.lines if line.encounter_id == encounter.encounter_id)
    initial_evaluation = any(
        catalog.get(line.code).evaluation and not catalog.get(line.code).reevaluation
        for line in encounter.lines
        if line.code in catalog
    )
    return EncounterFacts(encounter.encounter_id, encounter.date_of_service, initial_evaluation, max(units, 1))


def step_problems(event: PlanOfCareRecorded, plan: PlanOfCare | IepPlan | None) -> list[StepProblem]:
    """The shared plan-step rules (the same the front door applies) for a later step of a known plan."""
    if plan is None or event.kind is PlanEventKind.CREATED:
        return []
    if isinstance(plan, IepPlan):
        facts = PlanFacts(evaluation_date=plan.starts_on, is_iep=True)
    else:
        facts = PlanFacts(evaluation_date=plan.evaluation_date, low_vision=plan.low_vision)
    step = PlanStep(
        event.kind, event.event_date, event.certifier_npi, event.certifier_credential, event.duration_days, event.reason
    )
    return problems_with_step(step, facts)
