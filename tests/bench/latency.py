"""Part 3, latency under load: encounters at a fixed rate; p50/p95/p99 from the encounters.received
envelope's ``occurred_at`` (intake acceptance) to the first claim-lines.ready envelope of the day."""

from __future__ import annotations

from typing import Any

from tests.bench.common import ProcessSampler
from tests.bench.pipeline import drive, fresh_tenant


async def run_latency(rate: float, duration_s: float, sampler: ProcessSampler | None = None) -> dict[str, Any]:
    count = max(1, round(rate * duration_s))
    result = await drive(
        fresh_tenant("latency"), count, rate=rate, timeout_s=max(120.0, 3 * duration_s), sampler=sampler
    )
    result["duration_s"] = duration_s
    return result
