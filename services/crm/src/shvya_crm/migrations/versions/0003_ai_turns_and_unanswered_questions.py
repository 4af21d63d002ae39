"""AI turns: outcome columns on ai_sessions, and unanswered questions

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "ai_sessions", sa.Column("kind", sa.String(length=16), server_default="reply", nullable=False)
    )
    op.add_column(
        "ai_sessions",
        sa.Column(
            "answered_message_ids",
            sa.ARRAY(sa.String(length=64)),
            server_default=sa.text("'{}'"),
            nullable=False,
        ),
    )
    op.add_column(
        "ai_sessions", sa.Column("suggested_stage", sa.String(length=32), server_default="", nullable=False)
    )
    op.add_column(
        "ai_sessions", sa.Column("hand_off", sa.Boolean(), server_default=sa.text("false"), nullable=False)
    )
    op.add_column(
        "ai_sessions", sa.Column("unanswered", sa.Boolean(), server_default=sa.text("false"), nullable=False)
    )
    op.create_table(
        "unanswered_questions",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("company_id", sa.UUID(), nullable=False),
        sa.Column("lead_id", sa.UUID(), nullable=False),
        sa.Column("message_id", sa.UUID(), nullable=True),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("resolution", sa.Text(), server_default="", nullable=False),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["companies.id"],
            name=op.f("fk_unanswered_questions_company_id_companies"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["lead_id"], ["leads.id"], name=op.f("fk_unanswered_questions_lead_id_leads"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_unanswered_questions")),
        sa.UniqueConstraint("message_id", name=op.f("uq_unanswered_questions_message_id")),
    )
    op.create_index(
        "ix_unanswered_questions_company_id_created_at",
        "unanswered_questions",
        ["company_id", "created_at"],
        unique=False,
    )
    op.create_index(
        op.f("ix_unanswered_questions_lead_id"), "unanswered_questions", ["lead_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_unanswered_questions_lead_id"), table_name="unanswered_questions")
    op.drop_index("ix_unanswered_questions_company_id_created_at", table_name="unanswered_questions")
    op.drop_table("unanswered_questions")
    op.drop_column("ai_sessions", "unanswered")
    op.drop_column("ai_sessions", "hand_off")
    op.drop_column("ai_sessions", "suggested_stage")
    op.drop_column("ai_sessions", "answered_message_ids")
    op.drop_column("ai_sessions", "kind")
