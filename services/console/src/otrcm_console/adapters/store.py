"""The console's own tables (schema ``console``): its users, their sessions, the API key it uses for each tenant,
and its access audit. Passwords only as argon2 hashes; session tokens only as SHA-256 hashes."""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, DateTime, Integer, MetaData, String, Table

metadata = MetaData()

users = Table(
    "users",
    metadata,
    Column("tenant_id", String(64), primary_key=True),
    Column("username", String(64), primary_key=True),
    Column("role", String(20), nullable=False),
    Column("password_hash", String(200), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

sessions = Table(
    "sessions",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("tenant_id", String(64), nullable=False),
    Column("username", String(64), nullable=False),
    Column("role", String(20), nullable=False),
    Column("csrf_token", String(64), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("last_seen", DateTime(timezone=True), nullable=False),
)

# The intake API key the console uses for a tenant (read and submit scopes): a secret, readable by whoever reads
# this database; keep the database's credentials as you keep the key's.
tenant_keys = Table(
    "tenant_keys",
    metadata,
    Column("tenant_id", String(64), primary_key=True),
    Column("api_key", String(200), nullable=False),
)

# Every sign-in (and failed one), sign-out and view of a page that shows a patient's record: who, what, when.
access_audit = Table(
    "access_audit",
    metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("tenant_id", String(64), nullable=False),
    Column("username", String(64), nullable=False),
    Column("action", String(40), nullable=False),
    Column("resource_kind", String(40), nullable=True),
    Column("resource_id", String(64), nullable=True),
    Column("at", DateTime(timezone=True), nullable=False),
)
