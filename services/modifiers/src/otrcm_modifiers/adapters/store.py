"""The modifiers service's state: each beneficiary's threshold accrual, each day's latest version, and
the newest status revision applied per claim."""

from __future__ import annotations

from sqlalchemy import JSON, Column, Date, Integer, MetaData, String, Table

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

# Each day's latest cleared verdict and what its latest ready-lines version billed (line key -> modifiers and units),
# so that a later day is evaluated again when an earlier one changes its KX decision (issue 19 item 3; new table).
judged_days = Table(
    "judged_days",
    metadata,
    Column("tenant_id", String(64), primary_key=True),
    Column("day_key", String(200), primary_key=True),
    Column("patient_key", String(64), nullable=False, index=True),
    Column("date_of_service", Date, nullable=False),
    Column("judged", JSON, nullable=False),  # the DayJudged payload (cleared)
    Column("billed", JSON, nullable=False),  # {line_key: [modifiers..., units]} of ready lines; held lines: "held"
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
