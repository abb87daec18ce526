"""Database migrations with Alembic, one history per service (``otrcm_<service>/adapters/migrations/versions``), applied
in the service's own schema (PostgreSQL) or its SQLite file.

``migrate`` brings a database to the newest revision: an empty one from nothing; one made by the release before
migrations (its tables created by ``create_all``, no ``alembic_version``) from the baseline too, whose tables
are created only where missing (that release's schema), and on from there. On PostgreSQL an advisory lock
keeps two instances starting together from migrating at once. ``python -m otrcm_shared.runtime.migrations
SERVICE...`` runs it for the named services (the Kubernetes migration Job); each service also runs it on start.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import importlib.util
import sys
import zlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import MetaData, text
from sqlalchemy.engine import Connection

from otrcm_shared.runtime.db import Database

BASELINE = "0001_baseline"
VERSION_TABLE = "alembic_version"
SERVICES = ("intake", "units", "poc", "modifiers", "claims", "status")


def migrations_dir(service: str) -> Path | None:
    """The service's migration scripts, None for a runtime without any (a test's own consumer)."""
    spec = importlib.util.find_spec(f"otrcm_{service}")
    if spec is None or not spec.submodule_search_locations:
        return None
    found = Path(next(iter(spec.submodule_search_locations))) / "adapters" / "migrations"
    return found if (found / "env.py").exists() else None


def alembic_config(location: Path, connection: Connection, schema: str | None, metadata: MetaData) -> Config:
    config = Config()
    config.set_main_option("script_location", str(location))
    config.attributes.update(connection=connection, schema=schema, metadata=metadata)
    return config


def run_env(context: Any) -> None:
    """The body of every service's ``env.py`` (``context``: alembic's module proxy of the environment): migrate
    on the connection the caller handed over."""
    if not hasattr(context, "config"):
        return  # imported outside Alembic (a tool walking the service's modules): nothing to run
    attributes = context.config.attributes
    connection: Connection = attributes["connection"]
    context.configure(
        connection=connection,
        target_metadata=attributes["metadata"],
        version_table_schema=attributes["schema"],
        render_as_batch=connection.dialect.name == "sqlite",
    )
    context.run_migrations()


def _migrate_sync(connection: Connection, location: Path, schema: str | None, metadata: MetaData) -> None:
    if schema is not None:  # one instance migrates at a time; the lock ends with the transaction
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": zlib.crc32(schema.encode())})
    command.upgrade(alembic_config(location, connection, schema, metadata), "head")


async def migrate(db: Database, service: str, metadata: MetaData) -> bool:
    """Bring the service's database to the newest revision; False when the service has no migrations (then
    its tables are created when missing, as before)."""
    location = migrations_dir(service)
    if location is None:
        await db.create_all(metadata)
        return False
    schema = None if db.is_sqlite else db.schema
    async with db.engine.begin() as connection:
        if schema is not None:
            await connection.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{schema}"'))
        await connection.run_sync(_migrate_sync, location, schema, metadata)
    return True


def current_revision(connection: Connection, schema: str | None) -> str | None:
    return MigrationContext.configure(connection, opts={"version_table_schema": schema}).get_current_revision()


def head_revision(service: str) -> str | None:
    location = migrations_dir(service)
    if location is None:
        return None
    config = Config()
    config.set_main_option("script_location", str(location))
    return ScriptDirectory.from_config(config).get_current_head()


async def _migrate_services(names: Sequence[str]) -> None:
    for name in names:
        runtime: Any = importlib.import_module(f"otrcm_{name}.entrypoints.app").build_runtime()
        try:
            await migrate(runtime.db, name, runtime.metadata)
            print(f"{name}: at {head_revision(name)}")
        finally:
            await runtime.db.dispose()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="otrcm-migrate", description="bring services' databases to the newest")
    parser.add_argument("services", nargs="*", metavar="SERVICE", help=f"any of {', '.join(SERVICES)} (default: all)")
    names = parser.parse_args(argv).services or list(SERVICES)
    unknown = [name for name in names if name not in SERVICES]
    if unknown:
        parser.error(f"unknown service {unknown[0]!r}: one of {', '.join(SERVICES)}")
    asyncio.run(_migrate_services(names))
    return 0


if __name__ == "__main__":
    sys.exit(main())
