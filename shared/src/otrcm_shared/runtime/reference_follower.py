"""Reads the compacted ``otrcm.reference-data.v1`` topic on start and follows it while the service runs,
layering every imported dataset version over the shipped ones (``otrcm_shared.refdata.layers.LAYERS``).

No consumer group: every process reads the whole topic from the beginning (it is small and compacted), so
each instance of each service holds the same versions. Start-up waits until the topic's end offsets are
reached, so a service never evaluates an event with less reference data than was imported before it
started; afterwards a new version applies within one poll, without a restart (docs/adr/009).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import replace

from aiokafka import AIOKafkaConsumer, TopicPartition
from pydantic import ValidationError

from otrcm_shared.events.envelope import envelope_of
from otrcm_shared.events.reference_data import ReferenceDataImported
from otrcm_shared.refdata.layers import LAYERS, ReferenceLayers
from otrcm_shared.refdata.loader import DatasetVersion
from otrcm_shared.runtime.kafka import client_options
from otrcm_shared.runtime.settings import RuntimeSettings
from otrcm_shared.topics import REFERENCE_DATA, TopicSpec

log = logging.getLogger(__name__)
ENVELOPE = envelope_of(ReferenceDataImported)


def reference_topic(settings: RuntimeSettings) -> TopicSpec:
    """The registry's reference-data topic under the configured name (tests use a topic of their own)."""
    return replace(REFERENCE_DATA, name=settings.reference_data_topic)


def apply_record(value: bytes, layers: ReferenceLayers = LAYERS) -> bool:
    """Layer one record's dataset version; False when it is unreadable or already in force."""
    try:
        imported = ENVELOPE.model_validate_json(value).payload
    except ValidationError:
        log.warning("reference-data record unreadable; ignored")
        return False
    version = DatasetVersion(
        version=imported.version,
        effective_from=imported.effective_from,
        effective_to=imported.effective_to,
        source=imported.source,
        data=imported.data,
    )
    try:
        return layers.apply(imported.dataset, [version])
    except (FileNotFoundError, ValueError) as error:
        log.warning("reference-data version %s of %s refused: %s", imported.version, imported.dataset, error)
        return False


class ReferenceFollower:
    """Catches up with the topic in :meth:`start`, then follows it in a background task."""

    def __init__(self, settings: RuntimeSettings, client_id: str, layers: ReferenceLayers = LAYERS) -> None:
        self._consumer = AIOKafkaConsumer(
            **client_options(settings, f"{client_id}-refdata"),
            enable_auto_commit=False,
            auto_offset_reset="earliest",
            fetch_max_wait_ms=settings.consumer_idle_fetch_wait_ms,  # a new version is answered at once
        )
        self._layers = layers
        self._topic = settings.reference_data_topic
        self._task: asyncio.Task[None] | None = None

    async def start(self, timeout_s: float = 30.0) -> None:
        await self._consumer.start()
        partitions = [TopicPartition(self._topic, p) for p in range(REFERENCE_DATA.partitions)]
        self._consumer.assign(partitions)
        await self._consumer.seek_to_beginning(*partitions)
        end = await self._consumer.end_offsets(partitions)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout_s
        while await self._behind(partitions, end) and loop.time() < deadline:
            await self._poll(500)
        self._task = asyncio.create_task(self._follow(), name="reference-data-follower")

    async def _behind(self, partitions: list[TopicPartition], end: dict[TopicPartition, int]) -> bool:
        positions = [await self._consumer.position(p) for p in partitions]
        return any(position < end[p] for position, p in zip(positions, partitions, strict=True))

    async def _poll(self, timeout_ms: int) -> None:
        batches = await self._consumer.getmany(timeout_ms=timeout_ms)
        for records in batches.values():
            for record in records:
                if record.value is not None and apply_record(record.value, self._layers):
                    log.info("reference data: %s applied", (record.key or b"").decode(errors="replace"))

    async def _follow(self) -> None:
        while True:
            try:
                await self._poll(1000)
            except asyncio.CancelledError:
                raise
            except Exception:  # a broker hiccup must not stop the service; the next poll retries
                log.exception("reference-data follower poll failed")
                await asyncio.sleep(1.0)

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        await self._consumer.stop()
