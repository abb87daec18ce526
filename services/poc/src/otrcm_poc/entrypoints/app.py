"""Wiring of the poc service: its tables and its one consumer over three topics."""

from __future__ import annotations

from functools import partial

from faststream import FastStream
from opentelemetry.sdk.trace import TracerProvider

from otrcm_poc.adapters import metrics as poc_metrics
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
    # One consumer over the three topics (docs/adr/013): a day and the plan step that releases it are
    # judged one after the other, never at the same moment; the inboxes keep their earlier names.
    runtime.subscribe_many(
        {
            ENCOUNTERS_UNITS_CALCULATED: partial(on_units_calculated, today=today),
            PLANS_OF_CARE: partial(on_plan_recorded, today=today),
            AUTHORIZATIONS: partial(on_authorization_recorded, today=today),
        },
        inboxes={PLANS_OF_CARE: "poc_plans", AUTHORIZATIONS: "poc_authorizations"},
    )
    runtime.publishes(*alerts_scan.PUBLISHES, *handlers.PUBLISHES)  # each module's own list
    poc_metrics.register(runtime.metrics, runtime.db)  # billing days held by reason (scrape time)
    return runtime


def build_app() -> FastStream:
    return build_runtime().app(DESCRIPTION)
