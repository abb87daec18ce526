"""Wiring of the intake service: its runtime, tables and subscribers (the composition root)."""

from __future__ import annotations

from faststream import FastStream
from opentelemetry.sdk.trace import TracerProvider
from sqlalchemy import MetaData

from otrcm_shared.runtime.service import ServiceRuntime
from otrcm_shared.runtime.settings import RuntimeSettings

NAME = "intake"
DESCRIPTION = (
    "The front door: validates encounters, plans of care, authorizations and patients, stores them, and publishes them."
)


def build_runtime(
    settings: RuntimeSettings | None = None, tracer_provider: TracerProvider | None = None
) -> ServiceRuntime:
    """The service's runtime with its subscribers registered (none yet: the skeleton)."""
    return ServiceRuntime(NAME, settings or RuntimeSettings(), MetaData(), tracer_provider=tracer_provider)


def build_app() -> FastStream:
    return build_runtime().app(DESCRIPTION)
