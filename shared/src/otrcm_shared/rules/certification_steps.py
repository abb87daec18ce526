"""Rules on a plan's initial certification that depend on the certification already on file.

A plan is certified once: by a signature, or by a verbal order signed later (Pub. 100-02 Ch. 15
§220.1.3 B: a verbal order is followed by the signed, dated plan). A second certification with another
date or certifier needs a recertification instead; a signature of a verbal order needs the order on file,
comes on or after it, and is given once. Intake checks these at the door against the certification it
has accepted for the plan (422 naming field and rule); poc applies the same functions when it takes the
step, so a step the door accepted is never refused later for one of these reasons.
docs/billing-rules.md#5-plan-of-care.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from otrcm_shared.events.plans import PlanEventKind
from otrcm_shared.rules.plan_steps import PlanStep, StepProblem, normalized_credential


@dataclass(frozen=True, slots=True)
class CertificationOnFile:
    """The initial certification as recorded: by a verbal order (``signed_on`` None until its signature) or
    by a signature (``signed_on`` equals ``dated_on``). The credential is normalized (``"M.D."`` -> ``"MD"``)."""

    by_verbal_order: bool
    dated_on: date
    signed_on: date | None
    certifier_npi: str
    certifier_credential: str
    duration_days: int | None = None


def signs_a_verbal_order(step: PlanStep, on_file: CertificationOnFile | None) -> bool:
    """A ``signed`` step, or a ``certified`` one while a verbal order awaits its signature (it signs the order)."""
    awaiting = on_file is not None and on_file.signed_on is None
    return step.kind is PlanEventKind.SIGNED or (step.kind is PlanEventKind.CERTIFIED and awaiting)


def certification_problems(step: PlanStep, on_file: CertificationOnFile | None) -> list[StepProblem]:
    """Every rule a certified, verbal-order or signed step breaks against the certification on file."""
    if signs_a_verbal_order(step, on_file):
        return _signature_problems(step, on_file)
    if on_file is None or step.kind not in (PlanEventKind.CERTIFIED, PlanEventKind.VERBAL_ORDER):
        return []
    same_certifier = (on_file.certifier_npi, on_file.certifier_credential) == _certifier(step)
    if step.kind is PlanEventKind.CERTIFIED:
        repeated = on_file.signed_on == step.event_date and same_certifier
    else:
        repeated = on_file.by_verbal_order and on_file.dated_on == step.event_date and same_certifier
        repeated = repeated and on_file.duration_days == step.duration_days
    if repeated:
        return []
    message = "the plan is already certified; a changed plan or certifier needs a recertification"
    return [StepProblem("kind", "certification.once", message)]


def certification_after(step: PlanStep, on_file: CertificationOnFile | None) -> CertificationOnFile | None:
    """The certification on file once ``step`` (which breaks none of these rules) is applied."""
    if signs_a_verbal_order(step, on_file):
        return None if on_file is None else replace(on_file, signed_on=step.event_date)
    if on_file is None and step.kind in (PlanEventKind.CERTIFIED, PlanEventKind.VERBAL_ORDER):
        verbal = step.kind is PlanEventKind.VERBAL_ORDER
        npi, credential = _certifier(step)
        signed_on = None if verbal else step.event_date
        return CertificationOnFile(verbal, step.event_date, signed_on, npi, credential, step.duration_days)
    return on_file


def _certifier(step: PlanStep) -> tuple[str, str]:
    return step.certifier_npi or "", normalized_credential(step.certifier_credential or "")


def _signature_problems(step: PlanStep, on_file: CertificationOnFile | None) -> list[StepProblem]:
    if on_file is None or not on_file.by_verbal_order:
        message = "a signature of a verbal order needs a verbal order on file (post it as verbal_order first)"
        return [StepProblem("kind", "verbal_order.on_file", message)]
    if step.event_date < on_file.dated_on:
        message = "the signature is dated before the verbal order it signs"
        return [StepProblem("event_date", "verbal_order.signed_after_order", message)]
    if on_file.signed_on is not None and on_file.signed_on != step.event_date:
        message = "the verbal order was already signed on another date"
        return [StepProblem("event_date", "verbal_order.signed_once", message)]
    return []
