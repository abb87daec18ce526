"""A trace that was not sampled passes through a service as its headers, without spans.

The decision to keep a trace is made once, where it starts (``OTRCM_TRACE_SAMPLE_RATIO``), and every service
downstream follows it. For the traces that are not kept (99 in 100 at the serving default), making a span per
record and per published row only to drop it was a large share of the hot path's CPU. Instead, a record whose
``traceparent`` says "not sampled" is processed without a span, and the events it causes carry its trace
context on unchanged (same trace id, still "not sampled"). A sampled trace, or a record without trace context
(where a trace starts), is traced as before.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar

from opentelemetry import propagate

_CARRIED: ContextVar[Mapping[str, str] | None] = ContextVar("otrcm_unsampled_trace", default=None)
_CONTEXT_HEADERS = ("traceparent", "tracestate", "baggage")


def unsampled(headers: Mapping[str, str]) -> dict[str, str] | None:
    """The headers' trace context when their W3C ``traceparent`` is well formed and not sampled (flag bit 0
    clear); None otherwise (sampled, absent or malformed: the tracer decides as usual)."""
    parent = headers.get("traceparent")
    if parent is None or len(parent) != 55 or parent[2] != "-" or parent[35] != "-" or parent[52] != "-":
        return None
    try:
        flags = int(parent[53:], 16)
    except ValueError:
        return None
    if flags & 1:
        return None
    return {name: headers[name] for name in _CONTEXT_HEADERS if name in headers}


@contextmanager
def carrying(context: Mapping[str, str]) -> Iterator[None]:
    """While the block runs, events made here carry ``context`` (an unsampled trace) instead of a span's."""
    token = _CARRIED.set(context)
    try:
        yield
    finally:
        _CARRIED.reset(token)


def trace_headers() -> dict[str, str]:
    """The trace context to store with an outgoing event: the carried unsampled one, or the current span's."""
    carried = _CARRIED.get()
    if carried is not None:
        return dict(carried)
    carrier: dict[str, str] = {}
    propagate.inject(carrier)
    return carrier
