"""assignment: a lead's counsellor, availability and working hours, the round-robin cursor, message authors

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "users", sa.Column("available", sa.Boolean(), server_default=sa.text("true"), nullable=False)
    )
    op.add_column(
        "users",
        sa.Column(
            "working_hours",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default=sa.text("'{}'"),
            nullable=False,
        ),
    )
    op.add_column("leads", sa.Column("assigned_user_id", sa.UUID(), nullable=True))
    op.add_column("leads", sa.Column("assigned_at", sa.DateTime(timezone=True), nullable=True))
    op.create_foreign_key(
        op.f("fk_leads_assigned_user_id_users"),
        "leads",
        "users",
        ["assigned_user_id"],
        ["id"],
        ondelete="SET NULL",
    )
    op.create_index(op.f("ix_leads_assigned_user_id"), "leads", ["assigned_user_id"], unique=False)
    op.add_column("messages", sa.Column("author_user_id", sa.UUID(), nullable=True))
    op.create_foreign_key(
        op.f("fk_messages_author_user_id_users"),
        "messages",
        "users",
        ["author_user_id"],
        ["id"],
        ondelete="SET NULL",
    )
    op.create_table(
        "assignment_cursors",
        sa.Column("company_id", sa.UUID(), nullable=False),
        sa.Column("last_user_id", sa.UUID(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["companies.id"],
            name=op.f("fk_assignment_cursors_company_id_companies"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("company_id", name=op.f("pk_assignment_cursors")),
    )


def downgrade() -> None:
    op.drop_table("assignment_cursors")
    op.drop_constraint(op.f("fk_messages_author_user_id_users"), "messages", type_="foreignkey")
    op.drop_column("messages", "author_user_id")
    op.drop_index(op.f("ix_leads_assigned_user_id"), table_name="leads")
    op.drop_constraint(op.f("fk_leads_assigned_user_id_users"), "leads", type_="foreignkey")
    op.drop_column("leads", "assigned_at")
    op.drop_column("leads", "assigned_user_id")
    op.drop_column("users", "working_hours")
    op.drop_column("users", "available")
