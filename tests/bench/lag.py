"""Every stage's consumer-group lag during a run, sampled: when each stage drained, and its peak backlog."""

from __future__ import annotations

import asyncio
import contextlib
import time

from tests.bench.common import BOOTSTRAP, end_offsets
from tests.bench.submit import SUBMITTED

RECEIVED = "otrcm.encounters.received.v1"
UNITS_CALCULATED = "otrcm.encounters.units-calculated.v1"
JUDGED = "otrcm.billing-days.judged.v2"  # the gate's verdicts, cleared or held (docs/adr/010)
READY = "otrcm.claim-lines.ready.v1"
# The consumer group and input topic of each stage, in pipeline order.
STAGES = (
    ("intake", "otrcm.intake", SUBMITTED),
    ("units", "otrcm.units", RECEIVED),
    ("poc", "otrcm.poc", UNITS_CALCULATED),
    ("modifiers", "otrcm.modifiers", JUDGED),
    ("claims", "otrcm.claims", READY),
)


class LagMonitor:
    """Samples every stage's consumer-group lag; a stage has drained once its lag is zero for good."""

    def __init__(self, interval_s: float = 0.5) -> None:
        self.interval_s = interval_s
        self.samples: list[tuple[float, dict[str, int]]] = []
        self._task: asyncio.Task[None] | None = None

    async def __aenter__(self) -> LagMonitor:
        from aiokafka import AIOKafkaConsumer
        from aiokafka.admin import AIOKafkaAdminClient

        self._admin = AIOKafkaAdminClient(bootstrap_servers=BOOTSTRAP, client_id="otrcm-bench-lag")
        self._consumer = AIOKafkaConsumer(bootstrap_servers=BOOTSTRAP, enable_auto_commit=False)
        await self._admin.start()
        await self._consumer.start()
        self._partitions = {topic: list(await end_offsets([topic])) for _, _, topic in STAGES}
        self._task = asyncio.create_task(self._run())
        return self

    async def _run(self) -> None:
        while True:
            lags: dict[str, int] = {}
            for name, group, topic in STAGES:
                committed = await self._admin.list_consumer_group_offsets(group)
                ends = await self._consumer.end_offsets(self._partitions[topic])
                lags[name] = sum(
                    max(0, end - (committed[tp].offset if tp in committed and committed[tp].offset >= 0 else end))
                    for tp, end in ends.items()
                )
            self.samples.append((time.time(), lags))
            await asyncio.sleep(self.interval_s)

    def drained_after(self, began: float) -> dict[str, float]:
        """Seconds from ``began`` to the last sample with a backlog, per stage."""
        drained = {name: 0.0 for name, _, _ in STAGES}
        for at, lags in self.samples:
            for name, lag in lags.items():
                if lag > 0 and at >= began:
                    drained[name] = at - began
        return drained

    def peak_lag(self) -> dict[str, int]:
        peaks = {name: 0 for name, _, _ in STAGES}
        for _, lags in self.samples:
            for name, lag in lags.items():
                peaks[name] = max(peaks[name], lag)
        return peaks

    async def __aexit__(self, *_exc: object) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        await self._consumer.stop()
        await self._admin.close()
