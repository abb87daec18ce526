"""Samples for the read models' unit tests: one patient's billing days (built with the units service's own code),
the gate's verdicts on them, and plan-of-care steps."""

from __future__ import annotations

from datetime import date
from functools import reduce
from typing import Any

from otrcm_shared.events.day_verdict import DayJudged, Verdict
from otrcm_shared.events.gate import HoldReason
from otrcm_shared.events.plans import PlanEventKind, PlanOfCareRecorded
from otrcm_shared.events.units import UnitsCalculated
from otrcm_status.domain.plan_record import Plan, StepFact, fold, with_step
from tests.support.days import units_day

PATIENT = "pk-read"


def day(encounter_id: str, on: date, payer_id: str = "mo-healthnet-ffs", minutes: int = 38) -> UnitsCalculated:
    """One encounter's billing day (97530 for ``minutes``: 38 minutes bill 3 units)."""
    built = units_day(encounter_id, tenant_id="t1", patient_key=PATIENT, on=on, payer_id=payer_id,
                      lines=(("97530", minutes),))  # fmt: skip
    return built.payload


def judged(units: UnitsCalculated, revision: int, *reasons: tuple[str, str]) -> DayJudged:
    """Verdict ``revision`` on the day: cleared without reasons, else held with (code, message) reasons."""
    held = tuple(HoldReason(code=code, message=message) for code, message in reasons)
    return DayJudged(
        day_key=units.day_key, revision=revision, verdict=Verdict.HELD if held else Verdict.CLEARED,
        patient_key=units.patient_key, encounter_ids=tuple(e.encounter_id for e in units.encounters),
        units_revision=units.revision, day=units, reasons=held,
    )  # fmt: skip


EVALUATION = date(2026, 3, 2)
MD = {"certifier_npi": "1234567893", "certifier_credential": "MD"}


def step(kind: PlanEventKind, on: date, plan_id: str = "plan-1", **fields: Any) -> StepFact:
    recorded = PlanOfCareRecorded(plan_id=plan_id, patient_key=PATIENT, kind=kind, event_date=on, **fields)
    return StepFact.of(f"{plan_id}/{kind.value}/{on}", recorded)


def created(plan_id: str = "plan-1", on: date = EVALUATION, duration_days: int = 120) -> StepFact:
    return step(PlanEventKind.CREATED, on, plan_id, evaluation_date=on, duration_days=duration_days)


def plan_of(*steps: StepFact, plan_id: str = "plan-1") -> Plan:
    kept = reduce(lambda known, s: with_step(known, s) or known, steps, ())
    folded = fold(plan_id, PATIENT, kept)
    assert folded is not None
    return folded
