"""Units of one billing day: every encounter of the patient's day with units on each line.

Same-day visits are one billing day, so a later encounter recomputes the day and publishes a new
``revision``; downstream stages apply the newest revision of a day and ignore older ones.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import ClassVar

from pydantic import Field

from otrcm_shared.events.base import StrictModel
from otrcm_shared.events.encounters import Discipline, EncounterReceived
from otrcm_shared.events.envelope import EventPayload


class UnitMethodName(StrEnum):
    CMS = "cms"
    AMA = "ama"


class LineUnitsResult(StrictModel):
    """Units of one service line; a 97129/97130 line may appear twice, once per billed code."""

    encounter_id: str
    line_number: int = Field(ge=1)
    code: str = Field(description="The code as documented.")
    billed_code: str = Field(description="The code the units bill under (differs only in a code family).")
    minutes: int = Field(ge=0)
    units: int = Field(ge=0)


class ClinicianChoice(StrictModel):
    """A tie the clinician may resolve differently (equal leftover minutes, fewer units than codes)."""

    tied_codes: tuple[str, ...]
    leftover_minutes: int
    units_available: int
    chosen_codes: tuple[str, ...]


class TraceEntry(StrictModel):
    """One step from minutes to units, named by the rule that took it."""

    step: str
    detail: dict[str, object]


class UnitsCalculated(EventPayload):
    """The day's units by the payer's method, with the trace and a plain-English explanation."""

    EVENT_TYPE: ClassVar[str] = "encounter.units-calculated"

    day_key: str = Field(description="patient key / date / discipline / payer: the billing day.")
    patient_key: str
    payer_id: str
    date_of_service: date
    discipline: Discipline
    revision: int = Field(ge=1, description="1 for the day's first encounter, +1 for each later one.")
    triggered_by: str = Field(description="The encounter whose arrival produced this revision.")
    method: UnitMethodName
    catalog_version: str
    total_timed_minutes: int = Field(ge=0)
    total_units: int = Field(ge=0)
    encounters: tuple[EncounterReceived, ...] = Field(min_length=1)
    lines: tuple[LineUnitsResult, ...]
    choices: tuple[ClinicianChoice, ...] = ()
    trace: tuple[TraceEntry, ...] = ()
    explanation: str
