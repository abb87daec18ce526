"""Wiring of the intake service: the runtime, its one feed subscriber and the HTTP API."""

from __future__ import annotations

from functools import partial

from fastapi import FastAPI
from opentelemetry.sdk.trace import TracerProvider

from otrcm_intake.adapters.status_reader import StatusReader
from otrcm_intake.adapters.store import metadata
from otrcm_intake.entrypoints.api import create_api
from otrcm_intake.entrypoints.feeds import on_encounter_submitted
from otrcm_intake.settings import IntakeSettings
from otrcm_intake.usecases import (
    accept,
    billing_providers,
    claim_actions,
    eligibility_checks,
    encounter_corrections,
    records,
    therapy_spend,
)
from otrcm_shared.runtime.service import ServiceRuntime
from otrcm_shared.runtime.settings import RuntimeSettings
from otrcm_shared.topics import ENCOUNTERS_SUBMITTED

NAME = "intake"
DESCRIPTION = (
    "The front door: validates encounters, plans of care, authorizations and patients, stores them, and publishes them."
)


def build_runtime(
    settings: RuntimeSettings | None = None, tracer_provider: TracerProvider | None = None
) -> ServiceRuntime:
    """Intake's runtime: one consumer, the ingestion feed. Statuses are the status service's (docs/adr/011)."""
    settings = settings or IntakeSettings()
    runtime = ServiceRuntime(NAME, settings, metadata, tracer_provider=tracer_provider)
    runtime.subscribe(ENCOUNTERS_SUBMITTED, partial(on_encounter_submitted, today=settings.today))
    runtime.publishes(
        *accept.PUBLISHES,
        *billing_providers.PUBLISHES,
        *claim_actions.PUBLISHES,
        *encounter_corrections.PUBLISHES,
        *records.PUBLISHES,
        *therapy_spend.PUBLISHES,
        *eligibility_checks.PUBLISHES,
    )  # each module's own list
    return runtime


def build_api(settings: IntakeSettings | None = None, tracer_provider: TracerProvider | None = None) -> FastAPI:
    settings = settings or IntakeSettings()
    runtime = build_runtime(settings, tracer_provider)
    return create_api(runtime, today=settings.today, status=StatusReader(settings.status_url))
