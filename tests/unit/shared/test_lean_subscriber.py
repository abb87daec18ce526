"""The kit's subscribers: no JSON decode of bodies nobody reads, and no sleep after a poll that found nothing."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest

from otrcm_shared.runtime.service import _records_only, _without_idle_sleep

pytestmark = pytest.mark.unit


class _Subscriber:
    batch_timeout_ms = 400
    max_records = 7


class _Consumer:
    def __init__(self, batches: list[dict[str, list[int]]]) -> None:
        self.batches = batches
        self.calls: list[tuple[int, int]] = []

    async def getmany(self, *, timeout_ms: int, max_records: int) -> dict[str, list[int]]:
        self.calls.append((timeout_ms, max_records))
        return self.batches.pop(0)


async def test_an_empty_poll_returns_at_once_and_a_full_one_keeps_partition_order() -> None:
    subscriber: Any = _Subscriber()
    _without_idle_sleep(subscriber)
    consumer = _Consumer([{}, {"p0": [1, 2], "p1": [3]}])
    began = time.monotonic()
    assert await subscriber.get_msg(consumer) == ()
    assert time.monotonic() - began < 0.2  # FastStream's own get_msg would sleep batch_timeout_ms (0.4 s) here
    assert await subscriber.get_msg(consumer) == (1, 2, 3)
    assert consumer.calls == [(400, 7), (400, 7)]


def test_the_decoder_leaves_bodies_alone() -> None:
    assert asyncio.run(_records_only(object())) is None
