"""Billing days as the units service publishes them, built with the units service's own code, and the
gate's verdicts on them as poc publishes them (``DayJudged`` on ``otrcm.billing-days.judged.v2``)."""

from __future__ import annotations

from datetime import date

from otrcm_shared.events import Envelope
from otrcm_shared.events.day_verdict import DayJudged, Verdict
from otrcm_shared.events.gate import HoldReason
from otrcm_shared.events.units import UnitsCalculated
from otrcm_shared.refdata import CodeCatalog
from otrcm_units.domain import UnitMethod
from otrcm_units.usecases.translate import units_calculated
from tests.support.factories import encounter_received


def units_day(
    encounter_id: str,
    *,
    tenant_id: str,
    patient_key: str,
    on: date,
    payer_id: str = "medicare-wps-j5",
    lines: tuple[tuple[str, int], ...] = (("97530", 30),),
) -> Envelope[UnitsCalculated]:
    received = encounter_received(encounter_id, tenant_id=tenant_id, patient_key=patient_key, on=on, lines=lines)
    encounter = received.payload.model_copy(update={"payer_id": payer_id})
    day = units_calculated([encounter], UnitMethod.CMS, CodeCatalog.builtin(on), revision=1, trigger=encounter)
    return received.follow(day, stage="units", subject=day.day_key)


def judged_day(
    units: Envelope[UnitsCalculated],
    revision: int = 1,
    *,
    held: tuple[str, ...] = (),
    certifier_npi: str | None = None,
    released: bool = False,
) -> Envelope[DayJudged]:
    """The gate's verdict number ``revision`` on the day: cleared, or held with the ``held`` reason codes."""
    day = units.payload
    payload = DayJudged(
        day_key=day.day_key,
        revision=revision,
        verdict=Verdict.HELD if held else Verdict.CLEARED,
        patient_key=day.patient_key,
        encounter_ids=tuple(e.encounter_id for e in day.encounters),
        units_revision=day.revision,
        day=day,
        certifier_npi=None if held else certifier_npi,
        released=released and not held,
        reasons=tuple(HoldReason(code=code, message=f"held: {code}") for code in held),
    )
    return units.follow(payload, stage=f"poc.judged/{revision}", subject=day.day_key)
