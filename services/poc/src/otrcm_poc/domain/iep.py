"""An IEP (individualized education program) serving as the plan of care for school-based therapy.

The IEP carries its own start and end dates (both included) and frequency; a service on a date outside
them is not under it. Source: docs/billing-rules.md#9-missouri-payers (the IEP serves as the plan of care: diagnosis,
goals, type, frequency, duration); MO HealthNet school-based (IEP) direct services.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from otrcm_poc.domain.day_counting import DateRange
from otrcm_poc.domain.errors import InvalidIep


@dataclass(frozen=True, slots=True)
class IepPlan:
    """An IEP in effect from ``starts_on`` to ``ends_on``; ``frequency`` as written (e.g. "2x30 min/week")."""

    plan_id: str
    patient_key: str
    starts_on: date
    ends_on: date
    frequency: str | None = None

    def __post_init__(self) -> None:
        if self.ends_on < self.starts_on:
            raise InvalidIep(self.plan_id, f"ends on {self.ends_on}, before it starts on {self.starts_on}")

    @property
    def in_effect(self) -> DateRange:
        return DateRange(self.starts_on, self.ends_on)
