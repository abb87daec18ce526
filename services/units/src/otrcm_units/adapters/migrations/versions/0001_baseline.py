"""Baseline: the schema of the units service as the release before migrations created it
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
        "billing_days",
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.Column("day_key", sa.String(length=200), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "day_key"),
    )
    _create_table(
        "day_encounters",
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.Column("day_key", sa.String(length=200), nullable=False),
        sa.Column("encounter_id", sa.String(length=64), nullable=False),
        sa.Column("arrival", sa.Integer(), nullable=False),
        sa.Column("encounter", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "day_key", "encounter_id"),
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
        "processed_events",
        sa.Column("consumer", sa.String(length=100), nullable=False),
        sa.Column("event_id", sa.String(length=36), nullable=False),
        sa.Column("processed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("consumer", "event_id"),
    )


def downgrade() -> None:
    # every table of the schema but Alembic's own (dropping a table drops its indexes; none has a foreign key)
    schema = op.get_context().version_table_schema
    for table in sa.inspect(op.get_bind()).get_table_names(schema=schema):
        if table != "alembic_version":
            op.drop_table(table)
