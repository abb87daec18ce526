"""Rules on a submitted plan-of-care step that need no more than the plan's creation facts.

Intake checks them at the door (422 naming field and rule); poc applies the same functions when it
takes the step, so a step the door accepted is never refused later for one of these reasons.

Sources: CMS Pub. 100-02 Ch. 15 §220.1.3 (who may certify: physicians and the NPPs of 42 CFR
424.24(c) and §1835(a)(2) of the Act; podiatrists within their scope; optometrists for low vision
only; never chiropractors), §220.1.2-220.1.3 (certification and recertification dated on or after
the evaluation that starts the plan); docs/billing-rules.md#5-plan-of-care.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from otrcm_shared.events.plans import PlanEventKind

ALLOWED_CREDENTIALS = frozenset({"MD", "DO", "DPM", "OD", "PA", "NP", "CNS"})
NEVER_CERTIFY: dict[str, str] = {
    "DC": "chiropractors may not certify or recertify therapy plans of care (Pub. 100-02 Ch. 15 §220.1.3)",
    "DDS": "dentists are not among the physicians and NPPs who certify therapy plans of care (42 CFR 424.24(c))",
    "DMD": "dentists are not among the physicians and NPPs who certify therapy plans of care (42 CFR 424.24(c))",
}
OPTOMETRIST_RULE = "optometrists may certify only low-vision services (Pub. 100-02 Ch. 15 §220.1.3)"
ALLOWED_RULE = (
    "only MD, DO, DPM, OD (low vision), PA, NP or CNS may certify (Pub. 100-02 Ch. 15 §220.1.3; 42 CFR 424.24(c))"
)
CERTIFYING_KINDS = frozenset({PlanEventKind.CERTIFIED, PlanEventKind.VERBAL_ORDER, PlanEventKind.RECERTIFIED})


@dataclass(frozen=True, slots=True)
class StepProblem:
    """A broken rule: the field at fault, a stable rule id and a sentence without PHI."""

    field: str
    rule: str
    message: str


@dataclass(frozen=True, slots=True)
class PlanFacts:
    """What a plan's creation fixed and later steps are checked against."""

    evaluation_date: date
    low_vision: bool = False
    is_iep: bool = False


@dataclass(frozen=True, slots=True)
class PlanStep:
    kind: PlanEventKind
    event_date: date
    certifier_npi: str | None = None
    certifier_credential: str | None = None
    duration_days: int | None = None
    reason: str | None = None


def normalized_credential(credential: str) -> str:
    """``"m.d."`` -> ``"MD"``: upper case, without dots or spaces."""
    return credential.replace(".", "").replace(" ", "").upper()


def credential_may_certify(credential: str, *, low_vision: bool) -> str | None:
    """None when the credential may certify an OT plan (an optometrist only a low-vision one); otherwise why not.

    A podiatrist (DPM) is accepted: the limit to the podiatric scope of practice is state law, not checkable here.
    """
    code = normalized_credential(credential)
    if code in NEVER_CERTIFY:
        return NEVER_CERTIFY[code]
    if code not in ALLOWED_CREDENTIALS:
        return ALLOWED_RULE
    if code == "OD" and not low_vision:
        return OPTOMETRIST_RULE
    return None


def problems_with_step(step: PlanStep, plan: PlanFacts) -> list[StepProblem]:
    """Every rule the step breaks, given the plan's creation facts (empty when it may be applied)."""
    if plan.is_iep:
        message = "an IEP is the plan of care at a school: it takes no certification or later steps"
        return [StepProblem("kind", "iep.no_later_steps", message)]
    found: list[StepProblem] = []
    if step.kind in CERTIFYING_KINDS:
        found += _certifier_is_given_and_allowed(step, plan)
    if step.kind is PlanEventKind.RECERTIFIED and step.duration_days is None:
        found.append(StepProblem("duration_days", "recertification.duration_required", "give the recertified days"))
    if step.kind is PlanEventKind.LATE_REASON_RECORDED and not (step.reason or "").strip():
        found.append(StepProblem("reason", "late_reason.required", "give the documented reason for the delay"))
    if step.kind is not PlanEventKind.LATE_REASON_RECORDED and step.event_date < plan.evaluation_date:
        message = "the step is dated before the evaluation that started the plan"
        found.append(StepProblem("event_date", "plan_step.not_before_evaluation", message))
    return found


def _certifier_is_given_and_allowed(step: PlanStep, plan: PlanFacts) -> list[StepProblem]:
    found: list[StepProblem] = []
    if step.certifier_npi is None:
        found.append(
            StepProblem("certifier_npi", "certifier.npi_required", "a certification names the certifier's NPI")
        )
    if step.certifier_credential is None:
        message = "a certification names the certifier's credential (MD, DO, DPM, OD, PA, NP, CNS)"
        found.append(StepProblem("certifier_credential", "certifier.credential_required", message))
    else:
        why_not = credential_may_certify(step.certifier_credential, low_vision=plan.low_vision)
        if why_not is not None:
            found.append(StepProblem("certifier_credential", "certifier.credential_allowed", why_not))
    return found
