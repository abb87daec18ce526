"""Long loops that let the event loop run now and then.

A statement on the embedded SQLite database never waits (its connection runs inline), so a loop over
thousands of rows that awaits one statement each still holds the event loop from start to end: the Kafka
consumer's heartbeats stop, and past the session timeout the group drops the member and rebalances.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterable
from typing import TypeVar

T = TypeVar("T")


async def in_turns(items: Iterable[T], every: int = 200) -> AsyncIterator[T]:
    """``items`` one by one, giving the event loop a turn after every ``every`` of them."""
    for count, item in enumerate(items, 1):
        yield item
        if count % every == 0:
            await asyncio.sleep(0)
