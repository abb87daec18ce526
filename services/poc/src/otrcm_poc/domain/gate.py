"""The gate: may this encounter be billed now, or is it held, and why?

One pure function of the payer's requirements, the encounter's facts and the records on file (plan or
IEP, authorizations, referral). It lists every reason at once, so one fix does not reveal the next.

The initial evaluation is billed without a certified plan when the payer's
``evaluation_exempt_from_plan`` is set (the default, Medicare's rule): the plan of care is established
*from* the evaluation, so the evaluation cannot be under it yet. Sources: Pub. 100-02 Ch. 15 §220.1.3 B
(the initial treatment includes the evaluation that resulted in the plan; the first certification
interval therefore starts on, and its later certification covers, the evaluation day) and §220.3 (when
the evaluation is the only service, the physician/NPP's referral/order certifies that it was needed).
Interpretation: ``is_evaluation`` marks only the initial evaluation that produces the plan; a
re-evaluation (97168) is a treatment day under the plan and is checked like any other. Authorization and
referral requirements still apply to the evaluation, and the evaluation day starts the first progress
report period (it is never overdue).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from otrcm_poc.domain.authorization import Authorization
from otrcm_poc.domain.authorization_checks import check_authorizations
from otrcm_poc.domain.iep import IepPlan
from otrcm_poc.domain.payer_requirements import PayerRequirements, PlanSource
from otrcm_poc.domain.plan import PlanOfCare
from otrcm_poc.domain.plan_checks import iep_hold_reasons, plan_of_care_hold_reasons, progress_report_hold_reasons
from otrcm_poc.domain.policy import PolicyDates
from otrcm_poc.domain.reasons import HoldReason, ReasonCode, in_reason_order
from otrcm_shared.rules.plan_periods import plan_for_date_of_service as shared_plan_for_date_of_service


@dataclass(frozen=True, slots=True)
class EncounterFacts:
    """What the gate needs to know of an encounter (billing facts only, no PHI).

    ``units`` is the encounter's billed units (timed and untimed); a visit authorization counts the
    encounter as one visit whatever its units.
    """

    encounter_id: str
    date_of_service: date
    is_evaluation: bool = False
    units: int = 1


@dataclass(frozen=True, slots=True)
class BillingRecords:
    """What is on file for the patient and payer when the gate runs.

    ``plan`` is the plan of care for the encounter's discipline and episode (see
    :func:`plan_for_date_of_service`); ``authorizations`` are the payer's authorizations for the patient.
    """

    plan: PlanOfCare | None = None
    iep: IepPlan | None = None
    authorizations: tuple[Authorization, ...] = ()
    referral_on_file: bool = False


@dataclass(frozen=True, slots=True)
class GateDecision:
    """Cleared (no reasons) or held (one or more reasons, in :data:`REASON_ORDER`).

    ``authorization_id`` names the authorization the encounter is counted on once cleared (``None``
    when the payer needs none); ``authorization_already_counted`` is True on a recount.
    """

    encounter_id: str
    date_of_service: date
    reasons: tuple[HoldReason, ...]
    authorization_id: str | None = None
    authorization_already_counted: bool = False

    @property
    def cleared(self) -> bool:
        return not self.reasons

    @property
    def held(self) -> bool:
        return bool(self.reasons)

    @property
    def reason_codes(self) -> tuple[ReasonCode, ...]:
        return tuple(reason.code for reason in self.reasons)


def gate_encounter(
    requirements: PayerRequirements,
    encounter: EncounterFacts,
    records: BillingRecords,
    *,
    policy: PolicyDates,
    decided_on: date,
) -> GateDecision:
    """Clear or hold one encounter. ``decided_on`` is "today" (only a pending verbal order's 14-day
    window depends on it); ``policy`` holds the rule dates (the 2025 written-order exception)."""
    day = encounter.date_of_service
    reasons: list[HoldReason] = []
    exempt = encounter.is_evaluation and requirements.evaluation_exempt_from_plan
    if requirements.plan_source is PlanSource.IEP:
        if not exempt:
            reasons += iep_hold_reasons(records.iep, day)
    else:
        if requirements.requires_certified_plan and not exempt:
            reasons += plan_of_care_hold_reasons(records.plan, day, policy=policy, decided_on=decided_on)
        if requirements.progress_reports_required and not encounter.is_evaluation:
            if records.plan is None and not requirements.requires_certified_plan:
                reasons.append(HoldReason(ReasonCode.POC_MISSING, f"no plan of care to count treatment days for {day}"))
            reasons += progress_report_hold_reasons(records.plan, day)
    if requirements.requires_referral and not records.referral_on_file:
        reasons.append(HoldReason(ReasonCode.REFERRAL_MISSING, f"no physician/NPP referral on file for {day}"))
    authorization_id: str | None = None
    already_counted = False
    if requirements.requires_authorization:
        check = check_authorizations(records.authorizations, encounter.encounter_id, day, encounter.units)
        reasons += check.reasons
        authorization_id, already_counted = check.authorization_id, check.already_counted
    return GateDecision(encounter.encounter_id, day, in_reason_order(reasons), authorization_id, already_counted)


def plan_for_date_of_service(plans: Sequence[PlanOfCare], day: date) -> PlanOfCare | None:
    """The plan a date of service falls under: the latest-evaluated plan evaluated on or before ``day``
    (an episode's plan replaces the previous one). ``None`` when every plan starts after ``day``.
    The rule is shared with the status service's plan read model (``otrcm_shared.rules.plan_periods``)."""
    return shared_plan_for_date_of_service(plans, day)
