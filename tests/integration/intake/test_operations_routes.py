"""The public API answers the operations endpoints too (they answered 404 before): /health without a key,
/ready once intake's consumer group has joined and the database answers, /metrics in Prometheus' format."""

from __future__ import annotations

import asyncio
import time
from datetime import date
from pathlib import Path

import pytest

from tests.integration.intake.conftest import running_intake

pytestmark = pytest.mark.integration


async def test_health_ready_and_metrics_on_the_public_api(
    kafka_bootstrap: str, postgres_base_url: str, tmp_path: Path
) -> None:
    async with running_intake(kafka_bootstrap, postgres_base_url, tmp_path, date(2026, 11, 20)) as intake:
        health = await intake.client.get("/health")
        assert health.status_code == 200
        assert health.json() == {"live": True}
        deadline = time.monotonic() + 60
        ready = await intake.client.get("/ready")
        while ready.status_code != 200 and time.monotonic() < deadline:
            await asyncio.sleep(0.5)
            ready = await intake.client.get("/ready")
        assert ready.status_code == 200, ready.text
        assert ready.json()["consumer_groups"][0]["group"] == "otrcm.intake"
        metrics = await intake.client.get("/metrics")
        assert metrics.status_code == 200
        assert metrics.headers["content-type"].startswith("text/plain")
        assert "otrcm_outbox_pending{" in metrics.text
        assert "/health" not in (await intake.client.get("/openapi.json")).text
