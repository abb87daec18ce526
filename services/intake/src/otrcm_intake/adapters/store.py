"""Intake's tables: API keys, patient keys, and what was accepted (for idempotency and status)."""

from __future__ import annotations

from sqlalchemy import JSON, Boolean, Column, Date, DateTime, MetaData, String, Table

metadata = MetaData()

api_keys = Table(
    "api_keys",
    metadata,
    Column("key_hash", String(64), primary_key=True),
    Column("tenant_id", String(64), nullable=False, index=True),
    Column("key_prefix", String(16), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("revoked_at", DateTime(timezone=True), nullable=True),
)

# The client's patient id stays here; every event carries the opaque patient key instead.
patient_keys = Table(
    "patient_keys",
    metadata,
    Column("tenant_id", String(64), primary_key=True),
    Column("patient_id", String(64), primary_key=True),
    Column("patient_key", String(36), nullable=False, unique=True),
)

# What the door accepted. ``status`` stays "received": every later status is the status service's (docs/adr/011).
encounters = Table(
    "encounters",
    metadata,
    Column("tenant_id", String(64), primary_key=True),
    Column("encounter_id", String(64), primary_key=True),
    Column("content_hash", String(64), nullable=False),
    Column("event_id", String(36), nullable=False),
    Column("patient_key", String(36), nullable=False),
    Column("status", String(40), nullable=False),
    Column("status_detail", JSON, nullable=False),
    Column("received_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

# Patients, plans and authorizations: the latest accepted content's hash, for idempotency and isolation.
records = Table(
    "records",
    metadata,
    Column("tenant_id", String(64), primary_key=True),
    Column("kind", String(20), primary_key=True),
    Column("record_id", String(64), primary_key=True),
    Column("content_hash", String(64), nullable=False),
    Column("patient_key", String(36), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

# The billing providers registered to each tenant. The NPI is the key: one billing NPI belongs to one tenant.
billing_providers = Table(
    "billing_providers",
    metadata,
    Column("npi", String(10), primary_key=True),
    Column("tenant_id", String(64), nullable=False, index=True),
    Column("tin", String(9), nullable=False, index=True),
    Column("active", Boolean, nullable=False),
    Column("location_ids", JSON, nullable=False),
    Column("content_hash", String(64), nullable=False),
    Column("registration", JSON, nullable=False),  # the BillingProviderRegistered payload (organisational data)
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

# Which payers each recorded patient is covered by (from the latest patient record), for the door's checks.
patient_coverages = Table(
    "patient_coverages",
    metadata,
    Column("tenant_id", String(64), primary_key=True),
    Column("patient_id", String(64), primary_key=True),
    Column("payer_id", String(64), primary_key=True),
)

# What each plan's creation fixed, so the door checks its later steps as poc will (shared plan-step rules).
plan_facts = Table(
    "plan_facts",
    metadata,
    Column("tenant_id", String(64), primary_key=True),
    Column("plan_id", String(64), primary_key=True),
    Column("evaluation_date", Date, nullable=False),
    Column("low_vision", Boolean, nullable=False),
    Column("is_iep", Boolean, nullable=False),
)
