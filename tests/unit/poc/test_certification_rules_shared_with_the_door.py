"""The certification rules the door applies (``otrcm_shared.rules.certification_steps``) are the rules poc's
plan fold refuses a step with, under the same rule id: for each sequence of steps, the door's verdict on the
last step (given the certification it kept from the earlier ones) equals poc's."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from otrcm_poc.domain import PlanOfCare, apply_plan_event, start_plan
from otrcm_poc.domain.errors import InvalidPlanEvent
from otrcm_poc.domain.plan_events import PlanCreated, PlanSigned, VerbalOrderReceived, VerbalOrderSigned
from otrcm_shared.events.plans import PlanEventKind
from otrcm_shared.rules.certification_steps import CertificationOnFile, certification_after, certification_problems
from otrcm_shared.rules.plan_steps import PlanStep

pytestmark = pytest.mark.unit

EVALUATION = date(2026, 3, 2)
MD, OTHER_MD = "1234567893", "1245319599"
Step = tuple[str, int, str]  # kind, days after the evaluation, certifier NPI


def _poc_event(step: Step) -> object:
    kind, days, npi = step
    on = EVALUATION + timedelta(days=days)
    if kind == "certified":
        return PlanSigned("P-1", on, npi, "MD", None)
    if kind == "verbal_order":
        return VerbalOrderReceived("P-1", on, npi, "MD", None)
    return VerbalOrderSigned("P-1", on)


def _door_step(step: Step) -> PlanStep:
    kind, days, npi = step
    on = EVALUATION + timedelta(days=days)
    certifier = (npi, "MD") if kind != "signed" else (None, None)
    return PlanStep(PlanEventKind(kind), on, *certifier)


@pytest.mark.parametrize(
    ("steps", "rule"),
    [
        ([("certified", 2, MD)], None),
        ([("certified", 2, MD), ("certified", 2, MD)], None),
        ([("certified", 2, MD), ("certified", 3, MD)], "certification.once"),
        ([("certified", 2, MD), ("certified", 2, OTHER_MD)], "certification.once"),
        ([("certified", 2, MD), ("verbal_order", 3, MD)], "certification.once"),
        ([("verbal_order", 2, MD), ("verbal_order", 2, MD)], None),
        ([("verbal_order", 2, MD), ("verbal_order", 3, MD)], "certification.once"),
        ([("signed", 3, MD)], "verbal_order.on_file"),
        ([("certified", 2, MD), ("signed", 3, MD)], "verbal_order.on_file"),
        ([("verbal_order", 3, MD), ("signed", 2, MD)], "verbal_order.signed_after_order"),
        ([("verbal_order", 3, MD), ("certified", 2, MD)], "verbal_order.signed_after_order"),
        ([("verbal_order", 3, MD), ("signed", 4, MD), ("signed", 4, MD)], None),
        ([("verbal_order", 3, MD), ("signed", 4, MD), ("signed", 5, MD)], "verbal_order.signed_once"),
        ([("verbal_order", 3, MD), ("certified", 5, OTHER_MD)], None),  # a certified step signs the order
        ([("verbal_order", 3, MD), ("signed", 4, MD), ("certified", 4, MD)], None),
    ],
)
def test_the_door_and_poc_refuse_the_same_steps_with_the_same_rule(steps: list[Step], rule: str | None) -> None:
    *earlier, last = steps
    plan: PlanOfCare = start_plan(PlanCreated("P-1", "pk-1", EVALUATION, duration_days=60))
    on_file: CertificationOnFile | None = None
    for step in earlier:
        plan = apply_plan_event(plan, _poc_event(step))  # type: ignore[arg-type]
        assert certification_problems(_door_step(step), on_file) == []
        on_file = certification_after(_door_step(step), on_file)

    door = [problem.rule for problem in certification_problems(_door_step(last), on_file)]
    try:
        apply_plan_event(plan, _poc_event(last))  # type: ignore[arg-type]
        poc = []
    except InvalidPlanEvent as refused:
        poc = [refused.rule.value]
    assert door == poc == ([rule] if rule else [])
