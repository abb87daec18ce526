"""The operations kit without a broker: JSON log lines (no colour codes; trace id, tenant and event type while an
event is handled) and the metrics' Prometheus text (counts, the handler histogram, state read at scrape time)."""

from __future__ import annotations

import asyncio
import io
import json
import logging
from collections.abc import Iterator
from typing import Any

import pytest
from opentelemetry.sdk.trace import TracerProvider

from otrcm_shared.runtime import json_logs
from otrcm_shared.runtime.metrics import ServiceMetrics
from otrcm_shared.runtime.ops_http import OpsServer
from otrcm_shared.runtime.probes import Readiness, alive

pytestmark = pytest.mark.unit


class _Event:
    tenant_id = "tenant-a"
    event_type = "encounter.received"


@pytest.fixture(autouse=True)
def _root_logging_restored() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


def _capture() -> io.StringIO:
    json_logs.configure("units", level="INFO", log_format="json")
    stream = io.StringIO()
    logging.getLogger().handlers[0].setStream(stream)  # type: ignore[attr-defined]
    return stream


def test_a_log_record_is_one_json_line_with_trace_tenant_and_event_type() -> None:
    stream = _capture()
    metrics = ServiceMetrics("units")

    async def handler(_session: Any, _event: Any) -> list[Any]:
        logging.getLogger("otrcm.test").warning("applied %s", "ENC-1")
        return []

    tracer = TracerProvider().get_tracer("test")
    with tracer.start_as_current_span("work") as span:
        asyncio.run(metrics.observed(handler, "units", "t")(None, _Event()))
        trace_id = format(span.get_span_context().trace_id, "032x")
    logging.getLogger("faststream").info("library line")
    lines = stream.getvalue().splitlines()
    first, second = (json.loads(line) for line in lines)
    assert first["message"] == "applied ENC-1"
    assert (first["tenant"], first["event_type"], first["trace_id"]) == ("tenant-a", "encounter.received", trace_id)
    assert first["service"] == "units"
    assert first["level"] == "WARNING"
    assert "tenant" not in second  # outside a handler: no event context
    assert "\x1b[" not in stream.getvalue()


def test_an_exception_is_logged_by_type_only() -> None:
    stream = _capture()
    try:
        raise ValueError("Jane Doe 1950-01-01")  # a message that could quote a body
    except ValueError:
        logging.getLogger("otrcm.test").exception("handler failed")
    entry = json.loads(stream.getvalue())
    assert entry["exception"] == "ValueError"
    assert "Jane" not in stream.getvalue()


def test_metrics_render_counts_histogram_and_state() -> None:
    metrics = ServiceMetrics("status")
    metrics.consumed("status", "otrcm.alerts.v1", 3)
    metrics.dead_lettered("status", "otrcm.alerts.v1", "SCHEMA_INVALID")

    async def held() -> list[tuple[dict[str, str], float]]:
        return [({"reason": "AUTH_EXHAUSTED"}, 2)]

    metrics.state("otrcm.encounters.held", held, description="held encounters by reason")

    async def handler(_session: Any, _event: Any) -> None:
        return None

    async def run() -> str:
        await metrics.observed(handler, "status", "otrcm.alerts.v1")(None, _Event())
        body, content_type = await metrics.render()
        assert content_type.startswith("text/plain")
        return body.decode()

    text = asyncio.run(run())
    assert 'otrcm_records_consumed_total{consumer="status"' in text
    assert any(
        line.startswith("otrcm_records_dead_lettered_total")
        and 'reason="SCHEMA_INVALID"' in line
        and line.endswith(" 1.0")
        for line in text.splitlines()
    )
    assert (
        'otrcm_handler_duration_seconds_count{consumer="status",service="status",topic="otrcm.alerts.v1"} 1.0' in text
    )
    assert any(line.startswith("otrcm_encounters_held{") and line.endswith(" 2.0") for line in text.splitlines())
    metrics.shutdown()


def test_readiness_needs_start_database_and_every_group() -> None:
    assert Readiness(started=True, database=True).ready
    assert not Readiness(started=False, database=True).ready
    assert not Readiness(started=True, database=False).ready
    answer = Readiness(started=True, database=True).answer()
    assert answer.status == 200
    assert json.loads(answer.body)["ready"] is True
    assert Readiness(started=True, database=False).answer().status == 503


def test_the_operations_server_answers_get_and_refuses_the_rest() -> None:
    async def run() -> list[bytes]:
        server = OpsServer({"/health": alive}, "127.0.0.1", 0, port_is_default=False)
        await server.start()
        answers = []
        for request in (b"GET /health HTTP/1.1\r\n\r\n", b"POST /health HTTP/1.1\r\n\r\n", b"GET /x HTTP/1.1\r\n\r\n"):
            reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
            writer.write(request)
            answers.append(await reader.read())
            writer.close()
        await server.stop()
        return answers

    health, post, missing = asyncio.run(run())
    assert health.startswith(b"HTTP/1.1 200")
    assert health.endswith(b'{"live":true}')
    assert post.startswith(b"HTTP/1.1 405")
    assert missing.startswith(b"HTTP/1.1 404")
