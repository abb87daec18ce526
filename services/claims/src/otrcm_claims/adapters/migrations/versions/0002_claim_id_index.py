"""An index on claims.claim_id: claims are looked up by their CLM01 alone (claim ids embed a digest of the
tenant, so they are unique), and the primary key leads with the tenant, so without it every look-up read the
whole table and a batch of n claims cost n^2 reads.

Revision ID: 0002_claim_id_index
Revises: 0001_baseline
Create Date: 2026-12-01
"""

from __future__ import annotations

from alembic import op

revision = "0002_claim_id_index"
down_revision = "0001_baseline"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(op.f("ix_claims_claim_id"), "claims", ["claim_id"], unique=False, if_not_exists=True)


def downgrade() -> None:
    op.drop_index(op.f("ix_claims_claim_id"), table_name="claims")
