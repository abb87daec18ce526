"""Baseline: the schema of the claims service as the release before migrations created it
(create_all), which it creates on an empty database and completes on one of that release.

Revision ID: 0001_baseline
Revises:
Create Date: 2026-11-30
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0001_baseline"
down_revision = None
branch_labels = None
depends_on = None


# A database of the release before migrations has some or all of these tables already (that release created
# what was missing at start): the baseline creates only what is missing, and so brings it to the same schema.
def _create_table(*args: Any, **kwargs: Any) -> None:
    op.create_table(*args, if_not_exists=True, **kwargs)


def _create_index(*args: Any, **kwargs: Any) -> None:
    op.create_index(*args, if_not_exists=True, **kwargs)


def upgrade() -> None:
    _create_table(
        "acknowledgment_files",
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("ingested_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("digest"),
    )
    _create_table(
        "acknowledgment_tenants",
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("digest", "tenant_id"),
    )
    _create_table(
        "billed_days",
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.Column("claim_id", sa.String(length=40), nullable=False),
        sa.Column("group_key", sa.JSON(), nullable=False),
        sa.Column("days", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "claim_id"),
    )
    _create_table(
        "billing_providers",
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.Column("npi", sa.String(length=10), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("registration", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "npi"),
    )
    _create_table(
        "claim_billing_providers",
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.Column("claim_id", sa.String(length=40), nullable=False),
        sa.Column("billing_provider_npi", sa.String(length=10), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "claim_id"),
    )
    _create_table(
        "claim_corrections",
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.Column("claim_id", sa.String(length=40), nullable=False),
        sa.Column("corrects_claim_id", sa.String(length=40), nullable=False),
        sa.Column("frequency", sa.String(length=1), nullable=False),
        sa.Column("requested_by", sa.String(length=64), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("approved_by", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("tenant_id", "claim_id"),
    )
    _create_index(
        op.f("ix_claim_corrections_corrects_claim_id"), "claim_corrections", ["corrects_claim_id"], unique=False
    )
    _create_table(
        "claim_status_changes",
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.Column("claim_id", sa.String(length=40), nullable=False),
        sa.Column("step", sa.Integer(), nullable=False),
        sa.Column("from_status", sa.String(length=20), nullable=False),
        sa.Column("to_status", sa.String(length=20), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("acknowledgment_digest", sa.String(length=64), nullable=True),
        sa.Column("natural_key", sa.String(length=200), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("reverses_step", sa.Integer(), nullable=True),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "claim_id", "step"),
    )
    _create_table(
        "claims",
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.Column("claim_id", sa.String(length=40), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("payer_id", sa.String(length=64), nullable=False),
        sa.Column("patient_key", sa.String(length=64), nullable=False),
        sa.Column("day_keys", sa.JSON(), nullable=False),
        sa.Column("day_versions", sa.JSON(), nullable=False),
        sa.Column("encounter_ids", sa.JSON(), nullable=False),
        sa.Column("lines", sa.JSON(), nullable=False),
        sa.Column("interchange_control_number", sa.Integer(), nullable=True),
        sa.Column("batch_reference", sa.String(length=50), nullable=True),
        sa.Column("segment_text", sa.Text(), nullable=True),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("charge", sa.String(length=20), nullable=False),
        sa.Column("paid", sa.String(length=20), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "claim_id"),
    )
    _create_index(op.f("ix_claims_batch_reference"), "claims", ["batch_reference"], unique=False)
    _create_index(op.f("ix_claims_interchange_control_number"), "claims", ["interchange_control_number"], unique=False)
    _create_index(op.f("ix_claims_status"), "claims", ["status"], unique=False)
    _create_table(
        "control_numbers",
        sa.Column("scope", sa.String(length=200), nullable=False),
        sa.Column("last_value", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("scope"),
    )
    _create_table(
        "eligibility_requests",
        sa.Column("request_id", sa.String(length=20), nullable=False),
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.Column("patient_key", sa.String(length=200), nullable=False),
        sa.Column("payer_id", sa.String(length=100), nullable=False),
        sa.Column("service_date", sa.Date(), nullable=False),
        sa.Column("reason", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("interchange_control_number", sa.Integer(), nullable=True),
        sa.Column("sender_id", sa.String(length=15), nullable=True),
        sa.Column("inquiry_text", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("request_id"),
    )
    _create_table(
        "eligibility_responses",
        sa.Column("request_id", sa.String(length=20), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("facts", sa.JSON(), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("request_id", "digest"),
    )
    _create_table(
        "foreign_acknowledgments",
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("file_name", sa.String(length=255), nullable=True),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("digest"),
    )
    _create_table(
        "interchange_envelopes",
        sa.Column("interchange_control_number", sa.Integer(), nullable=False),
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.Column("sender_qualifier", sa.String(length=2), nullable=False),
        sa.Column("sender_id", sa.String(length=15), nullable=False),
        sa.Column("receiver_qualifier", sa.String(length=2), nullable=False),
        sa.Column("receiver_id", sa.String(length=15), nullable=False),
        sa.Column("group_sender", sa.String(length=15), nullable=False),
        sa.Column("group_receiver", sa.String(length=15), nullable=False),
        sa.Column("group_control_number", sa.Integer(), nullable=False),
        sa.Column("transaction_sets", sa.JSON(), nullable=False),
        sa.Column("batch_reference", sa.String(length=50), nullable=False),
        sa.Column("billing", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("interchange_control_number"),
    )
    _create_index(
        op.f("ix_interchange_envelopes_batch_reference"), "interchange_envelopes", ["batch_reference"], unique=False
    )
    _create_index(
        op.f("ix_interchange_envelopes_group_control_number"),
        "interchange_envelopes",
        ["group_control_number"],
        unique=False,
    )
    _create_table(
        "interchanges",
        sa.Column("interchange_control_number", sa.Integer(), nullable=False),
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.Column("payer_id", sa.String(length=64), nullable=False),
        sa.Column("batch_reference", sa.String(length=50), nullable=False),
        sa.Column("claim_ids", sa.JSON(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("written_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("interchange_control_number"),
        sa.UniqueConstraint("batch_reference"),
    )
    _create_table(
        "outbox",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("event_id", sa.String(length=36), nullable=False),
        sa.Column("topic", sa.String(length=249), nullable=False),
        sa.Column("key", sa.LargeBinary(), nullable=False),
        sa.Column("payload", sa.LargeBinary(), nullable=False),
        sa.Column("headers", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("event_id"),
    )
    _create_index(
        "ix_outbox_pending",
        "outbox",
        ["id"],
        unique=False,
        postgresql_where=sa.text("published_at IS NULL"),
        sqlite_where=sa.text("published_at IS NULL"),
    )
    _create_table(
        "patients",
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.Column("patient_key", sa.String(length=64), nullable=False),
        sa.Column("record", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "patient_key"),
    )
    _create_table(
        "payer_claim_numbers",
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.Column("claim_id", sa.String(length=40), nullable=False),
        sa.Column("number", sa.String(length=50), nullable=False),
        sa.Column("source", sa.String(length=10), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "claim_id"),
    )
    _create_table(
        "processed_events",
        sa.Column("consumer", sa.String(length=100), nullable=False),
        sa.Column("event_id", sa.String(length=36), nullable=False),
        sa.Column("processed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("consumer", "event_id"),
    )
    _create_table(
        "ready_days",
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.Column("day_key", sa.String(length=200), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("patient_key", sa.String(length=64), nullable=False),
        sa.Column("payer_id", sa.String(length=64), nullable=False),
        sa.Column("billing_provider_npi", sa.String(length=20), nullable=False),
        sa.Column("date_of_service", sa.Date(), nullable=False),
        sa.Column("ready", sa.JSON(), nullable=False),
        sa.Column("claimed", sa.Boolean(), nullable=False),
        sa.Column("claim_id", sa.String(length=40), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "day_key"),
    )
    _create_table(
        "secondary_claims",
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.Column("primary_claim_id", sa.String(length=40), nullable=False),
        sa.Column("secondary_payer_id", sa.String(length=64), nullable=False),
        sa.Column("secondary_claim_id", sa.String(length=40), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("posting", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "primary_claim_id"),
    )
    _create_index(
        op.f("ix_secondary_claims_secondary_claim_id"), "secondary_claims", ["secondary_claim_id"], unique=False
    )
    _create_index(op.f("ix_secondary_claims_state"), "secondary_claims", ["state"], unique=False)


def downgrade() -> None:
    # every table of the schema but Alembic's own (dropping a table drops its indexes; none has a foreign key)
    schema = op.get_context().version_table_schema
    for table in sa.inspect(op.get_bind()).get_table_names(schema=schema):
        if table != "alembic_version":
            op.drop_table(table)
