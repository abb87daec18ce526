"""Billing days as the units service publishes them, built with the units service's own code."""

from __future__ import annotations

from datetime import date

from otrcm_shared.events import Envelope
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
