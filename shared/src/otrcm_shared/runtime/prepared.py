"""Statements built once and compiled once per dialect, for the hot path.

SQLAlchemy spends far more time building, keying and executing a Core statement than SQLite spends running it
(a keyed lookup costs tens of microseconds there, a few on the driver). A :class:`Prepared` statement is built
once (with ``bindparam`` placeholders), compiled once per dialect, and on the embedded SQLite runs straight on
the transaction's own driver connection, through the same type conversions SQLAlchemy applies (dates,
datetimes, JSON, booleans), so what is stored and what is read back are the same either way. On PostgreSQL it
runs as asyncpg's prepared statement (:mod:`.prepared_pg`); on any other driver the session executes it as
usual. See docs/adr/014-sqlite-on-the-loop-thread.md.
"""

from __future__ import annotations

import sqlite3
import weakref
from collections import namedtuple
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Table, bindparam, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql import Executable

from otrcm_shared.runtime.prepared_pg import PgCompiled, compile_for_pg, pg_connection, run_pg, schemas_of
from otrcm_shared.runtime.rows import Rows

__all__ = ["Prepared", "Rows", "driver_connection", "execute_many", "insert_many", "lookup", "upsert"]

_DRIVER = "otrcm.sqlite3"  # session.info key: the transaction's sqlite3 connection
_SQLITE = "otrcm.sqlite3+dialect"  # session.info key: that connection and the engine's dialect, or None


@dataclass(frozen=True, slots=True)
class _Compiled:
    """One statement compiled for SQLite: its text, parameter order, converters and result shape."""

    sql: str
    names: tuple[str, ...]
    defaults: Mapping[str, Any]
    required: frozenset[str]
    bind: Mapping[str, Callable[[Any], Any]]
    keys: tuple[str, ...]
    results: tuple[Callable[[Any], Any] | None, ...]
    row: type[tuple[Any, ...]] | None
    converters: tuple[Callable[[Any], Any] | None, ...]  # ``bind`` per name of ``names``, in order
    converts_results: bool  # any of ``results`` is not None


class Prepared:
    """A Core statement (or a builder taking the dialect's name, for dialect-specific forms such as upserts)
    with ``bindparam`` placeholders, executed with a mapping of their values."""

    def __init__(self, statement: Executable | Callable[[str], Executable]) -> None:
        self._build = statement if callable(statement) and not isinstance(statement, Executable) else None
        self._statement = statement if isinstance(statement, Executable) else None
        self._by_dialect: dict[str, Executable] = {}
        self._compiled: weakref.WeakKeyDictionary[Dialect, _Compiled | None] = weakref.WeakKeyDictionary()
        self._on_pg: weakref.WeakKeyDictionary[Dialect, PgCompiled | None] = weakref.WeakKeyDictionary()
        self._last_dialect: Dialect | None = None  # the dialect last run on, and its compiled form
        self._last_compiled: _Compiled | None = None

    def statement(self, dialect_name: str) -> Executable:
        """The statement for ``dialect_name`` (built on first use)."""
        if self._statement is not None:
            return self._statement
        built = self._by_dialect.get(dialect_name)
        if built is None:
            assert self._build is not None
            built = self._by_dialect[dialect_name] = self._build(dialect_name)
        return built

    async def execute(self, session: AsyncSession, params: Mapping[str, Any] | None = None) -> Rows:
        """Run the statement in the session's transaction."""
        on_sqlite = session.info.get(_SQLITE, _MISSING)
        if on_sqlite is _MISSING:
            on_sqlite = await _sqlite_of(session)
        if on_sqlite is not None:
            connection, dialect = on_sqlite
            compiled = self._last_compiled if dialect is self._last_dialect else self._remember(dialect)
            if compiled is not None:
                return _run(connection, compiled, params or {})
        else:
            dialect = session.get_bind().dialect
            adapted = await pg_connection(session)
            on_pg = self._pg_compiled_for(session, dialect) if adapted is not None else None
            if on_pg is not None:
                return Rows(*await run_pg(adapted, dialect, on_pg, params or {}))
        # a form only SQLAlchemy expands (IN lists), or a driver without a fast path
        return _rows_of(await session.execute(self.statement(dialect.name), dict(params or {})))

    def _pg_compiled_for(self, session: AsyncSession, dialect: Dialect) -> PgCompiled | None:
        """The statement compiled for this PostgreSQL engine (its dialect and its schema map), once."""
        compiled = self._on_pg.get(dialect, _MISSING)
        if compiled is _MISSING:
            compiled = self._on_pg[dialect] = compile_for_pg(self.statement(dialect.name), dialect, schemas_of(session))
        return compiled  # type: ignore[no-any-return]

    def _remember(self, dialect: Dialect) -> _Compiled | None:
        """``compiled_for`` the dialect, kept at hand for the next run (one engine's dialect per service)."""
        compiled = self.compiled_for(dialect)
        self._last_dialect, self._last_compiled = dialect, compiled
        return compiled

    def compiled_for(self, dialect: Dialect) -> _Compiled | None:
        """The statement compiled for ``dialect`` (once); None when only SQLAlchemy can run it."""
        compiled = self._compiled.get(dialect, _MISSING)  # per engine's dialect (its JSON codec), while it lives
        if compiled is _MISSING:
            compiled = self._compiled[dialect] = _compile(self.statement(dialect.name), dialect)
        return compiled  # type: ignore[no-any-return]


