"""Prepared statements on PostgreSQL run as asyncpg prepared statements (docs/adr/014) and store and read back
exactly what SQLAlchemy's own execution does (dates, datetimes, JSON, booleans, bytes, decimals), in the
service's own schema, inside the session's transaction, and fail with SQLAlchemy's own errors."""

from __future__ import annotations

from collections.abc import AsyncIterator
from decimal import Decimal

import pytest
from sqlalchemy import (
    insert,
    select,
    text,
)
from sqlalchemy.exc import IntegrityError

from otrcm_shared.runtime.db import Database
from otrcm_shared.runtime.prepared import lookup, upsert
from otrcm_shared.runtime.prepared_pg import pg_connection
from tests.support.databases import isolated_database
from tests.support.prepared_tables import INSERT, ROW, metadata, things

pytestmark = pytest.mark.integration

BY_NAME = lookup(*things.columns, where=("name",), order_by=(things.c.id,))
RENAME = upsert(things, ("id",), ("name",))


@pytest.fixture
async def db(postgres_base_url: str) -> AsyncIterator[Database]:
    async with isolated_database(postgres_base_url, metadata) as database:
        yield database


async def test_values_round_trip_as_sqlalchemy_reads_them(db: Database) -> None:
    async with db.transaction() as session:
        assert await pg_connection(session) is not None  # the fast path is the one under test
        await INSERT.execute(session, ROW)
        await session.execute(insert(things).values({**ROW, "id": 2, "name": "two"}))
    async with db.transaction() as session:
        fast = (await BY_NAME.execute(session, {"name": "two"})).mappings()
        usual = (await session.execute(select(things).where(things.c.name == "one"))).mappings().all()
        row = (await BY_NAME.execute(session, {"name": "one"})).one()
    assert fast == [{**ROW, "id": 2, "name": "two"}]
    assert [dict(found) for found in usual] == [ROW]
    assert (row.name, row.amount, row.facts) == ("one", Decimal("123.45"), ROW["facts"])


async def test_the_rows_are_in_the_service_schema_and_the_transaction(db: Database) -> None:
    async with db.transaction() as session:
        await INSERT.execute(session, ROW)
        changed = await RENAME.execute(session, {"id": 1, "name": "renamed"})
        await session.rollback()
    async with db.transaction() as session:
        assert (await BY_NAME.execute(session, {"name": "one"})).all() == []  # rolled back with the session
        await INSERT.execute(session, ROW)
        in_schema = await session.execute(text(f'SELECT count(*) FROM "{db.schema}".things'))
        assert in_schema.scalar() == 1
    assert changed.rowcount == 1


async def test_a_driver_error_is_sqlalchemy_s_with_the_values_hidden(db: Database) -> None:
    async with db.transaction() as session:
        await INSERT.execute(session, ROW)
    with pytest.raises(IntegrityError) as raised:
        async with db.transaction() as session:
            await INSERT.execute(session, {**ROW, "name": "secret-name"})
    assert "secret-name" not in str(raised.value)
    async with db.transaction() as session:
        assert len((await BY_NAME.execute(session, {"name": "one"})).all()) == 1
