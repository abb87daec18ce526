"""The runtime kit's tables, added to each service's own MetaData: inbox and outbox."""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    DateTime,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
)

# SQLite only auto-increments an INTEGER PRIMARY KEY.
_Id = BigInteger().with_variant(Integer(), "sqlite")


class KitTables:
    """``processed_events`` (the inbox) and ``outbox``, declared on a service's metadata."""

    def __init__(self, metadata: MetaData) -> None:
        self.metadata = metadata
        self.statements: dict[tuple[str, str], Any] = {}  # the kit's statements, built once per dialect
        if "outbox" in metadata.tables:  # declared already (one metadata, several runtimes in a process)
            self.processed_events = metadata.tables["processed_events"]
            self.outbox = metadata.tables["outbox"]
            return
        self.processed_events = Table(
            "processed_events",
            metadata,
            Column("consumer", String(100), primary_key=True),
            Column("event_id", String(36), primary_key=True),
            Column("processed_at", DateTime(timezone=True), nullable=False),
        )
        self.outbox = Table(
            "outbox",
            metadata,
            Column("id", _Id, primary_key=True, autoincrement=True),
            Column("event_id", String(36), nullable=False, unique=True),
            Column("topic", String(249), nullable=False),
            Column("key", LargeBinary, nullable=False),
            Column("payload", LargeBinary, nullable=False),
            Column("headers", JSON, nullable=False),
            Column("created_at", DateTime(timezone=True), nullable=False),
            Column("published_at", DateTime(timezone=True), nullable=True),
        )
        Index(
            "ix_outbox_pending",
            self.outbox.c.id,
            postgresql_where=self.outbox.c.published_at.is_(None),
            sqlite_where=self.outbox.c.published_at.is_(None),
        )
