"""Intake's tables: API keys and their terms, patient keys, what was accepted (for idempotency and status),
the patient details the read API shows, and the audit of every read of them."""

from __future__ import annotations

from sqlalchemy import JSON, BigInteger, Boolean, Column, Date, DateTime, Index, Integer, MetaData, String, Table

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

# What each key may do and until when (domain/key_terms.py). A key without a row here was made before keys
# had terms: it keeps the powers every key had then (submit and read, no expiry), the migration's default.
api_key_terms = Table(
    "api_key_terms",
    metadata,
    Column("key_hash", String(64), primary_key=True),
    Column("scopes", String(64), nullable=False),  # space-separated scope names
    Column("expires_on", Date, nullable=True),  # the first business date the key is refused
    Column("replaced_by", String(12), nullable=True),  # the id of the key a rotation made in its place
)

# Who read a patient's details, what and when: key id, tenant, route, resource kind and id. Never a value read.
phi_access_audit = Table(
    "phi_access_audit",
    metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("tenant_id", String(64), nullable=False),
    Column("key_id", String(12), nullable=False),
    Column("route", String(120), nullable=False),
    Column("resource_kind", String(40), nullable=False),
    Column("resource_id", String(64), nullable=True),
    Column("accessed_at", DateTime(timezone=True), nullable=False),
    Index("phi_access_audit_by_tenant_and_time", "tenant_id", "accessed_at"),
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

# Every version of every encounter as published (revision 1 as first accepted, one more per correction or void),
# with who corrected or voided it and why (kept here only: never published or logged).
encounter_versions = Table(
    "encounter_versions",
    metadata,
    Column("tenant_id", String(64), primary_key=True),
    Column("encounter_id", String(64), primary_key=True),
    Column("revision", Integer, primary_key=True),
    Column("received", JSON, nullable=False),  # the EncounterReceived payload: billing facts, the opaque patient key
    Column("changed_by", String(64), nullable=True),
    Column("reason", String(500), nullable=True),
    Column("key_id", String(12), nullable=True),
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

# The minimum a biller needs to check a claim, from the patient's latest record (GET /v1/patients/{id}):
# name, birth date, and per coverage the payer, the member id masked but its last 4 characters, the dates.
patient_details = Table(
    "patient_details",
    metadata,
    Column("tenant_id", String(64), primary_key=True),
    Column("patient_id", String(64), primary_key=True),
    Column("first_name", String(60), nullable=False),
    Column("last_name", String(60), nullable=False),
    Column("birth_date", Date, nullable=False),
    Column("coverages", JSON, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
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

# The initial certification of each plan as the door accepted it, which later certifying steps are checked
# against with poc's own rules (otrcm_shared.rules.certification_steps).
plan_certifications = Table(
    "plan_certifications",
    metadata,
    Column("tenant_id", String(64), primary_key=True),
    Column("plan_id", String(64), primary_key=True),
    Column("by_verbal_order", Boolean, nullable=False),
    Column("dated_on", Date, nullable=False),
    Column("signed_on", Date, nullable=True),
    Column("certifier_npi", String(10), nullable=False),
    Column("certifier_credential", String(8), nullable=False),
    Column("duration_days", Integer, nullable=True),
)
