"""Wiring of the units service: its tables and its one subscriber (the composition root)."""

from __future__ import annotations

from faststream import FastStream
from opentelemetry.sdk.trace import TracerProvider

from otrcm_shared.runtime.service import ServiceRuntime
from otrcm_shared.runtime.settings import RuntimeSettings
from otrcm_shared.topics import ENCOUNTERS_RECEIVED
from otrcm_units.adapters.store import metadata
from otrcm_units.usecases import handlers
from otrcm_units.usecases.handlers import on_encounter_received

NAME = "units"
DESCRIPTION = "Minutes to billable units by the payer's method (CMS 8-minute rule or AMA per code), explained."


def build_runtime(
    settings: RuntimeSettings | None = None, tracer_provider: TracerProvider | None = None
) -> ServiceRuntime:
    runtime = ServiceRuntime(NAME, settings or RuntimeSettings(), metadata, tracer_provider=tracer_provider)
    runtime.subscribe(ENCOUNTERS_RECEIVED, on_encounter_received)
    runtime.publishes(*handlers.PUBLISHES)  # each module's own list
    return runtime


def build_app() -> FastStream:
    return build_runtime().app(DESCRIPTION)
