"""The embedded SQLite driven from the event loop's own thread: no hand-off per statement.

aiosqlite runs every call on a worker thread and wakes the loop with each answer; a poll of a few hundred
statements pays that hand-off each time, and it is most of the database time on the hot path. SQLite's
statements here take microseconds (one local file, WAL), so the service runs them on its loop thread instead,
through one connection (:class:`sqlalchemy.pool.AsyncAdaptedQueuePool` of one): whoever wants the database
waits for it without blocking the loop, and a transaction never waits on another one of its own process.
See docs/adr/014-sqlite-on-the-loop-thread.md.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable
from typing import Any

import aiosqlite

# Compiled statements the connection keeps (Python's default is 128). A service runs a few hundred distinct
# statements, and every row count of a multi-row insert is a statement text of its own: beyond the cache, a
# statement is compiled again by SQLite each time it runs.
STATEMENT_CACHE = 4096


class _RunNow:
    """Stands in for aiosqlite's queue to its worker thread: runs each call at once, on the caller's thread,
    and settles its future before anyone awaits it (so awaiting it does not yield to the loop)."""

    def put_nowait(self, item: tuple[asyncio.Future[Any] | None, Callable[[], Any]]) -> None:
        future, function = item
        try:
            result = function()
        except BaseException as error:
            if future is not None and not future.done():
                future.set_exception(error)
            return
        if future is not None and not future.done():
            future.set_result(result)


class InlineConnection(aiosqlite.Connection):
    """aiosqlite's connection without its thread: each call runs on the thread that awaits it."""

    def __init__(self, connector: Callable[[], sqlite3.Connection]) -> None:
        super().__init__(connector, iter_chunk_size=64)
        self._tx = _RunNow()  # type: ignore[assignment]

    def __await__(self) -> Any:
        return self._connect().__await__()  # no worker thread to start


def inline_connect(database: str, *, timeout: float) -> Callable[[], InlineConnection]:
    """The ``async_creator`` of an engine whose connections run on the loop thread."""

    def connector() -> sqlite3.Connection:
        connection = sqlite3.connect(
            database, timeout=timeout, isolation_level=None, check_same_thread=False, cached_statements=STATEMENT_CACHE
        )
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA synchronous=NORMAL")
        connection.execute(f"PRAGMA busy_timeout={int(timeout * 1000)}")
        return connection

    def create() -> InlineConnection:
        return InlineConnection(connector)

    return create
