"""Wiring of the poc service: its tables and its three subscribers."""

from __future__ import annotations

from functools import partial

from faststream import FastStream
from opentelemetry.sdk.trace import TracerProvider

from otrcm_poc.adapters.store import metadata
from otrcm_poc.usecases import alerts_scan, handlers
from otrcm_poc.usecases.handlers import on_authorization_recorded, on_plan_recorded, on_units_calculated
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
    settings = settings or RuntimeSettings()
    runtime = ServiceRuntime(NAME, settings, metadata, tracer_provider=tracer_provider)
    today = settings.today  # the business date: every verdict's "today"
    runtime.subscribe(ENCOUNTERS_UNITS_CALCULATED, partial(on_units_calculated, today=today))
    runtime.subscribe(PLANS_OF_CARE, partial(on_plan_recorded, today=today), consumer="poc_plans")
    runtime.subscribe(AUTHORIZATIONS, partial(on_authorization_recorded, today=today), consumer="poc_authorizations")
    runtime.publishes(*alerts_scan.PUBLISHES, *handlers.PUBLISHES)  # each module's own list
    return runtime


def build_app() -> FastStream:
    return build_runtime().app(DESCRIPTION)
