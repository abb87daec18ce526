"""Async database access for PostgreSQL (asyncpg) and the embedded SQLite (aiosqlite).

One schema per service on PostgreSQL: tables are declared without a schema and mapped to the
service's schema with ``schema_translate_map``, so the same code runs on both backends.
SQLite runs in WAL mode and takes its write lock at ``BEGIN IMMEDIATE`` (one writer, no upgrade deadlocks).
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import MetaData, Table, event, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

from otrcm_shared.runtime.json_column import json_text
from otrcm_shared.runtime.sqlite_inline import inline_connect

_SCHEMA_NAME = re.compile(r"^[a-z_][a-z0-9_]*$")


# JSON columns through orjson rather than the json module; text from json_of() is stored as it is.
_JSON_CODEC: dict[str, Any] = {"json_serializer": json_text, "json_deserializer": orjson.loads}


class Database:
    """An engine, a session factory and the service's schema; ``transaction()`` is the unit of work."""

    def __init__(self, url: str, schema: str, *, pool_size: int = 5) -> None:
        if not _SCHEMA_NAME.match(schema):
            raise ValueError(f"schema name '{schema}' must be lower-case letters, digits and underscores")
        self.url = make_url(url)
        self.schema = schema
        self.is_sqlite = self.url.get_backend_name() == "sqlite"
        if self.is_sqlite:
            database = self.url.database or ":memory:"
            in_file = database != ":memory:"
            if in_file:
                Path(database).parent.mkdir(parents=True, exist_ok=True)
            # One connection, driven on the loop thread (docs/adr/014): no hand-off to a worker per statement.
            one_connection: dict[str, Any] = {"pool_size": 1, "max_overflow": 0, "pool_timeout": 120} if in_file else {}
            self.engine: AsyncEngine = create_async_engine(
                self.url, async_creator=inline_connect(database, timeout=30), **one_connection, **_JSON_CODEC
            )
            _configure_sqlite(self.engine)
        else:
            self.engine = create_async_engine(
                self.url,
                pool_size=pool_size,
                pool_pre_ping=True,
                **_JSON_CODEC,
            ).execution_options(schema_translate_map={None: schema})
        self.sessions = async_sessionmaker(self.engine, expire_on_commit=False)

    async def create_all(self, metadata: MetaData) -> None:
        """Create the service's schema and tables when missing (first start-up)."""
        async with self.engine.begin() as connection:
            if not self.is_sqlite:
                await connection.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{self.schema}"'))
            await connection.run_sync(metadata.create_all)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        """A session in one transaction: committed when the block ends, rolled back on error."""
        async with self.sessions() as session, session.begin():
            yield session

    async def dispose(self) -> None:
        await self.engine.dispose()


def _configure_sqlite(engine: AsyncEngine) -> None:
    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy (not the driver) issue BEGIN, so it can be BEGIN IMMEDIATE.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def upsert_capable_insert(session: AsyncSession, table: Table) -> postgresql.Insert | sqlite.Insert:
    """An INSERT of the session's dialect that supports ``on_conflict_do_nothing`` and ``returning``."""
    return upsert_insert(session.get_bind().dialect.name, table)


def upsert_insert(dialect_name: str, table: Table) -> postgresql.Insert | sqlite.Insert:
    """An INSERT of the named dialect that supports ``on_conflict_do_nothing`` and ``returning``."""
    if dialect_name == "postgresql":
        return postgresql.insert(table)
    return sqlite.insert(table)
