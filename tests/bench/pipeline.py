"""Parts 2, 5 and 6: the six services as processes, encounters of a payer mix (:mod:`tests.bench.payer_mix`)
through the ingestion topic, or posted in batches to the intake API, until every patient-day's claim lines
are ready; per-stage lag, CPU seconds and peak RSS of every process, and the consumer groups each service
joins. Each run's tenant is enrolled first (billing provider, patients and what their payers need on file:
:mod:`tests.bench.enroll`), outside the timed window."""

from __future__ import annotations

import asyncio
import contextlib
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tests.bench.common import ROOT, ProcessSampler, TopicReader, end_offsets
from tests.bench.lag import JUDGED, READY, RECEIVED, LagMonitor
from tests.bench.payer_mix import PayerMix, build_submissions, encounter_payloads
from tests.bench.services import POSTGRES_URL, SERVICE_NAMES, Services
from tests.bench.submit import Handed, batch_bodies, post_batches, produce

DEAD_LETTERS = "otrcm.dead-letters.v1"
WATCHED = (RECEIVED, JUDGED, READY, DEAD_LETTERS)
__all__ = ["POSTGRES_URL", "SERVICE_NAMES", "Services", "Submission", "drive", "enrolled_drive", "slowest_stage"]


class DayProgress:
    """How many of a run's days are settled (ready, held by the gate or dead-lettered), counted as the reader's
    envelopes arrive: the wait for the last one costs the bench's process one step per record, not a rescan of
    everything read so far each time the reader wakes it (the bench shares the two cores it measures)."""

    def __init__(self) -> None:
        self.ready_days: set[str] = set()
        self.held = 0
        self.dead_letters = 0

    def observe(self, topic: str, envelope: dict[str, Any]) -> None:
        if topic == READY:
            self.ready_days.add(envelope["payload"]["day_key"])
        elif topic == JUDGED and envelope["payload"]["verdict"] == "held":
            self.held += 1
        elif topic == DEAD_LETTERS:
            self.dead_letters += 1

    def settled(self) -> int:
        return len(self.ready_days) + self.held + self.dead_letters


def _held(reader: TopicReader) -> list[dict[str, Any]]:
    """The gate's held verdicts read so far (the verdict stream carries the cleared ones too)."""
    return [env for _, env in reader.of(JUDGED) if env["payload"]["verdict"] == "held"]


def _epoch(timestamp: str) -> float:
    return datetime.fromisoformat(timestamp).astimezone(UTC).timestamp()


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))]


@dataclass(frozen=True)
class Submission:
    """How a run hands its encounters to intake: ``kafka`` (the ingestion topic, optionally at ``rate`` per
    second) or ``http`` (batches of ``batch_size`` posted over ``connections`` connections)."""

    via: str = "kafka"
    rate: float | None = None
    batch_size: int = 100
    connections: int = 4


async def _hand_over(
    tenant: str, count: int, mix: PayerMix, how: Submission, *, billing_npi: str, api_key: str, base_url: str
) -> Handed:
    if how.via == "http":
        batches = batch_bodies(encounter_payloads(count, billing_npi, mix), how.batch_size)
        return await post_batches(base_url, api_key, batches, how.connections)
    return await produce(build_submissions(tenant, count, billing_npi, mix), how.rate)


def _hops(
    last_accepted: dict[str, tuple[str, float]],
    published: dict[str, float],
    judged: list[tuple[float, dict[str, Any]]],
) -> dict[str, dict[str, float]]:
    """The latency split at the gate's verdict: acceptance of a day's last encounter (``last_accepted``: day key
    -> encounter id and time) -> the publication of the first verdict that includes it (units and poc), and
    that verdict -> the publication of the day's first ready lines (modifiers); p50/p99 in ms. Publication
    times are the records' producer timestamps."""
    verdicts: dict[str, list[tuple[float, frozenset[str]]]] = {}
    for at, env in judged:
        payload = env["payload"]
        verdicts.setdefault(payload["day_key"], []).append((at, frozenset(payload["encounter_ids"])))
    to_verdict, to_ready = [], []
    for key, (last, accepted_at) in last_accepted.items():
        judged_at = min((t for t, ids in verdicts.get(key, ()) if last in ids), default=None)
        if judged_at is not None:
            to_verdict.append((judged_at - accepted_at) * 1000)
            to_ready.append((published[key] - judged_at) * 1000)
    if not to_verdict:
        return {}
    return {
        name: {"p50": round(_percentile(values, 0.5), 1), "p99": round(_percentile(values, 0.99), 1)}
        for name, values in (("accepted_to_verdict", to_verdict), ("verdict_to_ready", to_ready))
    }


