"""Alembic migrations of every service, on SQLite and PostgreSQL: a database made by the release before
migrations (the baseline's schema, no ``alembic_version``, a table missing, a row in it) comes to the newest
revision, and the schema it ends with is what the service's metadata declares (Alembic's compare finds
nothing: a table or column added to the metadata without a migration fails here); the row survives. Every
other integration test starts its services on empty databases, which the same migrations bring to the newest
revision."""

from __future__ import annotations

import importlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from uuid import uuid4

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import MetaData, func, select, text
from sqlalchemy.engine import Connection

from otrcm_shared.runtime.db import Database
from otrcm_shared.runtime.migrations import (
    BASELINE,
    SERVICES,
    VERSION_TABLE,
    alembic_config,
    current_revision,
    head_revision,
    migrate,
    migrations_dir,
)
from otrcm_shared.runtime.settings import RuntimeSettings
from otrcm_shared.runtime.tables import KitTables
from tests.support.databases import BACKENDS, url_for

pytestmark = pytest.mark.integration


def _metadata(service: str, var_dir: Path) -> MetaData:
    runtime: Any = importlib.import_module(f"otrcm_{service}.entrypoints.app").build_runtime(
        RuntimeSettings(var_dir=var_dir)
    )
    return runtime.metadata  # the service's tables and the kit's, every module's declared


@asynccontextmanager
async def _empty_database(url: str) -> AsyncIterator[Database]:
    schema = f"m_{uuid4().hex[:12]}"
    db = Database(url, schema=schema)
    try:
        yield db
    finally:
        if not db.is_sqlite:
            async with db.engine.begin() as connection:
                await connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        await db.dispose()


def _differences(connection: Connection, metadata: MetaData, schema: str | None) -> list[Any]:
    if schema is not None:
        connection.execute(text(f'SET search_path TO "{schema}"'))
    context = MigrationContext.configure(
        connection,
        opts={
            "compare_type": True,
            "include_name": lambda name, kind, _parent: not (kind == "table" and name == VERSION_TABLE),
        },
    )
    return list(compare_metadata(context, metadata))


def _previous_release(connection: Connection, service: str, schema: str | None, metadata: MetaData) -> None:
    """The schema the release before migrations made: the baseline's tables, without a version table."""
    location = migrations_dir(service)
    assert location is not None
    command.upgrade(alembic_config(location, connection, schema, metadata), BASELINE)
    prefix = f'"{schema}".' if schema else ""
    connection.execute(text(f"DROP TABLE {prefix}{VERSION_TABLE}"))
    # that release created what was missing at each start: a table a later build of it added may be absent
    connection.execute(text(f"DROP TABLE {prefix}processed_events"))


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("service", SERVICES)
async def test_a_database_of_the_previous_release_upgrades_and_keeps_its_rows(
    service: str, backend: str, tmp_path: Path, postgres_base_url: str
) -> None:
    metadata = _metadata(service, tmp_path)
    outbox = KitTables(metadata).outbox
    async with _empty_database(url_for(backend, tmp_path, postgres_base_url)) as db:
        schema = None if db.is_sqlite else db.schema
        async with db.engine.begin() as connection:
            if schema is not None:
                await connection.execute(text(f'CREATE SCHEMA "{schema}"'))
            await connection.run_sync(_previous_release, service, schema, metadata)
            row = {"event_id": str(uuid4()), "topic": "t", "key": b"k", "payload": b"{}", "headers": {}}
            await connection.execute(outbox.insert().values(**row, created_at=datetime.now(UTC)))
        async with db.engine.connect() as connection:
            assert await connection.run_sync(current_revision, schema) is None

        assert await migrate(db, service, metadata) is True
        assert await migrate(db, service, metadata) is True  # again: nothing to do

        async with db.engine.connect() as connection:
            assert await connection.run_sync(current_revision, schema) == head_revision(service)
            assert await connection.run_sync(_differences, metadata, schema) == []
            assert (await connection.execute(select(func.count()).select_from(outbox))).scalar_one() == 1
