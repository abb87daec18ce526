"""A fresh, isolated database for one test, on SQLite or PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from uuid import uuid4

from sqlalchemy import MetaData, text

from otrcm_shared.runtime.db import Database

BACKENDS = ("sqlite", "postgresql")


def url_for(backend: str, tmp_path: Path, postgres_base_url: str) -> str:
    if backend == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path / 'test.db'}"
    return postgres_base_url


@asynccontextmanager
async def isolated_database(url: str, metadata: MetaData) -> AsyncIterator[Database]:
    """A Database on its own schema (PostgreSQL) or file (SQLite), dropped afterwards."""
    schema = f"t_{uuid4().hex[:12]}"
    db = Database(url, schema=schema)
    await db.create_all(metadata)
    try:
        yield db
    finally:
        if not db.is_sqlite:
            async with db.engine.begin() as connection:
                await connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        await db.dispose()
