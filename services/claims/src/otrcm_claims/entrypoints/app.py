"""Wiring of the claims service: runtime, tables, one consumer over five topics, the periodic batch."""

from __future__ import annotations

from faststream import FastStream
from opentelemetry.sdk.trace import TracerProvider

from otrcm_claims.adapters import claim_events
from otrcm_claims.adapters import metrics as claims_metrics
from otrcm_claims.adapters.clearinghouse import Clearinghouse
from otrcm_claims.adapters.store import metadata
from otrcm_claims.entrypoints.worker import ClaimsJobs
from otrcm_claims.settings import ClaimsSettings
from otrcm_claims.usecases import eligibility_responses
from otrcm_claims.usecases.corrections import on_claim_action_requested
from otrcm_claims.usecases.eligibility_requests import on_eligibility_requested
from otrcm_claims.usecases.handlers import on_billing_provider_registered, on_claim_lines_ready, on_patient_recorded
from otrcm_shared.runtime.service import ServiceRuntime
from otrcm_shared.topics import BILLING_PROVIDERS, CLAIM_ACTIONS, CLAIM_LINES_READY, ELIGIBILITY_REQUESTED, PATIENTS

NAME = "claims"
DESCRIPTION = "Builds claims, renders and validates X12 837P, submits them, and reads 999, 277CA and 835 back."


def build_runtime(
    settings: ClaimsSettings | None = None, tracer_provider: TracerProvider | None = None
) -> ServiceRuntime:
    """The service's runtime with its subscribers registered."""
    runtime = ServiceRuntime(NAME, settings or ClaimsSettings(), metadata, tracer_provider=tracer_provider)
    # One consumer over the five topics (docs/adr/013, 015); the inboxes keep their earlier names.
    runtime.subscribe_many(
        {
            PATIENTS: on_patient_recorded,
            BILLING_PROVIDERS: on_billing_provider_registered,
            CLAIM_LINES_READY: on_claim_lines_ready,
            CLAIM_ACTIONS: on_claim_action_requested,
            ELIGIBILITY_REQUESTED: on_eligibility_requested,
        },
        inboxes={PATIENTS: "claims_patients", BILLING_PROVIDERS: "claims_billing_providers"},
    )
    runtime.publishes(*claim_events.PUBLISHES)  # the one module that stages claims' status events
    runtime.publishes(*eligibility_responses.PUBLISHES)  # and the 271's answers (docs/adr/015)
    claims_metrics.register(runtime.metrics, runtime.db)  # built, submitted, rejected by 999/277CA (scrape time)
    return runtime


def build_jobs(runtime: ServiceRuntime, clearinghouse: Clearinghouse | None = None) -> ClaimsJobs:
    settings = runtime.settings
    if not isinstance(settings, ClaimsSettings):
        settings = ClaimsSettings(**settings.model_dump())
    return ClaimsJobs(settings, runtime.db, runtime.tables, clearinghouse, on_staged=runtime.wake_relay)


def service_app(runtime: ServiceRuntime, jobs: ClaimsJobs) -> FastStream:
    """The runtime's FastStream app, with the periodic batch started after start-up and stopped first."""
    app = runtime.app(DESCRIPTION)
    app.after_startup(jobs.start)
    app.on_shutdown(jobs.stop)
    return app


def build_app() -> FastStream:
    runtime = build_runtime()
    return service_app(runtime, build_jobs(runtime))
