"""The operations port of a running service: /health answers, /ready turns 200 once the consumer group has its
partitions and the database answers, /metrics counts consumed and dead-lettered records in Prometheus' format."""

from __future__ import annotations

import asyncio
import re
import time
from pathlib import Path

import httpx
import pytest

from otrcm_shared.topics import ENCOUNTERS_RECEIVED
from tests.support.services import publish, running, settings_for

pytestmark = pytest.mark.integration


def _value(metrics: str, name: str, **labels: str) -> float:
    """The sum of the samples of ``name`` whose labels include ``labels``."""
    total = 0.0
    for line in metrics.splitlines():
        match = re.match(rf"^{name}\{{(.*)\}} (\S+)$", line)
        if match and all(f'{key}="{value}"' in match.group(1) for key, value in labels.items()):
            total += float(match.group(2))
    return total


async def test_health_ready_and_metrics_on_the_operations_port(
    kafka_bootstrap: str, postgres_base_url: str, tmp_path: Path
) -> None:
    settings = settings_for(kafka_bootstrap, postgres_base_url, tmp_path).model_copy(update={"ops_port": 0})
    async with running("units", settings) as runtime, httpx.AsyncClient() as http:
        assert runtime.ops is not None
        assert runtime.ops.port
        base = f"http://127.0.0.1:{runtime.ops.port}"
        assert (await http.get(f"{base}/health")).json() == {"live": True}
        assert (await http.get(f"{base}/nowhere")).status_code == 404
        deadline = time.monotonic() + 60
        ready = await http.get(f"{base}/ready")
        while ready.status_code != 200 and time.monotonic() < deadline:
            await asyncio.sleep(0.5)
            ready = await http.get(f"{base}/ready")
        body = ready.json()
        assert ready.status_code == 200, body
        assert body["database"] is True
        assert [group["group"] for group in body["consumer_groups"]] == ["otrcm.units"]
        assert body["consumer_groups"][0]["partitions"] > 0

        await publish(settings, ENCOUNTERS_RECEIVED.name, [b"{not json at all"], key=b"ops-endpoint-test")
        metrics = ""
        while time.monotonic() < deadline:
            metrics = (await http.get(f"{base}/metrics")).text
            if _value(metrics, "otrcm_records_dead_lettered_total", reason="SCHEMA_INVALID") >= 1:
                break
            await asyncio.sleep(0.5)
        assert _value(metrics, "otrcm_records_dead_lettered_total", reason="SCHEMA_INVALID") >= 1
        assert _value(metrics, "otrcm_records_consumed_total", topic=ENCOUNTERS_RECEIVED.name) >= 1
        assert "otrcm_outbox_pending" in metrics
        assert "otrcm_consumer_lag" in metrics
        assert "\x1b[" not in metrics

    assert runtime.ops is None  # the port closes with the service
