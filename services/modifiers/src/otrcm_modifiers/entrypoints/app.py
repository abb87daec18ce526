"""Wiring of the modifiers service: its tables and its one consumer over three topics."""

from __future__ import annotations

from faststream import FastStream
from opentelemetry.sdk.trace import TracerProvider

from otrcm_modifiers.adapters import metrics as modifiers_metrics
from otrcm_modifiers.adapters.store import metadata
from otrcm_modifiers.settings import ModifiersSettings
from otrcm_modifiers.usecases import handlers, reevaluation, reference_alerts
from otrcm_modifiers.usecases.handlers import on_claim_status_changed, on_day_judged, on_therapy_spend
from otrcm_shared.runtime.service import ServiceRuntime
from otrcm_shared.runtime.settings import RuntimeSettings
from otrcm_shared.topics import CLAIM_STATUS, DAY_VERDICTS, THERAPY_SPEND

NAME = "modifiers"
DESCRIPTION = "GO, KX, CO, NCCI and MUE rules, the threshold accrual and the expected allowed amount."


def build_runtime(
    settings: RuntimeSettings | None = None, tracer_provider: TracerProvider | None = None
) -> ServiceRuntime:
    runtime = ServiceRuntime(NAME, settings or ModifiersSettings(), metadata, tracer_provider=tracer_provider)
    # One consumer over the three topics (docs/adr/013): a beneficiary's accrual is changed by one poll at a
    # time (its verdicts, denials and prior spend); the inboxes keep their earlier names.
    runtime.subscribe_many(
        {DAY_VERDICTS: on_day_judged, CLAIM_STATUS: on_claim_status_changed, THERAPY_SPEND: on_therapy_spend},
        inboxes={CLAIM_STATUS: "modifiers_claim_status", THERAPY_SPEND: "modifiers_therapy_spend"},
    )
    # each module's own list
    runtime.publishes(*handlers.PUBLISHES, *reevaluation.PUBLISHES, *reference_alerts.PUBLISHES)
    modifiers_metrics.register(runtime.metrics, runtime.db)  # provisional reference datasets (scrape time)
    return runtime


def build_app() -> FastStream:
    return build_runtime().app(DESCRIPTION)
