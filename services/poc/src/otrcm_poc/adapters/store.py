"""The poc service's state: plans (and IEPs), authorizations, and the gate's verdict per billing day."""

from __future__ import annotations

from sqlalchemy import JSON, Column, DateTime, Integer, MetaData, String, Table

metadata = MetaData()

plans = Table(
    "plans",
    metadata,
    Column("tenant_id", String(64), primary_key=True),
    Column("plan_id", String(64), primary_key=True),
    Column("patient_key", String(64), nullable=False, index=True),
    Column("kind", String(10), nullable=False),  # "plan" or "iep"
    Column("state", JSON, nullable=False),
)

authorizations = Table(
    "authorizations",
    metadata,
    Column("tenant_id", String(64), primary_key=True),
    Column("authorization_id", String(64), primary_key=True),
    Column("patient_key", String(64), nullable=False, index=True),
    Column("state", JSON, nullable=False),
)

billing_days = Table(
    "gated_days",
    metadata,
    Column("tenant_id", String(64), primary_key=True),
    Column("day_key", String(200), primary_key=True),
    Column("patient_key", String(64), nullable=False, index=True),
    Column("units_revision", Integer, nullable=False),
    Column("gate_revision", Integer, nullable=False),
    Column("status", String(10), nullable=False),  # "cleared" or "held"
    Column("reasons", JSON, nullable=False),
    Column("day", JSON, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

alerts_raised = Table(
    "alerts_raised",
    metadata,
    Column("tenant_id", String(64), primary_key=True),
    Column("condition_id", String(200), primary_key=True),
    Column("raised_at", DateTime(timezone=True), nullable=False),
)
