"""Validation of patients, plans of care and authorizations (each rule with an id)."""

from __future__ import annotations

from datetime import date

from otrcm_intake.domain.free_text import text_is_plain
from otrcm_intake.domain.identifiers import has_relationship_code_shape, is_mbi, npi_check_digit_is_valid
from otrcm_intake.domain.submissions import (
    AuthorizationSubmission,
    PatientSubmission,
    PlanEventSubmission,
    PlanOfCareSubmission,
)
from otrcm_intake.domain.subscriber_rules import subscriber_problems
from otrcm_intake.domain.violations import Violation
from otrcm_shared.refdata import PayerKind, PayerProfiles
from otrcm_shared.rules.certification_steps import CertificationOnFile, certification_problems
from otrcm_shared.rules.plan_steps import PlanFacts, PlanStep, problems_with_step

_STEP_RULES = (
    "iep.no_later_steps", "certifier.npi_required", "certifier.credential_required", "certifier.credential_allowed",
    "recertification.duration_required", "late_reason.required", "plan_step.not_before_evaluation",
)  # fmt: skip
# The values each rule reads besides the field it names (see ``encounter_rules.ALSO_READS``).
ALSO_READS: dict[str, tuple[str, ...]] = {
    "mbi.format": ("coverages.*.payer_id",),
    "subscriber.required": ("coverages.*.relationship_to_subscriber",),
    "subscriber.only_for_dependents": ("coverages.*.relationship_to_subscriber",),
    "iep.dates_required": ("is_iep", "iep_end"),
    "dates.ordered": ("iep_start", "start_date"),
    **{rule: ("kind",) for rule in _STEP_RULES},
    "certification.once": ("event_date", "certifier_npi", "certifier_credential", "duration_days"),
    "verbal_order.on_file": ("kind",),
    "verbal_order.signed_after_order": ("kind",),
    "verbal_order.signed_once": ("kind",),
}


def validate_patient(patient: PatientSubmission, payers: PayerProfiles, today: date) -> list[Violation]:
    found = text_is_plain(patient)
    if patient.birth_date > today:
        found.append(Violation("birth_date", "birth_date.not_future", "the birth date is in the future"))
    if not patient.address.postal_code.isascii():  # the schema's \d admits other scripts' digits
        found.append(Violation("address.postal_code", "postal_code.digits", "a ZIP code is 5 or 9 digits 0-9"))
    for i, coverage in enumerate(patient.coverages, start=1):
        if coverage.payer_id not in payers:
            found.append(Violation(f"coverages.{i}.payer_id", "payer.known", "no payer profile with this id"))
        elif payers.get(coverage.payer_id).kind is PayerKind.MEDICARE and not is_mbi(coverage.member_id):
            found.append(
                Violation(
                    f"coverages.{i}.member_id",
                    "mbi.format",
                    "a Medicare member id must be an MBI (11 characters in the CMS MBI format)",
                )
            )
        if coverage.effective_from and coverage.effective_to and coverage.effective_to < coverage.effective_from:
            message = "a coverage's effective_to is on or after its effective_from"
            found.append(Violation(f"coverages.{i}.effective_to", "coverage.dates_ordered", message))
        if not has_relationship_code_shape(coverage.relationship_to_subscriber):
            found.append(
                Violation(
                    f"coverages.{i}.relationship_to_subscriber",
                    "relationship.code_shape",
                    "an X12 relationship code is two letters or digits (18 = self)",
                )
            )
        else:
            found += subscriber_problems(coverage, f"coverages.{i}", today)
    return found


def validate_plan(plan: PlanOfCareSubmission, today: date) -> list[Violation]:
    found = text_is_plain(plan)
    if plan.evaluation_date > today:
        found.append(Violation("evaluation_date", "date.not_future", "the evaluation date is in the future"))
    if plan.is_iep and (plan.iep_start is None or plan.iep_end is None):
        found.append(Violation("iep_start", "iep.dates_required", "an IEP needs its start and end dates"))
    if plan.iep_start and plan.iep_end and plan.iep_end < plan.iep_start:
        found.append(Violation("iep_end", "dates.ordered", "the IEP ends before it starts"))
    return found


def step_of(event: PlanEventSubmission) -> PlanStep:
    return PlanStep(
        event.kind, event.event_date, event.certifier_npi, event.certifier_credential, event.duration_days, event.reason
    )


def validate_plan_event(
    event: PlanEventSubmission, today: date, plan: PlanFacts, on_file: CertificationOnFile | None = None
) -> list[Violation]:
    """The step's own rules, and the shared rules poc applies when it takes the step: the plan-step rules, and
    the certification rules against ``on_file``, the certification the door accepted for the plan."""
    found = text_is_plain(event)
    step = step_of(event)
    problems = problems_with_step(step, plan)
    if not plan.is_iep:
        problems += certification_problems(step, on_file)
    found += [Violation(p.field, p.rule, p.message) for p in problems]
    if event.event_date > today:
        found.append(Violation("event_date", "date.not_future", "the event date is in the future"))
    if event.certifier_npi is not None and not npi_check_digit_is_valid(event.certifier_npi):
        found.append(Violation("certifier_npi", "npi.check_digit", "the certifier NPI's check digit is wrong"))
    return found


def validate_authorization(auth: AuthorizationSubmission, payers: PayerProfiles) -> list[Violation]:
    found = text_is_plain(auth)
    if auth.payer_id not in payers:
        found.append(Violation("payer_id", "payer.known", "no payer profile with this id"))
    if auth.end_date < auth.start_date:
        found.append(Violation("end_date", "dates.ordered", "the authorization ends before it starts"))
    return found
