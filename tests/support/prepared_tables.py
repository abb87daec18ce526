"""A table of every column type the services store (dates, datetimes, JSON, booleans, bytes, decimals) and one
row of it, for the prepared-statement tests on SQLite and on PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    Integer,
    LargeBinary,
    MetaData,
    Numeric,
    String,
    Table,
    bindparam,
    insert,
)

from otrcm_shared.runtime.prepared import Prepared

metadata = MetaData()
things = Table(
    "things",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(20), nullable=False),
    Column("born", Date),
    Column("seen_at", DateTime(timezone=True)),
    Column("facts", JSON),
    Column("active", Boolean),
    Column("blob", LargeBinary),
    Column("amount", Numeric(10, 2)),
)
ROW = {
    "id": 1,
    "name": "one",
    "born": date(2026, 3, 2),
    "seen_at": datetime(2026, 11, 30, 9, 15, 30, 123456, tzinfo=UTC),
    "facts": {"codes": ["97530", "97110"], "minutes": 38},
    "active": True,
    "blob": b"\x00\x01key",
    "amount": Decimal("123.45"),
}
INSERT = Prepared(insert(things).values({column.name: bindparam(column.name) for column in things.columns}))