def _held_lines(days: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Days whose ready lines include held ones (modifiers holds a line, e.g. KX without attestation), the
    reasons, and the days that bill a KX line."""
    held = [line for env in days.values() for line in env["payload"]["held_lines"]]
    return {
        "days_with_held_lines": sum(bool(env["payload"]["held_lines"]) for env in days.values()),
        "held_line_reasons": sorted({reason for line in held for reason in line["reasons"]}),
        "kx_days": sum(any("KX" in line["modifiers"] for line in env["payload"]["lines"]) for env in days.values()),
    }


async def drive(
    tenant: str,
    count: int,
    *,
    billing_npi: str,
    mix: PayerMix,
    how: Submission = Submission(),
    api_key: str = "",
    base_url: str = "",
    timeout_s: float = 300.0,
    stall_s: float = 30.0,
    sampler: ProcessSampler | None = None,
    monitor_lag: bool = False,
) -> dict[str, Any]:
    """Hand ``count`` encounters of ``tenant`` to intake (``how``) and wait until each patient-day is ready
    (or held by the gate, dead-lettered, or refused at the door). Acceptance is the envelopes' ``occurred_at``,
    ready the records' producer timestamps."""
    start = await end_offsets(WATCHED)
    cpu_before = sampler.cpu_seconds() if sampler else {}
    if sampler:
        sampler.reset_peaks()
    lag = LagMonitor() if monitor_lag else None
    try:
        progress_of = DayProgress()
        async with TopicReader(start, tenant, progress_of.observe) as reader:
            if lag is not None:
                await lag.__aenter__()
            handed = await _hand_over(
                tenant, count, mix, how, billing_npi=billing_npi, api_key=api_key, base_url=base_url
            )
            began, sent_at = handed.began, handed.sent_at
            deadline, progress, last_progress = handed.done + timeout_s, -1, time.time()
            while True:
                done = progress_of.settled() + len(handed.refused)
                if done >= count:
                    break
                if done != progress:
                    progress, last_progress = done, time.time()
                if time.time() > deadline or time.time() - last_progress > stall_s:
                    break
                reader.changed.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(reader.changed.wait(), timeout=1.0)
            seen_all = time.time()
            await asyncio.sleep(0.6 if lag else 0)
    finally:
        if lag is not None:
            await lag.__aexit__(None, None, None)
    cpu_after = sampler.cpu_seconds() if sampler else {}

    received_at = {env["payload"]["encounter_id"]: _epoch(env["occurred_at"]) for _, env in reader.of(RECEIVED)}
    # When a day was ready: when its first ready record was published (the producer's timestamp). Not the
    # envelope's occurred_at, which modifiers carries over from the gate's verdict (no handler reads a clock).
    first_ready: dict[str, dict[str, Any]] = {}
    published: dict[str, float] = {}
    for at, env in reader.of(READY):
        key = env["payload"]["day_key"]
        if key not in published or at < published[key]:
            first_ready[key], published[key] = env, at
    last_accepted: dict[str, tuple[str, float]] = {}  # day key -> its last accepted encounter, and when
    latencies, end_to_end = [], []
    for key, env in first_ready.items():
        ids = env["payload"]["encounter_ids"]
        accepted = [(received_at[e], e) for e in ids if e in received_at]
        if accepted:
            accepted_at, last = max(accepted)
            last_accepted[key] = (last, accepted_at)
            latencies.append((published[key] - accepted_at) * 1000)
        submitted = [sent_at[e] for e in ids if e in sent_at]
        if submitted:
            end_to_end.append((published[key] - max(submitted)) * 1000)
    hops = _hops(last_accepted, published, reader.of(JUDGED))
    last_ready = max(published.values(), default=seen_all)
    elapsed = max(last_ready - began, 1e-9)
    held = _held(reader)
    result: dict[str, Any] = {
        "tenant": tenant,
        "payer_mix": mix.describe(),
        "submitted_via": how.via,
        "encounters": count,
        "rate_per_second": how.rate,
        "received": len(received_at),
        "ready_days": len(first_ready),
        "held": len(held),
        "held_reasons": sorted({r["code"] for env in held for r in env["payload"].get("reasons", [])}),
        **_held_lines(first_ready),
        "dead_letters": len(reader.of(DEAD_LETTERS)),
        "dead_letter_reasons": sorted({env["payload"].get("reason_code", "?") for _, env in reader.of(DEAD_LETTERS)}),
        "submit_seconds": round(handed.done - began, 2),
        "seconds_to_last_ready": round(elapsed, 2),
        "encounters_per_second": round(len(first_ready) / elapsed, 1),
        "complete": len(first_ready) == count,
    }
    if how.via == "http":
        result["http"] = {
            "batch_size": how.batch_size,
            "connections": how.connections,
            "requests": len(handed.request_seconds),
            "accepted_per_second": round((count - len(handed.refused)) / max(handed.done - began, 1e-9), 1),
            "request_ms_p50": round(_percentile(handed.request_seconds, 0.5) * 1000, 1),
            "request_ms_max": round(max(handed.request_seconds, default=0.0) * 1000, 1),
            "refused": len(handed.refused),
            "refused_first": handed.refused[:3],
        }
    if latencies:
        result["latency_ms"] = {
            "p50": round(_percentile(latencies, 0.50), 1),
            "p95": round(_percentile(latencies, 0.95), 1),
            "p99": round(_percentile(latencies, 0.99), 1),
            "max": round(max(latencies), 1),
            "samples": len(latencies),
        }
    if hops:
        result["hops_ms"] = hops
    if end_to_end:  # from the bench's send, so the wait in front of intake counts too
        result["submit_to_ready_ms"] = {
            "p50": round(_percentile(end_to_end, 0.50), 1),
            "p99": round(_percentile(end_to_end, 0.99), 1),
        }
    if sampler:
        result["cpu_seconds"] = {name: round(cpu_after[name] - cpu_before.get(name, 0.0), 2) for name in cpu_after}
        result["cpu_ms_per_encounter"] = {
            name: round(seconds / max(count, 1) * 1000, 2) for name, seconds in result["cpu_seconds"].items()
        }
        result["cpu_ms_per_encounter_all"] = round(sum(result["cpu_seconds"].values()) / max(count, 1) * 1000, 2)
        result["peak_rss_mb"] = {name: round(rss / 2**20, 1) for name, rss in sampler.peak_rss.items()}
    if lag is not None:
        result["stage_drained_after_s"] = {k: round(v, 1) for k, v in lag.drained_after(began).items()}
        result["stage_peak_lag"] = lag.peak_lag()
    return result


def slowest_stage(result: dict[str, Any], candidates: tuple[str, ...] = ("intake", "units", "poc", "modifiers")) -> str:
    """The stage with the largest backlog at its peak (work queues up in front of the slowest stage and
    the stages after it see only what it lets through); CPU seconds break a tie."""
    peaks = result.get("stage_peak_lag") or {}
    cpu = result.get("cpu_seconds") or {}
    return max(candidates, key=lambda name: (peaks.get(name, 0), cpu.get(name, 0.0)))


def fresh_tenant(label: str) -> str:
    return f"bench-{label}-{uuid.uuid4().hex[:8]}"


def fresh_var_dir(label: str) -> Path:
    path = ROOT / "var" / "bench" / f"run-{datetime.now(UTC).strftime('%Y%m%d-%H%M%S')}-{label}"
    path.mkdir(parents=True, exist_ok=True)
    return path


async def enrolled_drive(services: Services, label: str, count: int, **options: Any) -> dict[str, Any]:
    """A fresh tenant, enrolled (untimed), then :func:`drive`; the set-up's figures under ``setup``."""
    tenant = fresh_tenant(label)
    setup = await services.enroll(tenant, count)
    result = await drive(
        tenant,
        count,
        billing_npi=setup.figures["billing_npi"],
        mix=services.mix,
        api_key=setup.api_key,
        base_url=services.intake_url,
        **options,
    )
    result["setup"] = setup.figures
    return result
