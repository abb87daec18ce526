"""PostgreSQL's side of :mod:`.prepared`: a statement compiled once per engine runs as an asyncpg prepared
statement on the transaction's own connection, without SQLAlchemy's per-execution work (docs/adr/014).

What SQLAlchemy's asyncpg dialect would do is kept: the service's schema is rendered into the text once (the
engine's ``schema_translate_map``), values pass the same bind processors, the statement joins the transaction
the session began (it begins it when the statement is the first), asyncpg's prepared statement is the one the
dialect caches for the same text, results pass the same result processors (chosen by the columns' type ids,
as the dialect does), and a driver error becomes the same ``sqlalchemy.exc`` error (IntegrityError,
OperationalError ...), with the parameters hidden: they may be PHI.
"""

from __future__ import annotations

import re
from collections import namedtuple
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import event, exc
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session
from sqlalchemy.sql import Executable

_ADAPTED = "otrcm.asyncpg"  # session.info key: whether the session's driver is asyncpg
_CONNECTION = "otrcm.asyncpg.connection"  # session.info key: the adapter connection of the open transaction
_ROW_COUNT = re.compile(r"(?:SELECT|UPDATE|DELETE|INSERT \d+) (\d+)")


@dataclass(slots=True)
class PgCompiled:
    """One statement compiled for one PostgreSQL engine: text with the schema in it, parameter order and
    converters; the result converters are chosen on the first run, from the columns' type ids."""

    sql: str
    names: tuple[str, ...]
    defaults: Mapping[str, Any]
    required: frozenset[str]
    bind: Mapping[str, Callable[[Any], Any]]
    keys: tuple[str, ...]
    types: tuple[Any, ...]
    row: type[tuple[Any, ...]] | None
    results: tuple[Callable[[Any], Any] | None, ...] | None = field(default=None)


def compile_for_pg(statement: Executable, dialect: Dialect, schemas: Mapping[Any, Any] | None) -> PgCompiled | None:
    """``statement`` compiled for the asyncpg dialect with the engine's schema map; None when only SQLAlchemy
    can run it (expanding IN lists)."""
    compiled: Any = statement.compile(  # type: ignore[attr-defined]
        dialect=dialect, schema_translate_map=dict(schemas or {}) or None, render_schema_translate=bool(schemas)
    )
    sql = compiled.string
    if "POSTCOMPILE" in sql or compiled.positiontup is None:
        return None
    columns = compiled._result_columns  # (key, name, objects, type) per selected or returned column
    keys = tuple(column[0] for column in columns)
    return PgCompiled(
        sql=sql,
        names=tuple(compiled.positiontup),
        defaults=compiled.construct_params(_check=False),
        required=frozenset(name for name, bind in compiled.binds.items() if bind.required),
        bind=dict(compiled._bind_processors),
        keys=keys,
        types=tuple(column[3] for column in columns),
        row=namedtuple("Row", keys, rename=True) if keys else None,
    )


async def pg_connection(session: AsyncSession) -> Any | None:
    """The asyncpg adapter connection under the session's transaction (None on any other driver); looked up once
    per transaction (the session may take another pooled connection for its next one)."""
    found = session.info.get(_CONNECTION)
    if found is not None:
        return found
    usable = session.info.get(_ADAPTED)
    if usable is None:
        usable = session.info[_ADAPTED] = session.get_bind().dialect.driver == "asyncpg"
    if not usable:
        return None
    connection = await session.connection()
    pooled = await connection.get_raw_connection()
    adapted = pooled.dbapi_connection
    if not all(hasattr(adapted, name) for name in ("_prepare", "_start_transaction", "_execute_mutex")):
        session.info[_ADAPTED] = False
        return None
    session.info[_CONNECTION] = adapted
    return adapted


@event.listens_for(Session, "after_transaction_end")
def _forget_connection(session: Session, _transaction: Any) -> None:
    """A transaction ended (committed, rolled back, or a savepoint's): the next statement looks again."""
    session.info.pop(_CONNECTION, None)


def schemas_of(session: AsyncSession) -> Mapping[Any, Any] | None:
    """The engine's ``schema_translate_map`` (each service's own schema)."""
    options: Mapping[str, Any] = session.get_bind().get_execution_options()
    return options.get("schema_translate_map")


def _value(compiled: PgCompiled, params: Mapping[str, Any], name: str) -> Any:
    if name in params:
        value = params[name]
    elif name in compiled.required:
        raise KeyError(f"the statement needs a value for '{name}'")
    else:
        value = compiled.defaults.get(name)
    convert = compiled.bind.get(name)
    return convert(value) if convert is not None else value


async def run_pg(
    adapted: Any, dialect: Dialect, compiled: PgCompiled, params: Mapping[str, Any]
) -> tuple[tuple[str, ...], list[Any], int]:
    """Run the statement in the adapter's transaction: (column keys, rows, row count)."""
    values = [_value(compiled, params, name) for name in compiled.names]
    async with adapted._execute_mutex:
        try:
            if adapted._transaction is None:
                await adapted._start_transaction()
            prepared, attributes = await adapted._prepare(compiled.sql, 0)
            fetched = await prepared.fetch(*values)
            status = prepared.get_statusmsg() or ""
        except Exception as error:
            raise _translated(adapted, dialect, compiled.sql, error) from error
    counted = _ROW_COUNT.match(status)
    rowcount = int(counted.group(1)) if counted else -1
    if compiled.row is None:
        return (), [], rowcount
    return compiled.keys, _rows(dialect, compiled, attributes, fetched), rowcount


def _rows(dialect: Dialect, compiled: PgCompiled, attributes: Sequence[Any], fetched: Sequence[Any]) -> list[Any]:
    if compiled.results is None:  # chosen once, as the dialect chooses them: by the column's type id
        compiled.results = tuple(
            kind._cached_result_processor(dialect, attribute.type.oid)
            for kind, attribute in zip(compiled.types, attributes, strict=True)
        )
    make = compiled.row._make  # type: ignore[union-attr]
    results = compiled.results
    if any(results):
        return [
            make([value if convert is None else convert(value) for convert, value in zip(results, raw, strict=True)])
            for raw in fetched
        ]
    return [make(raw) for raw in fetched]


def _translated(adapted: Any, dialect: Dialect, sql: str, error: Exception) -> Exception:
    """The ``sqlalchemy.exc`` error SQLAlchemy would raise for the driver's ``error`` (parameters hidden)."""
    try:
        adapted._handle_exception(error)  # raises the dialect's DBAPI-level translation
    except Exception as dbapi_error:
        loaded: Any = dialect.loaded_dbapi
        if not isinstance(dbapi_error, loaded.Error):
            return dbapi_error
        translated: Exception = exc.DBAPIError.instance(
            sql,
            None,
            dbapi_error,
            loaded.Error,
            hide_parameters=True,
            connection_invalidated=dialect.is_disconnect(dbapi_error, None, None),
            dialect=dialect,
        )
        return translated
    return error
