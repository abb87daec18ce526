"""Logs as one JSON object per line, no colour codes: time, level, logger, message, the service, and, while a
record is processed, the trace id, the tenant and the event type.

Messages are written by the code with ids, codes and exception types only (never PHI, docs/adr and the
house rules); this formatter adds nothing from a record's body. ``OTRCM_LOG_FORMAT=text`` gives plain lines.
"""

from __future__ import annotations

import contextvars
import json
import logging
import os
import sys
from datetime import UTC, datetime
from typing import Any

from opentelemetry import trace

# (tenant, event type) of the event being handled; set by the runtime around each handler call.
EVENT_CONTEXT: contextvars.ContextVar[tuple[str, str] | None] = contextvars.ContextVar("otrcm_event", default=None)

# Libraries that install handlers of their own (FastStream's colour formatter, uvicorn's): theirs are removed so
# that every record goes through the root handler below.
_OWN_HANDLERS = ("faststream", "faststream.access", "faststream.access.kafka", "uvicorn", "uvicorn.error")


class JsonLineFormatter(logging.Formatter):
    def __init__(self, service: str | None = None) -> None:
        super().__init__()
        self._service = service

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if self._service:
            entry["service"] = self._service
        span = trace.get_current_span().get_span_context()
        if span.is_valid:
            entry["trace_id"] = format(span.trace_id, "032x")
        current = EVENT_CONTEXT.get()
        if current is not None:
            entry["tenant"], entry["event_type"] = current
        if record.exc_info and record.exc_info[0] is not None:
            entry["exception"] = record.exc_info[0].__name__  # the type only: a message may quote a body
        return json.dumps(entry, ensure_ascii=False, default=str)


def configure(service: str | None = None, *, level: str | None = None, log_format: str | None = None) -> None:
    """Root logging for a service process: JSON lines on stderr (or plain lines), at ``OTRCM_LOG_LEVEL``."""
    chosen = (log_format or os.environ.get("OTRCM_LOG_FORMAT", "json")).lower()
    handler = logging.StreamHandler(sys.stderr)
    if chosen == "text":
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    else:
        handler.setFormatter(JsonLineFormatter(service))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level or os.environ.get("OTRCM_LOG_LEVEL", "INFO"))
    for name in _OWN_HANDLERS:
        library = logging.getLogger(name)
        library.handlers.clear()
        library.propagate = True
