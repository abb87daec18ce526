"""OpenTelemetry for a service: ``service.name``, OTLP when configured, and a span-attribute allow-list.

Span attributes pass through an allow-list before export, because libraries record values we do
not control (message keys, exception messages that quote input). Only known-safe keys leave.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

from opentelemetry.sdk.resources import SERVICE_NAME, Resource
from opentelemetry.sdk.trace import Event, ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import (
    BatchSpanProcessor,
    SimpleSpanProcessor,
    SpanExporter,
    SpanExportResult,
)
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


def setup_tracing(service_name: str, exporter: SpanExporter | None = None) -> TracerProvider:
    """A tracer provider for one service.

    ``exporter`` (tests pass an in-memory one) is used synchronously; otherwise OTLP over HTTP
    when ``OTEL_EXPORTER_OTLP_ENDPOINT`` is set, else spans are created but not exported.
    """
    provider = TracerProvider(resource=Resource.create({SERVICE_NAME: service_name}))
    if exporter is not None:
        provider.add_span_processor(SimpleSpanProcessor(AllowListExporter(exporter)))
    elif os.environ.get("OTEL_EXPORTER_OTLP_ENDPOINT"):
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        provider.add_span_processor(BatchSpanProcessor(AllowListExporter(OTLPSpanExporter())))
    return provider
