"""``in_turns``: every item once and in order, and another task runs after every ``every`` items, even when
the loop body never waits (a statement on the embedded SQLite database never does)."""

from __future__ import annotations

import asyncio

import pytest

from otrcm_shared.runtime.turns import in_turns

pytestmark = pytest.mark.unit


async def test_another_task_runs_after_every_nth_item() -> None:
    seen: list[int] = []
    turns_at: list[int] = []

    async def heartbeat() -> None:
        while True:
            await asyncio.sleep(0)
            turns_at.append(len(seen))

    beating = asyncio.create_task(heartbeat())
    await asyncio.sleep(0)  # the heartbeat starts and waits for its next turn
    turns_at.clear()
    async for item in in_turns(range(10), every=3):
        seen.append(item)  # no await in the body
    beating.cancel()
    assert seen == list(range(10))
    assert turns_at == [3, 6, 9]
