"""Intake's settings: the runtime's (the business date included), plus where the HTTP API listens."""

from __future__ import annotations

from pydantic import Field

from otrcm_shared.runtime.settings import RuntimeSettings


class IntakeSettings(RuntimeSettings):
    http_host: str = Field(default="127.0.0.1")
    http_port: int = Field(default=8080, ge=1, le=65535)
    status_url: str = Field(
        default="http://127.0.0.1:8086",
        description="The status service's internal read API (loopback), asked for every status the door shows.",
    )
