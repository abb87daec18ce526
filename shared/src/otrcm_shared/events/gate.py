"""Why the plan-of-care gate holds a billing day: the reasons a held ``DayJudged`` carries
(``otrcm_shared.events.day_verdict``). The ``.v1`` cleared and held events are retired (docs/adr/010)."""

from __future__ import annotations

from pydantic import Field

from otrcm_shared.events.base import StrictModel


class HoldReason(StrictModel):
    """Why a day cannot be billed yet: a stable code and a message without PHI."""

    code: str = Field(description="e.g. POC_MISSING, POC_EXPIRED, AUTH_EXHAUSTED, PROGRESS_REPORT_OVERDUE.")
    message: str
    encounter_id: str | None = None
