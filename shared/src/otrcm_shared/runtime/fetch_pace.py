"""How a subscriber's fetches wait at the broker: long and for any record while the service is idle, short and for
a batch's worth while records flow. See docs/adr/021-an-idle-consumer-asks-the-broker-once-a-second.md.

A Kafka fetch returns when ``fetch.min.bytes`` are there or ``fetch.max.wait.ms`` has passed. A fixed pair is a
trade: a short wait makes an idle consumer ask (and be answered empty) many times a second, every answer parsed
by the event loop; a long wait with a large minimum holds a trickle of records back. So the pair follows the
polls: after a poll that found nothing the next fetches wait up to the idle wait for a single byte (the first
record is answered at once), and after a poll that found records they wait for the busy minimum, up to the busy
wait, so a steady trickle still comes in batches.

aiokafka reads both values from its fetcher each time it builds a fetch request; the pace sets them there. When
an aiokafka release renames them, the pace stops changing anything (it says so once in the log) and the
subscriber keeps its fixed busy values.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

log = logging.getLogger(__name__)

_WAIT, _MIN_BYTES = "_fetch_max_wait_ms", "_fetch_min_bytes"  # aiokafka's Fetcher attributes (0.11 to 0.14)


@dataclass
class FetchPace:
    """The fetch wait and minimum of one consumer, set after each of its polls."""

    busy_wait_ms: int
    busy_min_bytes: int
    idle_wait_ms: int
    idle: bool = field(default=False, init=False)
    _unsupported: bool = field(default=False, init=False, repr=False)

    def after_poll(self, consumer: Any, found_records: bool) -> None:
        """Choose the next fetches' wait from what the poll found (``consumer``: a started AIOKafkaConsumer)."""
        idle = not found_records
        if idle == self.idle or self._unsupported:
            return
        fetcher = getattr(consumer, "_fetcher", None)
        if fetcher is None:
            return  # not started yet: its fetcher will be built with the busy values
        if not (hasattr(fetcher, _WAIT) and hasattr(fetcher, _MIN_BYTES)):
            self._unsupported = True
            log.warning("aiokafka's fetcher has no %s/%s: fetches keep their fixed wait", _WAIT, _MIN_BYTES)
            return
        wait, least = (self.idle_wait_ms, 1) if idle else (self.busy_wait_ms, self.busy_min_bytes)
        setattr(fetcher, _WAIT, wait)
        setattr(fetcher, _MIN_BYTES, least)
        self.idle = idle


def pace_polls(subscriber: Any, pace: FetchPace) -> None:
    """FastStream 0.7's batch subscriber sleeps ``batch_timeout_ms`` after a poll that found nothing, on top of
    the poll's own wait, so a record arriving then waits for the sleep. Poll again at once instead: the poll
    itself waits (up to ``batch_timeout_ms``) for the next records. After each poll, ``pace`` sets how the next
    fetches wait at the broker."""

    async def get_msg(consumer: Any) -> tuple[Any, ...]:
        batches = await consumer.getmany(timeout_ms=subscriber.batch_timeout_ms, max_records=subscriber.max_records)
        pace.after_poll(consumer, bool(batches))
        return tuple(record for records in batches.values() for record in records)

    subscriber.get_msg = get_msg
