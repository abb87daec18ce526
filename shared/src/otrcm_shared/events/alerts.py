"""Alerts for billers: something needs action before it costs money (raised once per condition)."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from otrcm_shared.events.envelope import EventPayload


class AlertRaised(EventPayload):
    EVENT_TYPE: ClassVar[str] = "alert.raised"

    condition_id: str
    kind: str
    patient_key: str
    subject_id: str
    due_on: date | None = None
    message: str
