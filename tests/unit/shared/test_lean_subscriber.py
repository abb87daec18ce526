"""The kit's subscribers: no JSON decode of bodies nobody reads, no sleep after a poll that found nothing, and
fetches that wait long for any record while idle and briefly for a batch while busy."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest

from otrcm_shared.runtime.fetch_pace import FetchPace, pace_polls
from otrcm_shared.runtime.service import _records_only

pytestmark = pytest.mark.unit


class _Subscriber:
    batch_timeout_ms = 400
    max_records = 7


class _Fetcher:  # the two attributes aiokafka's Fetcher builds each fetch request from
    def __init__(self) -> None:
        self._fetch_max_wait_ms = 100
        self._fetch_min_bytes = 16384


class _Consumer:
    def __init__(self, batches: list[dict[str, list[int]]]) -> None:
        self.batches = batches
        self.calls: list[tuple[int, int]] = []
        self._fetcher = _Fetcher()

    async def getmany(self, *, timeout_ms: int, max_records: int) -> dict[str, list[int]]:
        self.calls.append((timeout_ms, max_records))
        return self.batches.pop(0)


async def test_an_empty_poll_returns_at_once_and_a_full_one_keeps_partition_order() -> None:
    subscriber: Any = _Subscriber()
    pace_polls(subscriber, _pace())
    consumer = _Consumer([{}, {"p0": [1, 2], "p1": [3]}])
    began = time.monotonic()
    assert await subscriber.get_msg(consumer) == ()
    assert time.monotonic() - began < 0.2  # FastStream's own get_msg would sleep batch_timeout_ms (0.4 s) here
    assert await subscriber.get_msg(consumer) == (1, 2, 3)
    assert consumer.calls == [(400, 7), (400, 7)]


def test_the_decoder_leaves_bodies_alone() -> None:
    assert asyncio.run(_records_only(object())) is None


def _pace() -> FetchPace:
    return FetchPace(busy_wait_ms=100, busy_min_bytes=16384, idle_wait_ms=1000)


def _asked(consumer: _Consumer) -> tuple[int, int]:
    return consumer._fetcher._fetch_max_wait_ms, consumer._fetcher._fetch_min_bytes


async def test_fetches_wait_long_for_any_record_after_an_empty_poll_and_for_a_batch_after_a_full_one() -> None:
    subscriber: Any = _Subscriber()
    pace = _pace()
    pace_polls(subscriber, pace)
    consumer = _Consumer([{"p0": [1]}, {}, {}, {"p1": [2, 3]}])
    await subscriber.get_msg(consumer)
    assert _asked(consumer) == (100, 16384)
    assert not pace.idle
    await subscriber.get_msg(consumer)
    assert _asked(consumer) == (1000, 1)
    assert pace.idle
    await subscriber.get_msg(consumer)
    assert _asked(consumer) == (1000, 1)
    await subscriber.get_msg(consumer)
    assert _asked(consumer) == (100, 16384)
    assert not pace.idle


def test_a_fetcher_without_the_attributes_is_left_alone_and_said_once(caplog: pytest.LogCaptureFixture) -> None:
    class Renamed:
        max_wait = 100

    consumer: Any = type("C", (), {"_fetcher": Renamed()})()
    pace = _pace()
    for _ in range(3):
        pace.after_poll(consumer, found_records=False)
    assert vars(consumer._fetcher) == {}
    assert not pace.idle
    assert [r.levelname for r in caplog.records if "fixed wait" in r.getMessage()] == ["WARNING"]


def test_a_consumer_not_yet_started_keeps_its_configured_values() -> None:
    consumer: Any = type("C", (), {"_fetcher": None})()
    pace = _pace()
    pace.after_poll(consumer, found_records=False)
    assert not pace.idle  # tried again after the next poll, once the fetcher exists
