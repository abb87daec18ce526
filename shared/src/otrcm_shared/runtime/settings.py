"""Settings shared by every service, read from ``OTRCM_``-prefixed environment variables."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class KafkaSecurityProtocol(StrEnum):
    PLAINTEXT = "PLAINTEXT"
    SSL = "SSL"
    SASL_PLAINTEXT = "SASL_PLAINTEXT"
    SASL_SSL = "SASL_SSL"


class RuntimeSettings(BaseSettings):
    """Connection and runtime options; each service subclasses it for its own settings."""

    model_config = SettingsConfigDict(env_prefix="OTRCM_", extra="ignore", frozen=True)

    kafka_bootstrap: str = Field(default="127.0.0.1:9092", description="Comma-separated host:port list.")
    kafka_security_protocol: KafkaSecurityProtocol = KafkaSecurityProtocol.PLAINTEXT
    kafka_sasl_mechanism: str = Field(default="PLAIN", description="PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512.")
    kafka_sasl_username: str | None = None
    kafka_sasl_password: SecretStr | None = None
    kafka_ssl_cafile: Path | None = None
    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy async URL; unset means the embedded SQLite file var/<service>.db.",
    )
    var_dir: Path = Field(default=Path("var"), description="Where embedded databases and files live.")
    database_schema_suffix: str = Field(
        default="",
        pattern=r"^[a-z0-9_]*$",
        description="Appended to every service's schema name ('intake' -> 'intake_<suffix>'): a run of its own "
        "on a shared PostgreSQL database (tests that need their own claims batch use one).",
    )
    relay_batch_size: int = Field(default=500, ge=1)
    consumer_batch_size: int = Field(default=200, ge=1, description="Most records applied in one transaction.")
    consumer_batch_timeout_ms: int = Field(default=500, ge=1, description="Longest wait for a poll to fill.")
    consumer_fetch_max_wait_ms: int = Field(
        default=100, ge=1, description="How long the broker may hold a fetch open while it has too little to send."
    )
    consumer_fetch_min_bytes: int = Field(
        default=32768,
        ge=1,
        description="How much a fetch waits for (up to consumer_fetch_max_wait_ms): more makes fuller polls under a "
        "steady trickle, each poll costing one transaction and one offset commit, at the price of that wait.",
    )
    consumer_idle_fetch_wait_ms: int = Field(
        default=1000,
        ge=1,
        description="How long the broker may hold a fetch open once a poll found nothing: an idle subscriber asks "
        "this often, and the first record to arrive is answered at once (docs/adr/021).",
    )
    cpu_niceness: int = Field(
        default=0,
        ge=0,
        le=19,
        description="The niceness a service's process takes when it starts (0 leaves it): a service off the "
        "claim path (status, claims) yields the CPU to units, poc and modifiers on a busy machine (docs/adr/022).",
    )
    relay_idle_interval_s: float = Field(default=1.0, gt=0)
    trace_sample_ratio: float = Field(
        default=0.01,
        ge=0.0,
        le=1.0,
        description="Share of traces kept, decided once where a trace starts (an intake request, an event "
        "without trace context) and followed by every service downstream; 1.0 keeps every trace.",
    )
    reference_data_topic: str = Field(
        default="otrcm.reference-data.v1",
        description="The compacted topic of imported reference data every service follows (docs/adr/009).",
    )

    ops_host: str = Field(
        default="127.0.0.1", description="Where the operations endpoints (/health, /ready, /metrics) listen."
    )
    ops_port: int | None = Field(
        default=None,
        ge=0,
        le=65535,
        description="The operations port; unset: the service's own default (intake 9461, units 9462, poc 9463, "
        "modifiers 9464, claims 9465, status 9466), or one the system picks when that one is taken.",
    )

    business_date: date | None = Field(
        default=None,
        description="The date every decision treats as today (validation, the gate, alerts, the claims cut-off); "
        "unset: the real date. Timestamps that only record when something happened keep the clock.",
    )

    def today(self) -> date:
        """The business date: the one source of "today" for decisions, injected from the composition root."""
        return self.business_date or date.today()

    def ops_port_for(self, service: str) -> tuple[int, bool]:
        """The operations port of ``service`` and whether it is the default (not set by the operator)."""
        if self.ops_port is not None:
            return self.ops_port, False
        from otrcm_shared.runtime.ops_http import DEFAULT_OPS_PORTS, FALLBACK_OPS_PORT

        return DEFAULT_OPS_PORTS.get(service, FALLBACK_OPS_PORT), True

    def schema_for(self, service: str) -> str:
        """The service's PostgreSQL schema (SQLite ignores schemas)."""
        return f"{service}_{self.database_schema_suffix}" if self.database_schema_suffix else service

    def database_url_for(self, service: str) -> str:
        """The configured URL, or the embedded SQLite file of ``service``."""
        if self.database_url:
            return self.database_url
        return f"sqlite+aiosqlite:///{self.var_dir / f'{service}.db'}"


class OffPathSettings(RuntimeSettings):
    """The defaults of a service off the claim path (status, claims), whose work can wait a little (docs/adr/022):
    it yields the CPU to the path, and its fetches wait for larger batches (fewer transactions and commits)."""

    cpu_niceness: int = Field(default=10, ge=0, le=19)
    consumer_fetch_max_wait_ms: int = Field(default=500, ge=1)
    consumer_fetch_min_bytes: int = Field(default=262144, ge=1)
