"""Alerts for billers: something needs action before it costs money (raised once per condition)."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from pydantic import Field

from otrcm_shared.events.envelope import EventPayload


class AlertRaised(EventPayload):
    """``patient_key`` is None for a tenant-wide alert (e.g. REFERENCE_DATA_PROVISIONAL: a dataset has no
    version for a year and an earlier one is carried forward; ``dataset`` and ``year`` name it)."""

    EVENT_TYPE: ClassVar[str] = "alert.raised"

    condition_id: str
    kind: str
    patient_key: str | None = None
    subject_id: str
    due_on: date | None = None
    message: str
    dataset: str | None = Field(default=None, description="The reference dataset the alert is about.")
    year: int | None = Field(default=None, description="The calendar year the dataset has no version for.")
