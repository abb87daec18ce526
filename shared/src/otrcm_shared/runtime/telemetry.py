"""OpenTelemetry for a service: ``service.name``, OTLP when configured, and a span-attribute allow-list.

Span attributes pass through an allow-list before export, because libraries record values we do
not control (message keys, exception messages that quote input). Only known-safe keys leave.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from opentelemetry.sdk.resources import SERVICE_NAME, Resource
from opentelemetry.sdk.trace import Event, ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import (
    BatchSpanProcessor,
    SimpleSpanProcessor,
    SpanExporter,
    SpanExportResult,
)
from opentelemetry.sdk.trace.sampling import ParentBased, TraceIdRatioBased
from opentelemetry.util.types import Attributes

# Exact keys and prefixes that may leave the process. Everything else is dropped.
ALLOWED_ATTRIBUTE_PREFIXES: tuple[str, ...] = (
    "otrcm.",
    "messaging.system",
    "messaging.operation",
    "messaging.destination.name",
    "messaging.kafka.destination.partition",
    "messaging.kafka.message.offset",
    "messaging.kafka.consumer.group",
    "messaging.batch.message_count",
    "messaging.message.id",
    "messaging.message.conversation_id",
    "http.method",
    "http.request.method",
    "http.route",
    "http.status_code",
    "http.response.status_code",
    "error.type",
    "exception.type",
    "exception.escaped",
)


def is_allowed_attribute(key: str) -> bool:
    return key.startswith(ALLOWED_ATTRIBUTE_PREFIXES)


def _filtered(attributes: Attributes) -> dict[str, object]:
    if not attributes:
        return {}
    return {key: value for key, value in attributes.items() if is_allowed_attribute(key)}


class AllowListExporter(SpanExporter):
    """Wraps an exporter; spans reach it with only allow-listed attributes (events too)."""

    def __init__(self, inner: SpanExporter) -> None:
        self._inner = inner

    def export(self, spans: Sequence[ReadableSpan]) -> SpanExportResult:
        return self._inner.export([self._scrub(span) for span in spans])

    def shutdown(self) -> None:
        self._inner.shutdown()

    def force_flush(self, timeout_millis: int = 30000) -> bool:
        return self._inner.force_flush(timeout_millis)

    @staticmethod
    def _scrub(span: ReadableSpan) -> ReadableSpan:
        events = [
            Event(event.name, _filtered(event.attributes), event.timestamp)  # type: ignore[arg-type]
            for event in span.events
        ]
        return ReadableSpan(
            name=span.name,
            context=span.context,
            parent=span.parent,
            resource=span.resource,
            attributes=_filtered(span.attributes),  # type: ignore[arg-type]
            events=events,
            links=span.links,
            kind=span.kind,
            status=span.status,
            start_time=span.start_time,
            end_time=span.end_time,
            instrumentation_scope=span.instrumentation_scope,
        )


class JsonLinesSpanExporter(SpanExporter):
    """Appends each span as one JSON line to a file (for audits of what a run exported)."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._file = path.open("a", encoding="utf-8")

    def export(self, spans: Sequence[ReadableSpan]) -> SpanExportResult:
        self._file.write("".join(span.to_json(indent=None) + "\n" for span in spans))
        self._file.flush()
        return SpanExportResult.SUCCESS

    def shutdown(self) -> None:
        self._file.close()


def setup_tracing(
    service_name: str, exporter: SpanExporter | None = None, *, sample_ratio: float | None = None
) -> TracerProvider:
    """A tracer provider for one service.

    ``exporter`` (tests pass an in-memory one) is used synchronously; otherwise OTLP over HTTP
    when ``OTEL_EXPORTER_OTLP_ENDPOINT`` is set, and JSON lines appended to ``OTRCM_SPANS_FILE`` when
    that is set; else spans are created but not exported. Every exporter sees allow-listed attributes only.

    Sampling is parent-based: a span with a parent (an incoming ``traceparent``) follows its parent's
    decision, so a trace is kept whole across services or not at all; a root span is kept with
    probability ``sample_ratio`` (a service passes ``OTRCM_TRACE_SAMPLE_RATIO``). ``None`` keeps every
    trace: the caller (a test with its own exporter) wants them all. Unsampled spans still carry the
    trace context onwards, and cost next to nothing.
    """
    ratio = 1.0 if sample_ratio is None else sample_ratio
    provider = TracerProvider(
        resource=Resource.create({SERVICE_NAME: service_name}),
        sampler=ParentBased(TraceIdRatioBased(ratio)),
    )
    if exporter is not None:
        provider.add_span_processor(SimpleSpanProcessor(AllowListExporter(exporter)))
    if exporter is None and os.environ.get("OTEL_EXPORTER_OTLP_ENDPOINT"):
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        provider.add_span_processor(BatchSpanProcessor(AllowListExporter(OTLPSpanExporter())))
    spans_file = os.environ.get("OTRCM_SPANS_FILE")
    if exporter is None and spans_file:
        provider.add_span_processor(BatchSpanProcessor(AllowListExporter(JsonLinesSpanExporter(Path(spans_file)))))
    return provider
