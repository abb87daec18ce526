"""An index on eligibility_requests (tenant_id, patient_key): every patient record makes that patient's waiting
requests pending again, and without it each record scanned every request the service ever kept.

Revision ID: 0003_eligibility_patient_index
Revises: 0002_claim_id_index
Create Date: 2026-12-01
"""

from __future__ import annotations

from alembic import op

revision = "0003_eligibility_patient_index"
down_revision = "0002_claim_id_index"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_eligibility_requests_patient",
        "eligibility_requests",
        ["tenant_id", "patient_key"],
        unique=False,
        if_not_exists=True,
    )


def downgrade() -> None:
    op.drop_index("ix_eligibility_requests_patient", table_name="eligibility_requests")
