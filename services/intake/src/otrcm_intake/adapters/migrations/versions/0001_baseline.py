"""Baseline: the schema of the intake service as the release before migrations created it
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
        "api_key_terms",
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("scopes", sa.String(length=64), nullable=False),
        sa.Column("expires_on", sa.Date(), nullable=True),
        sa.Column("replaced_by", sa.String(length=12), nullable=True),
        sa.PrimaryKeyConstraint("key_hash"),
    )
    _create_table(
        "api_keys",
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.Column("key_prefix", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("key_hash"),
    )
    _create_index(op.f("ix_api_keys_tenant_id"), "api_keys", ["tenant_id"], unique=False)
    _create_table(
        "billing_providers",
        sa.Column("npi", sa.String(length=10), nullable=False),
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.Column("tin", sa.String(length=9), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("location_ids", sa.JSON(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("registration", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("npi"),
    )
    _create_index(op.f("ix_billing_providers_tenant_id"), "billing_providers", ["tenant_id"], unique=False)
    _create_index(op.f("ix_billing_providers_tin"), "billing_providers", ["tin"], unique=False)
    _create_table(
        "encounter_versions",
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.Column("encounter_id", sa.String(length=64), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("received", sa.JSON(), nullable=False),
        sa.Column("changed_by", sa.String(length=64), nullable=True),
        sa.Column("reason", sa.String(length=500), nullable=True),
        sa.Column("key_id", sa.String(length=12), nullable=True),
        sa.PrimaryKeyConstraint("tenant_id", "encounter_id", "revision"),
    )
    _create_table(
        "encounters",
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.Column("encounter_id", sa.String(length=64), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("event_id", sa.String(length=36), nullable=False),
        sa.Column("patient_key", sa.String(length=36), nullable=False),
        sa.Column("status", sa.String(length=40), nullable=False),
        sa.Column("status_detail", sa.JSON(), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "encounter_id"),
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
        "patient_coverages",
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.Column("patient_id", sa.String(length=64), nullable=False),
        sa.Column("payer_id", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "patient_id", "payer_id"),
    )
    _create_table(
        "patient_details",
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.Column("patient_id", sa.String(length=64), nullable=False),
        sa.Column("first_name", sa.String(length=60), nullable=False),
        sa.Column("last_name", sa.String(length=60), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=False),
        sa.Column("coverages", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "patient_id"),
    )
    _create_table(
        "patient_keys",
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.Column("patient_id", sa.String(length=64), nullable=False),
        sa.Column("patient_key", sa.String(length=36), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "patient_id"),
        sa.UniqueConstraint("patient_key"),
    )
    _create_table(
        "phi_access_audit",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.Column("key_id", sa.String(length=12), nullable=False),
        sa.Column("route", sa.String(length=120), nullable=False),
        sa.Column("resource_kind", sa.String(length=40), nullable=False),
        sa.Column("resource_id", sa.String(length=64), nullable=True),
        sa.Column("accessed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    _create_index("phi_access_audit_by_tenant_and_time", "phi_access_audit", ["tenant_id", "accessed_at"], unique=False)
    _create_table(
        "plan_certifications",
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.Column("plan_id", sa.String(length=64), nullable=False),
        sa.Column("by_verbal_order", sa.Boolean(), nullable=False),
        sa.Column("dated_on", sa.Date(), nullable=False),
        sa.Column("signed_on", sa.Date(), nullable=True),
        sa.Column("certifier_npi", sa.String(length=10), nullable=False),
        sa.Column("certifier_credential", sa.String(length=8), nullable=False),
        sa.Column("duration_days", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("tenant_id", "plan_id"),
    )
    _create_table(
        "plan_facts",
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.Column("plan_id", sa.String(length=64), nullable=False),
        sa.Column("evaluation_date", sa.Date(), nullable=False),
        sa.Column("low_vision", sa.Boolean(), nullable=False),
        sa.Column("is_iep", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "plan_id"),
    )
    _create_table(
        "processed_events",
        sa.Column("consumer", sa.String(length=100), nullable=False),
        sa.Column("event_id", sa.String(length=36), nullable=False),
        sa.Column("processed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("consumer", "event_id"),
    )
    _create_table(
        "records",
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("record_id", sa.String(length=64), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("patient_key", sa.String(length=36), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "kind", "record_id"),
    )


def downgrade() -> None:
    # every table of the schema but Alembic's own (dropping a table drops its indexes; none has a foreign key)
    schema = op.get_context().version_table_schema
    for table in sa.inspect(op.get_bind()).get_table_names(schema=schema):
        if table != "alembic_version":
            op.drop_table(table)
