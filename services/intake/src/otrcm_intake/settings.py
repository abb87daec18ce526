"""Intake's settings: the runtime's, plus where the HTTP API listens."""

from __future__ import annotations

from datetime import date

from pydantic import Field

from otrcm_shared.runtime.settings import RuntimeSettings


class IntakeSettings(RuntimeSettings):
    http_host: str = Field(default="127.0.0.1")
    http_port: int = Field(default=8080, ge=1, le=65535)
    business_date: date | None = Field(
        default=None, description="The date validation treats as today (a batch's business date); unset: today."
    )

    def today(self) -> date:
        return self.business_date or date.today()
