"""Wiring of the poc service: its tables and its three subscribers."""

from __future__ import annotations

from faststream import FastStream
from opentelemetry.sdk.trace import TracerProvider

from otrcm_poc.handlers import on_authorization_recorded, on_plan_recorded, on_units_calculated
from otrcm_poc.store import metadata
from otrcm_shared.runtime.service import ServiceRuntime
from otrcm_shared.runtime.settings import RuntimeSettings
from otrcm_shared.topics import AUTHORIZATIONS, ENCOUNTERS_UNITS_CALCULATED, PLANS_OF_CARE

NAME = "poc"
DESCRIPTION = (
    "Plans of care and authorizations: holds encounters that are not billable and releases them when they are."
)


def build_runtime(
    settings: RuntimeSettings | None = None, tracer_provider: TracerProvider | None = None
) -> ServiceRuntime:
    runtime = ServiceRuntime(NAME, settings or RuntimeSettings(), metadata, tracer_provider=tracer_provider)
    runtime.subscribe(ENCOUNTERS_UNITS_CALCULATED, on_units_calculated)
    runtime.subscribe(PLANS_OF_CARE, on_plan_recorded, consumer="poc_plans")
    runtime.subscribe(AUTHORIZATIONS, on_authorization_recorded, consumer="poc_authorizations")
    return runtime


def build_app() -> FastStream:
    return build_runtime().app(DESCRIPTION)
