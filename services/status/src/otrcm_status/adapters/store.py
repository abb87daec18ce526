"""The status service's tables: each day's facts (the state the rules derive from), and the read models the
front door asks for (encounters with their status, claims with theirs and their history, plans of care,
authorizations, alerts). Ids, codes, dates and amounts; no names, birth dates, member ids or free text."""

from __future__ import annotations

from sqlalchemy import JSON, Column, Date, DateTime, Integer, MetaData, String, Table

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

# Every step of every claim (otrcm.claims.status-changed.v2), one row per revision: the claim's history.
claim_steps = Table(
    "claim_steps",
    metadata,
    Column("tenant_id", String(64), primary_key=True),
    Column("claim_id", String(64), primary_key=True),
    Column("revision", Integer, primary_key=True),
    Column("occurred_at", DateTime(timezone=True), nullable=False),
    Column("step", JSON, nullable=False),  # the ClaimStatusChanged payload as plain data
)

# Which claim a replacement (CLM05-3 7) or void (8) corrects, from its steps' ``replaces_claim_id``: a claim's
# answer names what it corrects and what corrected it (original -> replacement).
claim_corrections = Table(
    "claim_corrections",
    metadata,
    Column("tenant_id", String(64), primary_key=True),
    Column("claim_id", String(64), primary_key=True),
    Column("replaces_claim_id", String(64), nullable=False, index=True),
    Column("frequency", String(1), nullable=False),
)

# Each billing day's date, discipline, payer, encounters and the gate's verdicts (domain.billing_days.BillingDay),
# for the plans, authorizations and the worklist's locations.
billing_days = Table(
    "billing_days",
    metadata,
    Column("tenant_id", String(64), primary_key=True),
    Column("day_key", String(200), primary_key=True),
    Column("patient_key", String(64), nullable=False, index=True),
    Column("record", JSON, nullable=False),
)

# Every recorded plan-of-care step (domain.plan_record.StepFact, without free text), per plan.
plans_of_care = Table(
    "plans_of_care",
    metadata,
    Column("tenant_id", String(64), primary_key=True),
    Column("plan_id", String(64), primary_key=True),
    Column("patient_key", String(64), nullable=False, index=True),
    Column("steps", JSON, nullable=False),
)

# Each authorization as last recorded (the record that occurred last wins).
authorizations = Table(
    "authorizations",
    metadata,
    Column("tenant_id", String(64), primary_key=True),
    Column("authorization_id", String(64), primary_key=True),
    Column("patient_key", String(64), nullable=False, index=True),
    Column("payer_id", String(64), nullable=False),
    Column("unit", String(10), nullable=False),
    Column("authorized", Integer, nullable=False),
    Column("start_date", Date, nullable=False),
    Column("end_date", Date, nullable=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    Column("event_id", String(64), nullable=False),
)

# Every alert raised (once per condition).
alerts = Table(
    "alerts",
    metadata,
    Column("tenant_id", String(64), primary_key=True),
    Column("condition_id", String(300), primary_key=True),
    Column("kind", String(64), nullable=False),
    Column("subject_id", String(200), nullable=False),
    Column("patient_key", String(64), nullable=True),
    Column("message", String(2000), nullable=False),
    Column("due_on", Date, nullable=True),
    Column("dataset", String(100), nullable=True),
    Column("year", Integer, nullable=True),
    Column("raised_at", DateTime(timezone=True), nullable=False),
)
