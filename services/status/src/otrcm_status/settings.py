"""The status service's settings: the runtime's, plus where its internal read API listens (loopback)."""

from __future__ import annotations

from pydantic import Field

from otrcm_shared.runtime.settings import OffPathSettings


class StatusSettings(OffPathSettings):
    status_http_host: str = Field(default="127.0.0.1", description="Loopback: only the front door asks it.")
    status_http_port: int = Field(default=8086, ge=1, le=65535)
