"""The plan-of-care gate's verdicts on one billing day as one stream: cleared or held, in order, keyed by
the patient. Replaced ``otrcm.encounters.cleared.v1`` and ``otrcm.encounters.held.v1`` (docs/adr/010):
with two topics a release's ``cleared`` could be read before the ``held`` it replaced.

The gate judges a whole billing day (same-day visits are one day, with one claim). A held day is released
by the event that fixes it (a plan signed, a report filed, an authorization added) and judged again, cleared.
"""

from __future__ import annotations

from enum import StrEnum
from typing import ClassVar

from pydantic import Field, model_validator

from otrcm_shared.events.envelope import EventPayload
from otrcm_shared.events.gate import HoldReason
from otrcm_shared.events.revision import Revision
from otrcm_shared.events.units import UnitsCalculated


class Verdict(StrEnum):
    CLEARED = "cleared"
    HELD = "held"


class DayJudged(EventPayload):
    """The gate's verdict number ``revision`` on the day: cleared (with the units it judged) or held (why)."""

    EVENT_TYPE: ClassVar[str] = "billing-day.judged"
    SCHEMA_VERSION: ClassVar[int] = 2

    day_key: str
    revision: Revision
    verdict: Verdict
    patient_key: str
    encounter_ids: tuple[str, ...]
    units_revision: Revision
    day: UnitsCalculated = Field(description="The day's newest units as the gate judged them.")
    plan_id: str | None = Field(default=None, description="The plan of care (or IEP) that covers the day.")
    certifier_npi: str | None = Field(default=None, description="Referring provider on the claim (2310A).")
    released: bool = Field(default=False, description="Cleared after an earlier hold was lifted.")
    reasons: tuple[HoldReason, ...] = Field(default=(), description="Why it is held (empty when cleared).")

    @model_validator(mode="after")
    def _held_days_say_why(self) -> DayJudged:
        if (self.verdict is Verdict.HELD) != bool(self.reasons):
            raise ValueError("a held day names its reasons, and a cleared day has none")
        return self
