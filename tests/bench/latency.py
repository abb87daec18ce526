"""Part 3, latency under load: encounters at a fixed rate; p50/p95/p99 from the encounters.received
envelope's ``occurred_at`` (intake acceptance) to the publication of the day's first claim-lines.ready
record (its producer timestamp). The tenant is enrolled (billing provider, patients) before the clock
starts."""

from __future__ import annotations

from typing import Any

from tests.bench.pipeline import Services, Submission, enrolled_drive


async def run_latency(services: Services, rate: float, duration_s: float) -> dict[str, Any]:
    count = max(1, round(rate * duration_s))
    how = Submission(rate=rate)  # through the ingestion topic, paced
    result = await enrolled_drive(
        services, "latency", count, how=how, timeout_s=max(120.0, 3 * duration_s), sampler=services.sampler
    )
    result["duration_s"] = duration_s
    return result
