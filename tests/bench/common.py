"""Helpers the benchmark parts share: the repository root, Kafka offsets and reads, process sampling."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import subprocess
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
BOOTSTRAP = os.environ.get("OTRCM_KAFKA_BOOTSTRAP", "127.0.0.1:9092")
CLOCK_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def git_commit() -> str:
    try:
        done = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return "unknown"
    return done.stdout.strip() or "unknown"


async def end_offsets(topics: Iterable[str]) -> dict[Any, int]:
    """The current end offset of every partition of ``topics`` (where a reader of new events starts)."""
    from aiokafka import AIOKafkaConsumer, TopicPartition

    consumer = AIOKafkaConsumer(bootstrap_servers=BOOTSTRAP, enable_auto_commit=False)
    await consumer.start()
    try:
        partitions = []
        for topic in topics:
            known = consumer.partitions_for_topic(topic)
            if not known:
                await consumer._client.force_metadata_update()
                known = consumer.partitions_for_topic(topic) or set()
            partitions.extend(TopicPartition(topic, p) for p in sorted(known))
        return dict(await consumer.end_offsets(partitions))
    finally:
        await consumer.stop()


def read_proc(pid: int) -> tuple[int, float] | None:
    """(VmRSS in bytes, user+system CPU seconds) of ``pid``; None once it is gone."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    rss = 0
    for line in status.splitlines():
        if line.startswith("VmRSS:"):
            rss = int(line.split()[1]) * 1024
            break
    fields = stat.rsplit(")", 1)[1].split()
    cpu = (int(fields[11]) + int(fields[12])) / CLOCK_TICKS
    return rss, cpu


@dataclass
class ProcessSampler:
    """Samples RSS and CPU time of named processes in a thread, every ``interval_s``, between start and stop."""

    pids: dict[str, int]
    interval_s: float = 0.2
    peak_rss: dict[str, int] = field(default_factory=dict)
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def add(self, name: str, pid: int) -> None:
        self.pids[name] = pid

    def reset_peaks(self) -> None:
        self.peak_rss = {}

    def sample(self) -> dict[str, tuple[int, float]]:
        found = {}
        for name, pid in list(self.pids.items()):
            reading = read_proc(pid)
            if reading is not None:
                found[name] = reading
                self.peak_rss[name] = max(self.peak_rss.get(name, 0), reading[0])
        return found

    def cpu_seconds(self) -> dict[str, float]:
        return {name: cpu for name, (_, cpu) in self.sample().items()}

    def _run(self) -> None:
        while not self._stop.wait(self.interval_s):
            self.sample()

    def __enter__(self) -> ProcessSampler:
        self._thread = threading.Thread(target=self._run, name="bench-sampler", daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=2)


class TopicReader:
    """Reads ``topics`` from recorded offsets in the background, keeping the envelopes of one tenant, each with
    the time its record was published (the producer's timestamp, in seconds)."""

    def __init__(
        self, start: dict[Any, int], tenant_id: str, observe: Callable[[str, dict[str, Any]], None] | None = None
    ) -> None:
        self.start = start
        self.tenant_id = tenant_id
        self._observe = observe  # told of each envelope as it arrives (a caller's running count)
        self.envelopes: dict[str, list[tuple[float, dict[str, Any]]]] = {}
        self.changed = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._consumer: Any = None

    async def __aenter__(self) -> TopicReader:
        from aiokafka import AIOKafkaConsumer

        self._consumer = AIOKafkaConsumer(bootstrap_servers=BOOTSTRAP, enable_auto_commit=False, fetch_max_wait_ms=200)
        await self._consumer.start()
        self._consumer.assign(list(self.start))
        for partition, offset in self.start.items():
            self._consumer.seek(partition, offset)
        self._task = asyncio.create_task(self._run())
        return self

    async def _run(self) -> None:
        marker = f'"tenant_id":"{self.tenant_id}"'.encode()
        while True:
            batches = await self._consumer.getmany(timeout_ms=200, max_records=5000)
            for partition, records in batches.items():
                for record in records:
                    if marker not in record.value:
                        continue
                    published, envelope = record.timestamp / 1000, json.loads(record.value)
                    self.envelopes.setdefault(partition.topic, []).append((published, envelope))
                    if self._observe is not None:
                        self._observe(partition.topic, envelope)
            if batches:
                self.changed.set()

    def of(self, topic: str) -> list[tuple[float, dict[str, Any]]]:
        return self.envelopes.get(topic, [])

    async def __aexit__(self, *_exc: object) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        await self._consumer.stop()
