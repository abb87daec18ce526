"""``make bench`` at a tiny size on the real broker: the pipeline and latency parts run end to end, and
``results.json`` keeps the keys runs are compared by across commits (issue 18: ``pipeline.encounters_per_second``,
``latency.latency_ms.p99``, ``latency.rate_per_second``, ``args``), with the latency split at the gate's verdict
whose two parts cannot exceed the whole."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
SKIPPED = ("raw", "domain", "http", "batch", "scale", "audit", "console")


def test_a_small_bench_run_writes_the_keys_runs_are_compared_by(kafka_bootstrap: str, tmp_path: Path) -> None:
    results = tmp_path / "results.json"
    skips = [arg for part in SKIPPED for arg in ("--skip", part)]
    command = [sys.executable, "tests/bench/run.py", "--json", str(results), "--encounters", "60", "--rate", "30",
               "--duration", "2", *skips]  # fmt: skip
    env = {**os.environ, "OTRCM_KAFKA_BOOTSTRAP": kafka_bootstrap}
    run = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600, check=False)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]

    figures = json.loads(results.read_text())
    pipeline, latency = figures["pipeline"], figures["latency"]
    assert figures["args"]["encounters"] == 60
    assert pipeline["complete"]
    assert pipeline["encounters_per_second"] > 0
    assert latency["rate_per_second"] == 30
    assert latency["complete"]
    assert latency["ready_days"] == 60
    whole, hops = latency["latency_ms"], latency["hops_ms"]
    assert 0 < whole["p50"] <= whole["p99"]
    assert hops["accepted_to_verdict"]["p50"] > 0
    assert hops["verdict_to_ready"]["p50"] > 0
    assert hops["accepted_to_verdict"]["p99"] <= whole["max"]
    assert hops["verdict_to_ready"]["p99"] <= whole["max"]
