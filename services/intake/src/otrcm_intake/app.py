"""Wiring of the intake service: the runtime, the feed subscribers and the HTTP API."""

from __future__ import annotations

from functools import partial

from fastapi import FastAPI
from opentelemetry.sdk.trace import TracerProvider

from otrcm_intake import accept, billing_providers, records, therapy_spend
from otrcm_intake.api import create_api
from otrcm_intake.feeds import on_encounter_submitted
from otrcm_intake.settings import IntakeSettings
from otrcm_intake.status_feeds import (
    on_claim_lines_ready,
    on_claim_outcome,
    on_day_cleared,
    on_day_held,
    on_units_calculated,
)
from otrcm_intake.store import metadata
from otrcm_shared.runtime.service import ServiceRuntime
from otrcm_shared.runtime.settings import RuntimeSettings
from otrcm_shared.topics import (
    CLAIM_LINES_READY,
    CLAIMS_ACCEPTED,
    CLAIMS_DENIED,
    CLAIMS_HELD,
    CLAIMS_PAID,
    CLAIMS_REJECTED,
    CLAIMS_SUBMITTED,
    ENCOUNTERS_CLEARED,
    ENCOUNTERS_HELD,
    ENCOUNTERS_SUBMITTED,
    ENCOUNTERS_UNITS_CALCULATED,
)

NAME = "intake"
DESCRIPTION = (
    "The front door: validates encounters, plans of care, authorizations and patients, stores them, and publishes them."
)


def build_runtime(
    settings: RuntimeSettings | None = None, tracer_provider: TracerProvider | None = None
) -> ServiceRuntime:
    settings = settings or IntakeSettings()
    runtime = ServiceRuntime(NAME, settings, metadata, tracer_provider=tracer_provider)
    runtime.subscribe(ENCOUNTERS_SUBMITTED, partial(on_encounter_submitted, today=settings.today))
    runtime.subscribe(ENCOUNTERS_UNITS_CALCULATED, on_units_calculated, consumer="intake_status")
    runtime.subscribe(ENCOUNTERS_CLEARED, on_day_cleared, consumer="intake_status_cleared")
    runtime.subscribe(ENCOUNTERS_HELD, on_day_held, consumer="intake_status_held")
    runtime.subscribe(CLAIM_LINES_READY, on_claim_lines_ready, consumer="intake_status_ready")
    runtime.subscribe(CLAIMS_HELD, on_claim_outcome, consumer="intake_status_claim_held")
    for topic in (CLAIMS_SUBMITTED, CLAIMS_ACCEPTED, CLAIMS_REJECTED, CLAIMS_PAID, CLAIMS_DENIED):
        runtime.subscribe(topic, on_claim_outcome, consumer=f"intake_status_{topic.name.split('.')[2]}")
    runtime.publishes(
        *accept.PUBLISHES, *billing_providers.PUBLISHES, *records.PUBLISHES, *therapy_spend.PUBLISHES
    )  # each module's own list
    return runtime


def build_api(settings: IntakeSettings | None = None, tracer_provider: TracerProvider | None = None) -> FastAPI:
    settings = settings or IntakeSettings()
    return create_api(build_runtime(settings, tracer_provider), today=settings.today)