def _rows_of(result: Any) -> Rows:
    """SQLAlchemy's result, read at once."""
    if not result.returns_rows:
        return Rows((), [], result.rowcount)
    return Rows(tuple(result.keys()), list(result.all()), result.rowcount)


_MISSING: Any = object()


async def driver_connection(session: AsyncSession) -> sqlite3.Connection | None:
    """The sqlite3 connection under the session's transaction (None on any other database); looked up once per
    session."""
    found = session.info.get(_DRIVER, _MISSING)
    if found is not _MISSING:
        return found  # type: ignore[no-any-return]
    if session.get_bind().dialect.name != "sqlite":
        session.info[_DRIVER] = None
        return None
    connection = await session.connection()
    pooled = await connection.get_raw_connection()
    raw = getattr(pooled.driver_connection, "_conn", None)
    session.info[_DRIVER] = raw if isinstance(raw, sqlite3.Connection) else None
    return session.info[_DRIVER]  # type: ignore[no-any-return]


async def _sqlite_of(session: AsyncSession) -> tuple[sqlite3.Connection, Dialect] | None:
    """The transaction's sqlite3 connection with the engine's dialect (None on any other database); once per
    session."""
    connection = await driver_connection(session)
    found = None if connection is None else (connection, session.get_bind().dialect)
    session.info[_SQLITE] = found
    return found


def _compile(statement: Executable, dialect: Dialect) -> _Compiled | None:
    compiled: Any = statement.compile(dialect=dialect)  # type: ignore[attr-defined]
    sql = compiled.string
    if "POSTCOMPILE" in sql or compiled.positiontup is None:
        return None
    result_columns = compiled._result_columns  # (key, name, objects, type) per selected or returned column
    keys = tuple(column[0] for column in result_columns)
    results = tuple(column[3]._cached_result_processor(dialect, None) for column in result_columns)
    row = namedtuple("Row", keys, rename=True) if keys else None
    return _Compiled(
        sql=sql,
        names=tuple(compiled.positiontup),
        defaults=compiled.construct_params(_check=False),
        required=_required(compiled),
        bind=dict(compiled._bind_processors),
        keys=keys,
        results=results,
        row=row,
        converters=tuple(compiled._bind_processors.get(name) for name in compiled.positiontup),
        converts_results=any(results),
    )


def _required(compiled: Any) -> frozenset[str]:
    """The names of the placeholders that have no value of their own."""
    return frozenset(name for name, bind in compiled.binds.items() if bind.required)


def _value(compiled: _Compiled, params: Mapping[str, Any], name: str) -> Any:
    if name in params:
        value = params[name]
    elif name in compiled.required:
        raise KeyError(f"the statement needs a value for '{name}'")
    else:
        value = compiled.defaults.get(name)
    convert = compiled.bind.get(name)
    return convert(value) if convert is not None else value  # processors take None as SQLAlchemy does


def _values(compiled: _Compiled, params: Mapping[str, Any]) -> list[Any]:
    """The statement's parameters in order, converted as SQLAlchemy converts them."""
    try:
        given = [params[name] for name in compiled.names]
    except KeyError:  # a placeholder with a default of its own, or a value missing: the careful way
        return [_value(compiled, params, name) for name in compiled.names]
    return [
        value if convert is None else convert(value) for convert, value in zip(compiled.converters, given, strict=True)
    ]


