"""Part 6, peak memory: the highest VmRSS of each service process while the throughput run went on
(sampled from /proc/<pid>/status by :class:`tests.bench.common.ProcessSampler`)."""

from __future__ import annotations

from typing import Any

RSS_TARGET_MB = 250.0


def memory_summary(throughput: dict[str, Any]) -> dict[str, Any]:
    peaks: dict[str, float] = throughput.get("peak_rss_mb", {})
    return {
        "peak_rss_mb": peaks,
        "max_mb": max(peaks.values(), default=0.0),
        "target_mb": RSS_TARGET_MB,
        "all_under_target": all(mb < RSS_TARGET_MB for mb in peaks.values()),
        "sampled": "VmRSS from /proc/<pid>/status every 0.2 s",
    }
