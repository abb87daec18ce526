"""Why a plan, authorization or IEP record cannot be taken: errors that name the record and the rule.

Every reason the poc service can dead-letter a record for is enumerated here: the dead letter's reason
codes (``DEAD_LETTER_REASONS``) and, for those that name the broken rule, every rule id (``PocRule``).
Rule ids shared with the front door (``otrcm_shared.rules``) have the same value here, so a dead letter
names the rule the door answers with. A test walks them all and shows the door refuses each record first.
"""

from __future__ import annotations

from enum import StrEnum


class PocRule(StrEnum):
    """Every rule a plan-of-care, IEP or authorization record can break in this service."""

    # the plan's creation
    PLAN_IDS_REQUIRED = "poc.plan_ids_required"
    PLAN_DURATION_OR_END_DATE = "poc.plan_duration_or_end_date"
    PLAN_END_AFTER_EVALUATION = "poc.plan_end_after_evaluation"
    PLAN_LASTS_A_DAY = "poc.plan_lasts_a_day"
    PLAN_CREATED_ONCE = "poc.plan_created_once"
    EVENT_FOR_THIS_PLAN = "poc.event_for_this_plan"
    # later steps (the shared rules first: otrcm_shared.rules.plan_steps and certification_steps)
    NOT_BEFORE_EVALUATION = "plan_step.not_before_evaluation"
    CERTIFIER_NPI_REQUIRED = "certifier.npi_required"
    CERTIFIER_CREDENTIAL_REQUIRED = "certifier.credential_required"
    CERTIFIER_CREDENTIAL_ALLOWED = "certifier.credential_allowed"
    RECERTIFICATION_DURATION_REQUIRED = "recertification.duration_required"
    LATE_REASON_REQUIRED = "late_reason.required"
    IEP_NO_LATER_STEPS = "iep.no_later_steps"
    CERTIFIED_ONCE = "certification.once"
    VERBAL_ORDER_ON_FILE = "verbal_order.on_file"
    SIGNED_AFTER_VERBAL_ORDER = "verbal_order.signed_after_order"
    VERBAL_ORDER_SIGNED_ONCE = "verbal_order.signed_once"
    CERTIFIED_DURATION_POSITIVE = "poc.certified_duration_positive"
    RECERTIFICATION_FOLLOWS_INTERVAL = "poc.recertification_follows_interval"
    LATE_REASON_CERTIFICATION_EXISTS = "poc.late_reason_certification_exists"
    # an IEP
    IEP_DATES_REQUIRED = "iep.dates_required"
    IEP_DATES_ORDERED = "poc.iep_dates_ordered"
    # an authorization, and an encounter counted against it
    AUTHORIZES_AT_LEAST_ONE = "poc.authorizes_at_least_one"
    AUTHORIZATION_DATES_ORDERED = "poc.authorization_dates_ordered"
    AUTHORIZATION_USED_NOT_NEGATIVE = "poc.authorization_used_not_negative"
    AUTHORIZATION_COVERS_THE_DATE = "poc.authorization_covers_the_date"
    AUTHORIZATION_UNITS_NOT_NEGATIVE = "poc.authorization_units_not_negative"
    AUTHORIZATION_HAS_ENOUGH_LEFT = "poc.authorization_has_enough_left"


# The dead letters' reason codes the handlers raise, each with the rules its ``rule_ids`` may name.
DEAD_LETTER_REASONS: dict[str, tuple[str, ...]] = {
    "REFERENCE_DATA_MISSING": (),  # no payer profile or code catalog in effect for a day's date of service
    "PLAN_UNKNOWN": (),  # a later step of a plan this service has not seen created
    "PLAN_EVENT_INVALID": tuple(rule.value for rule in PocRule if not rule.name.startswith("AUTHORIZ")),
    "AUTHORIZATION_INVALID": tuple(rule.value for rule in PocRule if rule.name.startswith("AUTHORIZ")),
}


class PocDomainError(ValueError):
    """A plan-of-care, IEP or authorization fact breaks a rule; the message names the record at fault."""

    def __init__(self, message: str, rule: PocRule) -> None:
        super().__init__(message)
        self.rule = rule


class DisallowedCertifier(PocDomainError):
    """The certifying practitioner's credential may not certify this therapy plan."""

    def __init__(self, plan_id: str, credential: str, rule: str) -> None:
        message = f"plan {plan_id}: a certifier with credential {credential!r} cannot certify it: {rule}"
        super().__init__(message, PocRule.CERTIFIER_CREDENTIAL_ALLOWED)
        self.plan_id = plan_id
        self.credential = credential


class InvalidPlanEvent(PocDomainError):
    """An event cannot be applied to the plan in its current state (wrong plan, order or dates)."""

    def __init__(self, plan_id: str, problem: str, rule: PocRule) -> None:
        super().__init__(f"plan {plan_id}: {problem}", rule)
        self.plan_id = plan_id
        self.problem = problem


class InvalidAuthorization(PocDomainError):
    """An authorization record or a use of it is impossible (dates, counts, encounter beyond it)."""

    def __init__(self, authorization_id: str, problem: str, rule: PocRule) -> None:
        super().__init__(f"authorization {authorization_id}: {problem}", rule)
        self.authorization_id = authorization_id
        self.problem = problem


class InvalidIep(PocDomainError):
    """An IEP record is impossible (it ends before it starts)."""

    def __init__(self, plan_id: str, problem: str) -> None:
        super().__init__(f"IEP {plan_id}: {problem}", PocRule.IEP_DATES_ORDERED)
        self.plan_id = plan_id
        self.problem = problem
