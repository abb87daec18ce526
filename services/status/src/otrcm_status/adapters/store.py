"""The status service's tables: each day's facts (the state the rules derive from), and the read models the
front door asks for (encounters with their status, claims with theirs)."""

from __future__ import annotations

from sqlalchemy import JSON, Column, DateTime, Integer, MetaData, String, Table

metadata = MetaData()

# The newest fact of each stream about a day (domain.day_facts.DayFacts as plain data).
days = Table(
    "days",
    metadata,
    Column("tenant_id", String(64), primary_key=True),
    Column("day_key", String(200), primary_key=True),
    Column("facts", JSON, nullable=False),
)

# Read model: every encounter's status, with its detail (reasons per held line, the claim) and revision.
encounter_status = Table(
    "encounter_status",
    metadata,
    Column("tenant_id", String(64), primary_key=True),
    Column("encounter_id", String(64), primary_key=True),
    Column("day_key", String(200), nullable=False),
    Column("patient_key", String(36), nullable=False),
    Column("status", String(40), nullable=False),
    Column("detail", JSON, nullable=False),
    Column("claim_id", String(64), nullable=True, index=True),
    Column("revision", Integer, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

# Read model: every claim's newest step as the status service applied it.
claim_status = Table(
    "claim_status",
    metadata,
    Column("tenant_id", String(64), primary_key=True),
    Column("claim_id", String(64), primary_key=True),
    Column("status", String(40), nullable=False),
    Column("revision", Integer, nullable=False),
    Column("contract", Integer, nullable=False),
    Column("payer_id", String(64), nullable=False),
    Column("day_keys", JSON, nullable=False),
    Column("encounter_ids", JSON, nullable=False),
    Column("reasons", JSON, nullable=False),
    Column("denial_category", String(64), nullable=True),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)
