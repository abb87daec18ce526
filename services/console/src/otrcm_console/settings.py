"""The console's settings (``OTRCM_``-prefixed environment variables, as every service's)."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from otrcm_shared.runtime.settings import RuntimeSettings


class ConsoleSettings(RuntimeSettings):
    model_config = SettingsConfigDict(env_prefix="OTRCM_", extra="ignore", frozen=True)

    console_host: str = Field(default="127.0.0.1", description="Where the console listens.")
    console_port: int = Field(default=8090, ge=1, le=65535)
    console_api_url: str = Field(default="http://127.0.0.1:8080", description="The intake API the console asks.")
    console_idle_minutes: int = Field(default=15, ge=1, le=720, description="Signed out after this much inactivity.")
    console_secure_cookies: bool = Field(
        default=False,
        description="Always mark cookies Secure (else only when the request came over TLS, X-Forwarded-Proto too).",
    )
    console_trace_url: str | None = Field(
        default=None,
        description="The tracing UI link for a trace id, with {trace_id} in it.",
    )
