"""Prepared statements on the embedded SQLite store and read back exactly what SQLAlchemy's own execution does
(dates, datetimes, JSON, booleans, bytes), take part in the session's transaction, and refuse a missing value."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite

from otrcm_shared.runtime.db import Database
from otrcm_shared.runtime.prepared import Prepared, driver_connection, execute_many, insert_many
from tests.support.prepared_tables import INSERT, ROW, metadata, things

pytestmark = pytest.mark.unit

BY_NAME = Prepared(select(things).where(things.c.name == bindparam("name")).order_by(things.c.id))
ACTIVE_NAMES = Prepared(select(things.c.name).where(things.c.active.is_(True)).order_by(things.c.id))


def _upsert(dialect: str) -> object:
    insert_of = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert_of(things).values(id=bindparam("id"), name=bindparam("name"))
    return statement.on_conflict_do_nothing(index_elements=["id"]).returning(things.c.id)


ADD_IF_NEW = Prepared(_upsert)  # type: ignore[arg-type]


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = Database(f"sqlite+aiosqlite:///{tmp_path / 'prepared.db'}", "prepared")
    await database.create_all(metadata)
    yield database
    await database.dispose()


async def test_values_round_trip_as_sqlalchemy_reads_them(db: Database) -> None:
    async with db.transaction() as session:
        assert await driver_connection(session) is not None  # the fast path is the one under test
        await INSERT.execute(session, ROW)
        await session.execute(insert(things).values({**ROW, "id": 2, "name": "two"}))
    async with db.transaction() as session:
        fast = (await BY_NAME.execute(session, {"name": "two"})).mappings()
        usual = (await session.execute(select(things).where(things.c.name == "one"))).mappings().all()
    assert fast == [{**ROW, "id": 2, "name": "two", "seen_at": ROW["seen_at"].replace(tzinfo=None)}]
    assert [dict(row) for row in usual] == [{**ROW, "seen_at": ROW["seen_at"].replace(tzinfo=None)}]


async def test_rows_read_by_attribute_and_position(db: Database) -> None:
    async with db.transaction() as session:
        await INSERT.execute(session, ROW)
        row = (await BY_NAME.execute(session, {"name": "one"})).one()
        assert (row.name, row.born, row[0]) == ("one", date(2026, 3, 2), 1)
        assert (await ACTIVE_NAMES.execute(session)).scalars() == ["one"]
        assert (await BY_NAME.execute(session, {"name": "nobody"})).one_or_none() is None


async def _insert_then_fail(db: Database) -> None:
    async with db.transaction() as session:
        await INSERT.execute(session, ROW)
        raise RuntimeError("undo")


async def test_a_rolled_back_transaction_keeps_nothing(db: Database) -> None:
    with pytest.raises(RuntimeError):
        await _insert_then_fail(db)
    async with db.transaction() as session:
        assert (await BY_NAME.execute(session, {"name": "one"})).all() == []


async def test_a_missing_value_is_refused_by_name(db: Database) -> None:
    async with db.transaction() as session:
        with pytest.raises(KeyError, match="'name'"):
            await BY_NAME.execute(session, {})


async def test_insert_many_skips_known_rows_and_returns_the_new(db: Database) -> None:
    async with db.transaction() as session:
        first = await insert_many(session, ADD_IF_NEW, [{"id": 1, "name": "a"}, {"id": 2, "name": "b"}])
        again = await insert_many(session, ADD_IF_NEW, [{"id": 2, "name": "b"}, {"id": 3, "name": "c"}])
        names = (await session.execute(select(things.c.name).order_by(things.c.id))).scalars().all()
    assert sorted(first.scalars()) == [1, 2]
    assert again.scalars() == [3]
    assert names == ["a", "b", "c"]


async def test_insert_many_splits_what_exceeds_one_statement(db: Database) -> None:
    rows = [{"id": number, "name": f"n{number}"} for number in range(1, 20_001)]  # 40,000 values: two statements
    async with db.transaction() as session:
        stored = await insert_many(session, ADD_IF_NEW, rows)
    assert len(stored.scalars()) == 20_000


RENAME = Prepared(update(things).where(things.c.id == bindparam("row_id")).values(name=bindparam("new_name")))


async def test_execute_many_runs_the_statement_once_per_row(db: Database) -> None:
    async with db.transaction() as session:
        await insert_many(session, ADD_IF_NEW, [{"id": 1, "name": "a"}, {"id": 2, "name": "b"}, {"id": 3, "name": "c"}])
        await execute_many(session, RENAME, [{"row_id": 1, "new_name": "x"}, {"row_id": 3, "new_name": "z"}])
        names = (await session.execute(select(things.c.name).order_by(things.c.id))).scalars().all()
    assert names == ["x", "b", "z"]


# A placeholder with a value of its own: omitted, it takes that value (the fast path's careful fallback).
FIRST_BY_NAME = Prepared(
    select(things.c.id).where(things.c.name == bindparam("name", value="one")).order_by(things.c.id)
)


async def test_a_placeholder_with_its_own_value_may_be_left_out(db: Database) -> None:
    async with db.transaction() as session:
        await INSERT.execute(session, ROW)
        await INSERT.execute(session, {**ROW, "id": 2, "name": "two"})
        assert (await FIRST_BY_NAME.execute(session)).scalars() == [1]
        assert (await FIRST_BY_NAME.execute(session, {"name": "two"})).scalars() == [2]


async def test_one_statement_runs_on_two_engines_each_with_its_own_form(db: Database, tmp_path: Path) -> None:
    other = Database(f"sqlite+aiosqlite:///{tmp_path / 'other.db'}", "other")
    await other.create_all(metadata)
    try:
        for database, name in ((db, "one"), (other, "two"), (db, "one"), (other, "two")):
            async with database.transaction() as session:
                if not (await BY_NAME.execute(session, {"name": name})).all():
                    await INSERT.execute(session, {**ROW, "name": name})
        for database, name in ((db, "one"), (other, "two")):
            async with database.transaction() as session:
                assert [row.name for row in await BY_NAME.execute(session, {"name": name})] == [name]
                assert (await ACTIVE_NAMES.execute(session)).scalars() == [name]
    finally:
        await other.dispose()
