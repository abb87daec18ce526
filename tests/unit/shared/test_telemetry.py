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


def test_a_root_span_is_sampled_at_the_ratio_and_a_child_follows_its_parent() -> None:
    from opentelemetry import propagate

    exporter = InMemorySpanExporter()
    provider = setup_tracing("otrcm-test", exporter, sample_ratio=0.0)
    tracer = provider.get_tracer("t")
    with tracer.start_as_current_span("root") as root:
        carrier: dict[str, str] = {}
        propagate.inject(carrier)
    assert not root.get_span_context().trace_flags.sampled
    flags = int(carrier["traceparent"].rsplit("-", 1)[1], 16)
    assert flags & 0x01 == 0  # the decision travels on (sampled bit clear), so downstream drops it too
    sampled_parent = {"traceparent": "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"}
    with tracer.start_as_current_span("child", context=propagate.extract(sampled_parent)):
        pass
    (exported,) = exporter.get_finished_spans()
    assert exported.name == "child"
    assert format(exported.context.trace_id, "032x") == "0af7651916cd43dd8448eb211c80319c"


def test_a_service_samples_at_the_configured_ratio_and_a_test_exporter_sees_every_trace() -> None:
    from otrcm_shared.runtime.settings import RuntimeSettings

    assert RuntimeSettings().trace_sample_ratio == 0.01
    assert RuntimeSettings(trace_sample_ratio=1.0).trace_sample_ratio == 1.0
    exporter = InMemorySpanExporter()
    provider = setup_tracing("otrcm-test", exporter)
    for _ in range(20):
        with provider.get_tracer("t").start_as_current_span("root"):
            pass
    assert len(exporter.get_finished_spans()) == 20
