"""Wiring of the status service: its tables, ONE consumer over every topic it reads, and the read API."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from faststream import FastStream
from opentelemetry.sdk.trace import TracerProvider

from otrcm_shared.runtime.consumer import Handler
from otrcm_shared.runtime.ops_routes import add_operations_routes
from otrcm_shared.runtime.service import ServiceRuntime
from otrcm_shared.runtime.settings import RuntimeSettings
from otrcm_shared.topics import (
    ALERTS,
    AUTHORIZATIONS,
    CLAIM_LINES_READY,
    CLAIM_STATUS,
    DAY_VERDICTS,
    ENCOUNTERS_UNITS_CALCULATED,
    PLANS_OF_CARE,
    TopicSpec,
)
from otrcm_status.adapters import metrics as status_metrics
from otrcm_status.adapters.store import metadata
from otrcm_status.entrypoints.api import build_read_api
from otrcm_status.settings import StatusSettings
from otrcm_status.usecases import projection, records
from otrcm_status.usecases.handlers import (
    on_claim_lines_ready,
    on_claim_status_changed,
    on_day_judged,
    on_units_calculated,
)

NAME = "status"
DESCRIPTION = (
    "The single writer of encounter and claim status: reads the units, the gate's verdicts, the ready lines and "
    "the claims' status stream, publishes each encounter's status (compacted) and answers the front door."
)


def subscriptions() -> dict[TopicSpec, Handler[Any]]:
    """Every topic the one consumer reads, with the handler its events go to: one stream per entity (docs/adr/010)."""
    return {
        ENCOUNTERS_UNITS_CALCULATED: on_units_calculated,
        DAY_VERDICTS: on_day_judged,
        CLAIM_LINES_READY: on_claim_lines_ready,
        CLAIM_STATUS: on_claim_status_changed,
        # the read models beside the statuses (records.py): plans of care, authorizations, alerts
        PLANS_OF_CARE: records.on_plan_recorded,
        AUTHORIZATIONS: records.on_authorization_recorded,
        ALERTS: records.on_alert_raised,
    }


def build_runtime(
    settings: RuntimeSettings | None = None, tracer_provider: TracerProvider | None = None
) -> ServiceRuntime:
    runtime = ServiceRuntime(NAME, settings or StatusSettings(), metadata, tracer_provider=tracer_provider)
    handlers = subscriptions()
    held_lines = runtime.metrics.tally_by(
        "otrcm.claim_lines.held", "reason", description="Claim lines held, by reason code, as the ready lines arrive."
    )
    handlers[CLAIM_LINES_READY] = status_metrics.counting_held_lines(handlers[CLAIM_LINES_READY], held_lines)
    status_metrics.register(runtime.metrics, runtime.db)
    runtime.subscribe_many(handlers)
    runtime.publishes(*projection.PUBLISHES)
    return runtime


def build_app() -> FastStream:
    return build_runtime().app(DESCRIPTION)


def build_api(runtime: ServiceRuntime) -> FastAPI:
    """The read API with the consumer running for as long as the API serves (``otrcm-status serve``)."""

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        async with runtime.serving():
            yield

    api = build_read_api(runtime.db, today=runtime.settings.today)  # the business date of the read models
    api.router.lifespan_context = lifespan
    add_operations_routes(api, runtime.ops_routes())  # /health, /ready, /metrics beside the read API
    return api
