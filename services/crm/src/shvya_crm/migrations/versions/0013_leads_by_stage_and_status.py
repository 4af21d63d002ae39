"""a stage's or a status's newest leads, and their counts up to a limit, read from their own indexes

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02
"""

from __future__ import annotations

from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_leads_company_id_stage_id_created_at_id", "leads", ["company_id", "stage_id", "created_at", "id"]
    )
    op.create_index(
        "ix_leads_company_id_status_created_at_id", "leads", ["company_id", "status", "created_at", "id"]
    )


def downgrade() -> None:
    op.drop_index("ix_leads_company_id_status_created_at_id", table_name="leads")
    op.drop_index("ix_leads_company_id_stage_id_created_at_id", table_name="leads")
