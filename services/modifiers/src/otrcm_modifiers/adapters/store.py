"""The modifiers service's state: each beneficiary's threshold accrual, each day's latest version, and
the newest status revision applied per claim."""

from __future__ import annotations

from sqlalchemy import JSON, Column, Integer, MetaData, String, Table

metadata = MetaData()

accruals = Table(
    "accruals",
    metadata,
    Column("tenant_id", String(64), primary_key=True),
    Column("beneficiary_key", String(64), primary_key=True),
    Column("state", JSON, nullable=False),
)

day_versions = Table(
    "day_versions",
    metadata,
    Column("tenant_id", String(64), primary_key=True),
    Column("day_key", String(200), primary_key=True),
    Column("units_revision", Integer, nullable=False),
    Column("gate_revision", Integer, nullable=False),
    Column("version", Integer, nullable=False),
    Column("line_keys", JSON, nullable=False, default=list),  # the lines accrued for the day's latest version
)

# The newest ClaimStatusChanged revision applied per claim (docs/adr/010: applied only when it supersedes).
claim_revisions = Table(
    "claim_revisions",
    metadata,
    Column("tenant_id", String(64), primary_key=True),
    Column("claim_id", String(40), primary_key=True),
    Column("revision", Integer, nullable=False),
)

reference_alerts = Table(
    "reference_alerts",
    metadata,
    Column("tenant_id", String(64), primary_key=True),
    Column("dataset", String(100), primary_key=True),
    Column("year", Integer, primary_key=True),
    Column("carried_version", String(100), nullable=False),
)
