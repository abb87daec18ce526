"""Span attributes pass an allow-list: a PHI value set by any library never reaches the exporter."""

from __future__ import annotations

import pytest
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from otrcm_shared.runtime.telemetry import setup_tracing

pytestmark = pytest.mark.unit


def test_only_allow_listed_attributes_are_exported() -> None:
    exporter = InMemorySpanExporter()
    provider = setup_tracing("otrcm-test", exporter)
    with provider.get_tracer("t").start_as_current_span("stage") as span:
        span.set_attribute("otrcm.stage", "units")
        span.set_attribute("messaging.destination.name", "otrcm.encounters.received.v1")
        span.set_attribute("messaging.message.body", '{"last_name": "Sentinelson"}')
        span.set_attribute("patient.name", "Sentinelson")
        span.add_event("exception", {"exception.type": "ValueError", "exception.message": "Sentinelson"})
    (exported,) = exporter.get_finished_spans()
    assert dict(exported.attributes or {}) == {
        "otrcm.stage": "units",
        "messaging.destination.name": "otrcm.encounters.received.v1",
    }
    assert dict(exported.events[0].attributes or {}) == {"exception.type": "ValueError"}
    assert exported.resource.attributes["service.name"] == "otrcm-test"
