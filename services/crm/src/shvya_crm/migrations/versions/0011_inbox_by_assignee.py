"""a user's inbox reads their leads newest activity first, stopping when a page is full

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

LAST_MESSAGE = "coalesce(greatest(last_inbound_at, last_outbound_at), created_at)"


def upgrade() -> None:
    op.create_index(
        "ix_leads_company_id_assigned_user_id_last_message_at_id",
        "leads",
        ["company_id", "assigned_user_id", sa.text(LAST_MESSAGE), "id"],
    )


def downgrade() -> None:
    op.drop_index("ix_leads_company_id_assigned_user_id_last_message_at_id", table_name="leads")