def _run(connection: sqlite3.Connection, compiled: _Compiled, params: Mapping[str, Any]) -> Rows:
    return _run_text(connection, compiled, compiled.sql, _values(compiled, params))


def _run_text(connection: sqlite3.Connection, compiled: _Compiled, sql: str, values: Sequence[Any]) -> Rows:
    cursor = connection.execute(sql, values)
    if compiled.row is None:
        return Rows((), [], cursor.rowcount)
    fetched = cursor.fetchall()
    results = compiled.results
    make = compiled.row._make  # type: ignore[attr-defined]
    if compiled.converts_results:
        rows = [
            make([value if convert is None else convert(value) for convert, value in zip(results, raw, strict=True)])
            for raw in fetched
        ]
    else:
        rows = [make(raw) for raw in fetched]
    return Rows(compiled.keys, rows, cursor.rowcount)


async def insert_many(session: AsyncSession, prepared: Prepared, rows: Sequence[Mapping[str, Any]]) -> Rows:
    """Run a one-row INSERT (``VALUES (?, ...)``, maybe ``ON CONFLICT ... RETURNING``) for many rows with one
    multi-row statement on SQLite (in chunks within its variable limit); elsewhere SQLAlchemy's own many-rows
    form. RETURNING rows come back in no particular order."""
    if not rows:
        return Rows((), [], 0)
    connection = await driver_connection(session)
    dialect = session.get_bind().dialect
    if connection is None:
        return _rows_of(await session.execute(prepared.statement(dialect.name), [dict(row) for row in rows]))
    compiled = prepared.compiled_for(dialect)
    assert compiled is not None, "a prepared INSERT compiles without expansion"
    width = len(compiled.names)
    group = "(" + ", ".join("?" * width) + ")"
    head, found_group, tail = compiled.sql.partition(" VALUES " + group)
    assert found_group, "insert_many needs a one-row INSERT ... VALUES (?, ...)"
    chunk = max(1, 32_000 // width)
    collected: list[Any] = []
    count = 0
    for start in range(0, len(rows), chunk):
        part = rows[start : start + chunk]
        values: list[Any] = []
        for row in part:
            values += _values(compiled, row)
        sql = f"{head} VALUES {', '.join([group] * len(part))}{tail}"
        stored = _run_text(connection, compiled, sql, values)
        collected += stored.all()
        count += stored.rowcount
    return Rows(compiled.keys, collected, count)


async def execute_many(session: AsyncSession, prepared: Prepared, rows: Sequence[Mapping[str, Any]]) -> None:
    """Run a statement without RESULT rows once per mapping (``executemany`` on the SQLite connection)."""
    connection = await driver_connection(session)
    dialect = session.get_bind().dialect
    compiled = prepared.compiled_for(dialect) if connection is not None else None
    if connection is None or compiled is None:
        await session.execute(prepared.statement(dialect.name), [dict(row) for row in rows])
        return
    connection.executemany(compiled.sql, [_values(compiled, row) for row in rows])


def upsert(table: Table, keys: Sequence[str], values: Sequence[str], *, insert_only: Sequence[str] = ()) -> Prepared:
    """INSERT the row (each column a placeholder of its own name); when its ``keys`` exist, set ``values`` from
    the new row instead (``insert_only`` columns keep what the first insert stored)."""

    def build(dialect: str) -> Any:
        insert_of = postgresql.insert if dialect == "postgresql" else sqlite.insert
        columns = [*keys, *values, *insert_only]
        insert = insert_of(table).values({name: bindparam(name) for name in columns})
        changes = {name: insert.excluded[name] for name in values}
        return insert.on_conflict_do_update(index_elements=list(keys), set_=changes)

    return Prepared(build)


def lookup(*columns: ColumnElement[Any], where: Sequence[str], order_by: Sequence[Any] = ()) -> Prepared:
    """SELECT ``columns`` of their table where each named column equals the placeholder of its own name."""
    table = columns[0].table
    conditions = [table.c[name] == bindparam(name) for name in where]
    return Prepared(select(*columns).where(*conditions).order_by(*order_by))
