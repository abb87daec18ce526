"""The latency part splits a day's latency at the gate's verdict: from the acceptance of the day's last
encounter to the publication of the first verdict that includes it, and from there to the publication of the
day's first ready lines (records' producer timestamps: modifiers carries the verdict's occurred_at over)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.bench.pipeline import _hops

pytestmark = pytest.mark.unit

BASE = 1796050800.0  # 2026-11-30T15:00:00Z


def _verdict(second: float, day_key: str, *encounter_ids: str) -> tuple[float, dict[str, Any]]:
    return BASE + second, {"payload": {"day_key": day_key, "encounter_ids": list(encounter_ids)}}


def test_each_day_is_split_at_the_first_verdict_that_includes_its_last_encounter() -> None:
    last_accepted = {"d1": ("e2", BASE + 2.0), "d2": ("e3", BASE + 10.0)}  # d1's encounters: e1, then e2
    published = {"d1": BASE + 2.5, "d2": BASE + 10.9}
    verdicts = [
        _verdict(1.5, "d1", "e1"),  # an earlier verdict without e2: not the one
        _verdict(2.2, "d1", "e1", "e2"),
        _verdict(2.4, "d1", "e1", "e2"),  # a later one with e2: the first counts
        _verdict(10.1, "d2", "e3"),
    ]
    hops = _hops(last_accepted, published, verdicts)
    # d1: 2.0 -> 2.2 -> 2.5 s (200 ms, 300 ms); d2: 10.0 -> 10.1 -> 10.9 s (100 ms, 800 ms); of two values the
    # bench's p50 is the lower, its p99 the higher
    assert hops == {
        "accepted_to_verdict": {"p50": 100.0, "p99": 200.0},
        "verdict_to_ready": {"p50": 300.0, "p99": 800.0},
    }


def test_no_verdict_no_split() -> None:
    assert _hops({"d1": ("e1", BASE + 1.0)}, {"d1": BASE + 2.5}, []) == {}
